"""High-precision reference values of the column model WITH diffusion at constant velocity
(MODEL.md §12), for the tests of the Fourier-series inversion (test/dispersion.test.ts).

The same Laplace transform as the engine, written independently in the form of the boundary-value
problem's roots: D c'' - u c' - g(s) c = 0, g = s (1 + alpha ka/(s + kd)), Danckwerts inlet
u c - D c' = u c0 F(s), outlet c'(L) = 0, lambda± = (u ± sqrt(u^2 + 4 D g))/(2 D):

  c(x, s) = u c0 F(s) [e^{lambda- x} - (lambda-/lambda+) e^{lambda- L + lambda+ (x - L)}]
            / [(u - D lambda-) - (lambda-/lambda+) e^{(lambda- - lambda+) L} (u - D lambda+)]

The step response (F = 1/s), with the delay 0.9 x/u taken out, is inverted by mpmath's Talbot method (invertlaplace) at 40
significant digits, and again at 60 digits with more nodes; the pulse of length t1 is
S(t) - S(t - t1). The largest difference of the two evaluations of each case is written as the fixture's own
uncertainty. Writes test/fixtures/dispersion-reference.json. Run from the repository root:
python3 scripts/dispersion_reference.py (a few minutes; needs mpmath). With --mechanisms it writes
test/fixtures/dispersion-mechanisms.json instead: the Pe = 300 column with a slow second kind of
site, an inlet pulse with an exponential tail and a detector lag (MODEL.md §12.5), by Talbot.
"""
import json
import sys
from multiprocessing import Pool

import mpmath as mp


def step_transform(u, D, alpha, ka, kd, L, x, ka2=0, kd2=1, tau_in=0, tau_det=0):
    """Step response transform; ka2, kd2: a second (slow) kind of site; tau_in: the inlet is the
    rectangle convolved with e^{-t/tau_in}/tau_in; tau_det: a first-order detector lag."""
    def F(s):
        g = s * (1 + alpha * ka / (s + kd) + alpha * ka2 / (s + kd2))
        root = mp.sqrt(u * u + 4 * D * g)
        lp = (u + root) / (2 * D)
        lm = (u - root) / (2 * D)
        ratio = lm / lp
        den = (u - D * lm) - ratio * mp.exp((lm - lp) * L) * (u - D * lp)
        shape = mp.exp(lm * x) - ratio * mp.exp(lm * L + lp * (x - L))
        return u / s * shape / den / (1 + s * tau_in) / (1 + s * tau_det)
    return F


def step(args, t):
    if t <= 0:
        return mp.mpf(0)
    return mp.invertlaplace(step_transform(*args), t, method='talbot')


def talbot_pulse(args, t1, t, dps):
    with mp.workdps(dps):
        a = tuple(mp.mpf(v) for v in args)
        t = mp.mpf(t)
        return step(a, t) - step(a, t - mp.mpf(t1))


def fourier_pulse(args, t1, t, centre, dps, pieces):
    """(1/pi) int_0^Omega Re[F(i w) e^{i w t}] dw, F the pulse transform, Omega where |F| < 1e-(dps+5),
    the phase taken relative to the peak's centre so the integrand oscillates only with t - centre."""
    with mp.workdps(dps):
        a = tuple(mp.mpf(v) for v in args)
        S = step_transform(*a)
        t1 = mp.mpf(t1)
        c = mp.mpf(centre)

        def F(w):
            s = mp.mpc(0, w)
            return S(s) * s * (1 - mp.exp(-s * t1)) / s * mp.exp(s * c)

        omega = mp.mpf(1) / 64
        while abs(F(omega)) > mp.mpf(10) ** (-dps - 5):
            omega *= 1.25
        tau = mp.mpf(t) - c
        f = lambda w: mp.re(F(w) * mp.expj(w * tau))  # w = 0 is never a node of the rule
        grid = [omega * k / pieces for k in range(pieces + 1)]
        return mp.quad(f, grid) / mp.pi


def evaluate(job):
    (args, t1, t, centre) = job
    if centre is None:
        lo = talbot_pulse(args, t1, t, 40)
        hi = talbot_pulse(args, t1, t, 60)
    else:
        lo = fourier_pulse(args, t1, t, centre, 30, 40)
        hi = fourier_pulse(args, t1, t, centre, 40, 60)
    return float(hi), float(abs(hi - lo))


