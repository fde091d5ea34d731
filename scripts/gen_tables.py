"""Generate the constant tables shared by the wasm kernels and their plain-TypeScript twins.

* Chebyshev series of the exponentially scaled Bessel function I1e(z) = e^-z I1(z):
    I1E_SMALL:  2 I1e(z)/z     on 0 <= z <= 8,  in t = z/4 - 1
    I1E_MEDIUM: sqrt(z) I1e(z) on 8 < z <= 32,  in t = (64/z - 5)/3
    I1E_LARGE:  sqrt(z) I1e(z) on z > 32,       in t = 64/z - 1
  (three ranges rather than two: the series for z > 32 needs 10 terms instead of 27, and columns
  such as BTEX evaluate only there)
  computed at 50 digits by Chebyshev interpolation and truncated where the coefficients fall
  below 1e-18 of the function's scale (so the truncation error is far below one ulp).
* Gauss–Legendre nodes and weights on [-1, 1] for the orders the quadrature uses, by Newton's
  method on the Legendre polynomial at 50 digits; the 10-point Gauss–Laguerre rule on [0, inf)
  (weight e^-x) likewise on the Laguerre polynomial.
* The panel rule of the cumulative quadrature: CHEB_NODES, the N = 12 Chebyshev points (N_PANEL)
  x_k = cos(pi (k + 1/2)/N) on [-1, 1], and CHEB_ANTIDERIVATIVE, the map from samples f_k at them
  to the Chebyshev coefficients b_0..b_N of the antiderivative P(x) = int_{-1}^x p of the
  interpolant p: a_m = (2/N) sum_k f_k cos(pi m (k + 1/2)/N) (p = a_0/2 + sum a_m T_m),
  b_j = (a_{j-1} - a_{j+1})/(2j) for j >= 1, b_0 = -sum_j (-1)^j b_j (so P(-1) = 0). Stored
  sample-major with the N + 1 coefficients padded to N + 2: entry [k (N + 2) + j].

The same decimal strings go to assembly/tables.ts (StaticArray<f64>) and src/engine/kernels/tables.ts
(Float64Array), so kernel and twin round every constant identically.

Run from the repository root: python3 scripts/gen_tables.py   (needs mpmath)
"""
import mpmath as mp

mp.mp.dps = 50
N_CHEB = 60
GAUSS_ORDERS = (4, 6, 10)


def cheb_coeffs(f):
    xs = [mp.cos(mp.pi * (k + mp.mpf(1) / 2) / N_CHEB) for k in range(N_CHEB)]
    fs = [f(x) for x in xs]
    cs = []
    for j in range(N_CHEB):
        s = mp.fsum(fs[k] * mp.cos(mp.pi * j * (k + mp.mpf(1) / 2) / N_CHEB) for k in range(N_CHEB))
        cs.append(2 * s / N_CHEB)
    cs[0] /= 2
    return cs


def trim(cs, scale):
    n = len(cs)
    while n > 1 and abs(cs[n - 1]) < mp.mpf('1e-18') * scale:
        n -= 1
    return cs[:n]


def small(t):
    z = 4 * (t + 1)
    if z == 0:
        return mp.mpf(1)
    return 2 * mp.besseli(1, z) * mp.exp(-z) / z


def medium(t):
    z = 64 / (3 * t + 5)
    return mp.sqrt(z) * mp.besseli(1, z) * mp.exp(-z)


def large(t):
    if t == -1:
        return 1 / mp.sqrt(2 * mp.pi)  # limit z -> infinity
    z = 64 / (t + 1)
    return mp.sqrt(z) * mp.besseli(1, z) * mp.exp(-z)


def legendre(n, x):
    p0, p1 = mp.mpf(1), x
    for k in range(2, n + 1):
        p0, p1 = p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k
    dp = n * (x * p1 - p0) / (x * x - 1)
    return p1, dp


def gauss_legendre(n):
    nodes, weights = [], []
    for i in range(1, n + 1):
        x = mp.cos(mp.pi * (i - mp.mpf(1) / 4) / (n + mp.mpf(1) / 2))
        for _ in range(100):
            p, dp = legendre(n, x)
            dx = p / dp
            x -= dx
            if abs(dx) < mp.mpf(10) ** (-45):
                break
        _, dp = legendre(n, x)
        nodes.append(x)
        weights.append(2 / ((1 - x * x) * dp * dp))
    return nodes[::-1], weights[::-1]


