"""High-precision reference values of the Thomas solution (Langmuir kinetics, no diffusion,
rectangular pulse), MODEL.md §13, for test/thomas.test.ts.

Independent of the engine's method (which evaluates scaled J-functions in the variable
u = sqrt(kd v) with Gauss-Legendre panels): here the two integrals of the solution are taken in
the original time variable with mpmath's tanh-sinh quadrature at 40 digits and mpmath's own I1,
with no change of variable, no scaling and no cut-off:

  tau = t - tM,  ts = min(tau, t1),  s0 = tau - ts,  kappa = ka c0,  n = alpha ka qmax tM,  b = kd
  g(v)  = e^{-n - b v} sqrt(n b / v) I1(2 sqrt(n b v))            (linear pulse response, continuous part)
  N     = e^{kappa tau - n} 1{tau <= t1} + int_{s0}^{tau} e^{kappa (tau - v)} g(v) dv
  Phi   = 1 - e^{-n} + e^{kappa ts - n} + int_0^tau g(w) (e^{kappa min(ts, tau - w)} - 1) dw
  c/c0  = N / Phi

For a few points Phi is also checked against its definition (MODEL.md §13.2)
  Phi = 1 + kappa int_0^ts e^{kappa s} J(n, b (tau - s)) ds,
with Goldstein's J from its series J(x, y) = 1 - e^{-y} sum_k y^k/k! P(k + 1, x).
Writes test/fixtures/thomas-reference.json. Run from the repository root:
python3 scripts/thomas_reference.py (about a minute; needs mpmath).
"""
import json
import sys
from multiprocessing import Pool

import mpmath as mp

mp.mp.dps = 40

# (name, tM s, n = alpha ka qmax tM, kd 1/s, t1 s, loading kappa/kd = K c0 / qmax, times); a negative
# loading is the anti-Langmuir form (MODEL.md §13.4)
CASES = [
    ('nearly linear', 10, 40, 2, 2, 0.01, [12 + 2 * i for i in range(25)]),
    ('overloaded', 10, 40, 2, 2, 0.5, [12 + 2 * i for i in range(25)]),
    ('strongly overloaded', 10, 40, 2, 2, 5.0, [11 + 1.5 * i for i in range(30)]),
    ('long pulse', 10, 40, 2, 15, 2.0, [12 + 2.5 * i for i in range(28)]),
    ('anti-Langmuir', 10, 40, 2, 2, -0.5, [10.5 + 1.5 * i for i in range(30)]),
    ('BTEX-sized', 34.18, 700, 14, 4, 1.0, [70 + 1.5 * i for i in range(24)]),
]

# Far tails (c/c0 from 1e-12 down to 1e-40) of some of the cases above: the kernel writes 0 where
# its bound (MODEL.md §13.4) proves c/c0 below e^-40, and keeps relative accuracy elsewhere.
TAILS = [
    ('overloaded', [10.05, 10.1, 78, 86, 90, 94, 100, 110, 130]),
    ('strongly overloaded', [10.05, 10.1, 78, 86, 94, 102, 106, 110, 120]),
    ('anti-Langmuir', [10.05, 10.2, 78, 86, 88, 90, 100]),
    ('BTEX-sized', [40, 55, 58, 60, 106, 110, 114, 118, 126, 134]),
]


def g(n, b, v):
    if v <= 0:
        return mp.mpf(0)
    return mp.exp(-n - b * v) * mp.sqrt(n * b / v) * mp.besseli(1, 2 * mp.sqrt(n * b * v))


def breaks(lo, hi, extra):
    pts = sorted({p for p in [lo, hi] + extra if lo <= p <= hi})
    return pts


def thomas(args):
    tM, n, b, t1, loading, t = [mp.mpf(a) for a in args]
    kappa = loading * b
    tau = t - tM
    if tau <= 0:
        return 0.0
    ts = min(tau, t1)
    s0 = tau - ts
    peak = n / b  # the linear peak's position in v: where the quadrature should split
    N = (mp.exp(kappa * tau - n) if tau <= t1 else mp.mpf(0)) + mp.quad(
        lambda v: mp.exp(kappa * (tau - v)) * g(n, b, v), breaks(s0, tau, [peak]))
    Phi = 1 - mp.exp(-n) + mp.exp(kappa * ts - n) + mp.quad(
        lambda w: g(n, b, w) * (mp.exp(kappa * min(ts, tau - w)) - 1), breaks(mp.mpf(0), tau, [peak, tau - ts]))
    return float(N / Phi)


def goldstein(x, y):
    total = mp.mpf(0)
    k = 0
    term_y = mp.mpf(1)
    while True:
        term = term_y * mp.gammainc(k + 1, 0, x, regularized=True)
        total += term
        if k > y and term < mp.mpf(10) ** -45:
            break
        k += 1
        term_y *= y / k
    return 1 - mp.exp(-y) * total


def check_definition():
    """Phi from the single integral above against its definition, at two points."""
    tM, n, b, t1, loading = 10, 40, 2, 2, 0.5
    kappa = mp.mpf(loading) * b
    for t in (25, 34):
        tau = mp.mpf(t) - tM
        ts = min(tau, t1)
        direct = 1 + kappa * mp.quad(lambda s: mp.exp(kappa * s) * goldstein(n, b * (tau - s)), [0, ts])
        single = 1 - mp.exp(-n) + mp.exp(kappa * ts - n) + mp.quad(
            lambda w: g(n, b, w) * (mp.exp(kappa * min(ts, tau - w)) - 1), breaks(mp.mpf(0), tau, [n / b, tau - ts]))
        if abs(direct / single - 1) > mp.mpf(10) ** -25:
            sys.exit(f'Phi check failed at t = {t}: {direct} against {single}')


def main():
    check_definition()
    by_name = {c[0]: c for c in CASES}
    tails = [by_name[name][:6] + (times,) for name, times in TAILS]
    jobs = [(c[1], c[2], c[3], c[4], c[5], t) for c in CASES + tails for t in c[6]]
    with Pool() as pool:
        values = pool.map(thomas, jobs)
    out = []
    tail_out = []
    at = 0
    for i, (name, tM, n, kd, t1, loading, times) in enumerate(CASES + tails):
        (out if i < len(CASES) else tail_out).append(dict(
            name=name, holdup=tM, retention=n, kd=kd, pulse=t1, loading=loading,
            times=times, concentration=values[at:at + len(times)]))
        at += len(times)
    with open('test/fixtures/thomas-reference.json', 'w') as f:
        json.dump(dict(
            description='c/c0 of the Thomas solution (MODEL.md §13) by scripts/thomas_reference.py at 40 digits; '
                        'loading = kappa/kd = K c0, retention = n = alpha ka qmax tM',
            cases=out, tails=tail_out), f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