ALPHA = 2e-6 / 9e-5
# The Pe = 300 column of the finite-difference tests (test/fd.test.ts): u, D, alpha, ka, kd, L.
STRONG = dict(u=0.01, D=0.01 / 300, alpha=ALPHA, ka=45, kd=1, L=1, pulse=60)
# BTEX at constant velocity with the paper's diffusivities (MODEL.md §6, Table 3).
BTEX = [('o-xylene', 1.0168e4, 14.291, 2.067e-6), ('p+m-xylene', 0.6483e4, 11.057, 2.067e-6),
        ('ethylbenzene', 0.9203e4, 16.940, 2.385e-6), ('toluene', 0.2953e4, 11.502, 2.607e-6),
        ('benzene', 0.0579e4, 5.299, 2.894e-6)]


MECHANISMS = 'test/fixtures/dispersion-mechanisms.json'


def mechanisms():
    """The Pe = 300 column with a slow second site, an exponential tail on the inlet pulse and a
    detector lag: outlet concentration (no lag) and the detected one (with it)."""
    s = STRONG
    case = dict(name='peclet-300-mechanisms', u=s['u'], D=s['D'], alpha=s['alpha'], ka=s['ka'], kd=s['kd'],
                L=s['L'], x=s['L'], pulse=s['pulse'], slowKa=2, slowKd=0.05, injectionTime=10, detectorTime=5,
                times=list(range(0, 1201, 10)))
    base = (case['u'], case['D'], case['alpha'], case['ka'], case['kd'], case['L'], case['x'], case['slowKa'],
            case['slowKd'], case['injectionTime'])
    jobs = [(base + (0,), case['pulse'], t, None) for t in case['times']]
    jobs += [(base + (case['detectorTime'],), case['pulse'], t, None) for t in case['times']]
    with Pool(2) as pool:
        values = pool.map(evaluate, jobs, chunksize=8)
    n = len(case['times'])
    case['concentration'] = [v for (v, _) in values[:n]]
    case['detected'] = [v for (v, _) in values[n:]]
    case['uncertainty'] = max(e for (_, e) in values)
    with open(MECHANISMS, 'w') as fh:
        json.dump(dict(generator='scripts/dispersion_reference.py --mechanisms', digits=60, cases=[case]), fh)
    print('wrote', len(values), 'values; largest difference of the 40- and 60-digit evaluations',
          case['uncertainty'], file=sys.stderr)


def main():
    if '--mechanisms' in sys.argv:
        return mechanisms()
    cases = []
    s = STRONG
    cases.append(dict(name='peclet-300', u=s['u'], D=s['D'], alpha=s['alpha'], ka=s['ka'], kd=s['kd'],
                      L=s['L'], x=s['L'], pulse=s['pulse'], times=list(range(0, 601, 5))))
    # the same column read inside, at x = L/2
    cases.append(dict(name='peclet-300-midpoint', u=s['u'], D=s['D'], alpha=s['alpha'], ka=s['ka'], kd=s['kd'],
                      L=s['L'], x=s['L'] / 2, pulse=s['pulse'], times=list(range(0, 401, 5))))
    for (name, ka, kd, D) in BTEX:
        tm = 20 / 0.41
        k = ALPHA * ka / kd
        mean = tm * (1 + k) + 2
        sigma = (2 * k * tm / kd + 16 / 12 + 2 * D * tm * (1 + k) ** 2 / 0.41 ** 2) ** 0.5
        times = [round(mean + sigma * (-6 + 12 * j / 40), 6) for j in range(41)]
        cases.append(dict(name=f'btex-constant-{name}', u=0.41, D=D, alpha=ALPHA, ka=ka, kd=kd, L=20, x=20,
                          pulse=4, times=times, centre=mean))
    jobs = []
    for c in cases:
        args = (c['u'], c['D'], c['alpha'], c['ka'], c['kd'], c['L'], c['x'])
        jobs += [(args, c['pulse'], t, c.get('centre')) for t in c['times']]
    with Pool(2) as pool:
        values = pool.map(evaluate, jobs, chunksize=8)
    k = 0
    worst = 0.0
    for c in cases:
        n = len(c['times'])
        c['concentration'] = [v for (v, _) in values[k:k + n]]
        c['uncertainty'] = max(e for (_, e) in values[k:k + n])
        worst = max(worst, c['uncertainty'])
        k += n
    with open('test/fixtures/dispersion-reference.json', 'w') as fh:
        json.dump(dict(generator='scripts/dispersion_reference.py', digits=60, cases=cases), fh)
    print('wrote', len(values), 'values; largest difference of the 40- and 60-digit evaluations', worst,
          file=sys.stderr)


if __name__ == '__main__':
    main()