tables = {
    'I1E_SMALL': trim(cheb_coeffs(small), abs(small(mp.mpf(-1)))),
    'I1E_MEDIUM': trim(cheb_coeffs(medium), abs(medium(mp.mpf(1)))),
    'I1E_LARGE': trim(cheb_coeffs(large), abs(large(mp.mpf(-1)))),
}
for n in GAUSS_ORDERS:
    x, w = gauss_legendre(n)
    tables[f'GAUSS{n}_NODES'] = x
    tables[f'GAUSS{n}_WEIGHTS'] = w



def gauss_laguerre(n):
    """Nodes and weights of int_0^inf e^-x f(x) dx: roots of L_n polished by Newton's method."""
    coeffs = [mp.binomial(n, k) * (-1) ** k / mp.factorial(k) for k in range(n, -1, -1)]
    nodes, weights = [], []
    for x in sorted(mp.re(r) for r in mp.polyroots(coeffs, maxsteps=200, extraprec=200)):
        for _ in range(100):
            dx = mp.laguerre(n, 0, x) / mp.diff(lambda t: mp.laguerre(n, 0, t), x)
            x -= dx
            if abs(dx) < mp.mpf(10) ** (-45):
                break
        nodes.append(x)
        weights.append(x / ((n + 1) ** 2 * mp.laguerre(n + 1, 0, x) ** 2))
    return nodes, weights


tables['LAGUERRE10_NODES'], tables['LAGUERRE10_WEIGHTS'] = gauss_laguerre(10)

N_PANEL = 12


def antiderivative_map(n):
    xs = [mp.cos(mp.pi * (k + mp.mpf(1) / 2) / n) for k in range(n)]
    a = [[2 * mp.cos(mp.pi * m * (k + mp.mpf(1) / 2) / n) / n for k in range(n)] for m in range(n)]
    zero = [mp.mpf(0)] * n
    at = lambda m: a[m] if m < n else zero
    b = [None] * (n + 1)
    for j in range(1, n + 1):
        b[j] = [(at(j - 1)[k] - at(j + 1)[k]) / (2 * j) for k in range(n)]
    b[0] = [-mp.fsum((-1) ** j * b[j][k] for j in range(1, n + 1)) for k in range(n)]
    table = []
    for k in range(n):
        table.extend(b[j][k] for j in range(n + 1))
        table.append(mp.mpf(0))
    return xs, table


tables['CHEB_NODES'], tables['CHEB_ANTIDERIVATIVE'] = antiderivative_map(N_PANEL)

HEADER = ('// Generated by scripts/gen_tables.py; do not edit by hand.\n'
          '// I1E_SMALL: Chebyshev series of 2 I1e(z)/z in t = z/4 - 1 on [0, 8];\n'
          '// I1E_MEDIUM: Chebyshev series of sqrt(z) I1e(z) in t = (64/z - 5)/3 on (8, 32];\n'
          '// I1E_LARGE: Chebyshev series of sqrt(z) I1e(z) in t = 64/z - 1 on (32, inf);\n'
          '// GAUSSn_NODES/WEIGHTS: n-point Gauss–Legendre rule on [-1, 1];\n'
          '// LAGUERRE10_NODES/WEIGHTS: 10-point Gauss–Laguerre rule, int_0^inf e^-x f(x) dx;\n'
          '// CHEB_NODES: Chebyshev points cos(pi (k + 1/2)/N); CHEB_ANTIDERIVATIVE: samples at them ->\n'
          '// Chebyshev coefficients of the antiderivative from -1, entry [k (N + 2) + j].\n')


def fmt(c):
    return mp.nstr(c, 21, min_fixed=0, max_fixed=0, strip_zeros=False)


def write(path, decl):
    with open(path, 'w') as fh:
        fh.write(HEADER)
        for name, cs in tables.items():
            fh.write('\n' + decl(name) + '\n')
            fh.write(''.join(f'  {fmt(c)},\n' for c in cs))
            fh.write(']' + (');' if 'Float64Array' in decl(name) else ';') + '\n')


write('assembly/tables.ts', lambda name: f'export const {name}: StaticArray<f64> = [')
write('src/engine/kernels/tables.ts', lambda name: f'export const {name}: Float64Array = new Float64Array([')
for name, cs in tables.items():
    print(name, len(cs))
