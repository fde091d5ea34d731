"""High-precision reference values of the exact (D = 0) column solution, MODEL.md §2, for the tests.

Independent of the engine's method: the paper's form (49) is integrated in the original variable T
(time spent in the film) with mpmath's tanh-sinh quadrature at 20 significant digits and mpmath's
own Bessel function I1, with no cut-offs and no change of variable:

  c(x,t) = (c0/u_hat) [ e^{-B} 1{0 < tau <= t1} + int_{max(0,tau-t1)}^{max(0,tau)} e^{-B-kd T} sqrt(A/T) I1(2 sqrt(A T)) dT ]
  tau = t - tM(x),  A = B kd,  B = alpha ka tM(x)

Flow (hold-up time, velocity ratio) is computed here from MODEL.md §1.1 in mpmath as well.
Writes test/fixtures/reference.json. Run from the repository root: python3 scripts/gen_reference.py
(takes a few minutes; needs mpmath).
"""
import json
import sys
from multiprocessing import Pool

import mpmath as mp

mp.mp.dps = 20

BTEX_COLUMN = dict(length=20, radius=9e-5, filmThickness=1e-6, inletPressure=4.01e5,
                   outletPressure=1.013e5, inletVelocity=0.41)
C0 = 2.732e-6
BTEX_ANALYTES = [
    ('o-xylene', 1.0168e4, 14.291, C0),
    ('p+m-xylene', 0.6483e4, 11.057, 2 * C0),
    ('ethylbenzene', 0.9203e4, 16.940, C0),
    ('toluene', 0.2953e4, 11.502, C0),
    ('benzene', 0.0579e4, 5.299, C0),
]


def flow(col, velocity, x):
    """(tM(x), u(x)/u0) from MODEL.md §1.1."""
    L = mp.mpf(col['length'])
    u0 = mp.mpf(col['inletVelocity'])
    x = mp.mpf(x)
    if velocity == 'constant':
        return x / u0, mp.mpf(1)
    r = mp.mpf(col['outletPressure']) / mp.mpf(col['inletPressure'])
    pbar = mp.sqrt(1 - (1 - r * r) * x / L)
    tm = 2 * L * (1 - pbar ** 3) / (3 * u0 * (1 - r * r))
    return tm, 1 / pbar


def concentration(args):
    col, velocity, t1, ka, kd, c0, x, t = args
    alpha = 2 * mp.mpf(col['filmThickness']) / mp.mpf(col['radius'])
    tm, uhat = flow(col, velocity, x)
    ka, kd, t1 = mp.mpf(ka), mp.mpf(kd), mp.mpf(t1)
    B = alpha * ka * tm
    A = B * kd
    tau = mp.mpf(t) - tm
    lo = max(mp.mpf(0), tau - t1)
    hi = max(mp.mpf(0), tau)
    value = mp.mpf(0)
    if hi > lo:
        f = lambda T: mp.exp(-B - kd * T) * mp.sqrt(A / T) * mp.besseli(1, 2 * mp.sqrt(A * T)) if T > 0 else A * mp.exp(-B)
        # Split into pieces no wider than a fifth of the peak's width in T (sqrt(2B+1)/kd), so the
        # tanh-sinh rule sees a smooth function on each piece.
        width = mp.sqrt(2 * B + 1) / kd / 5
        pieces = int(mp.ceil((hi - lo) / width))
        pts = [lo + (hi - lo) * k / pieces for k in range(pieces + 1)]
        value = mp.quad(f, pts)
    if tau > 0 and tau <= t1:
        value += mp.exp(-B)
    return float(c0 / uhat * value)


def grid(start, end, count):
    return [start + (end - start) * j / (count - 1) for j in range(count)]


def main():
    cases = []
    # BTEX outlet chromatograms, both velocity models, every output time (MODEL.md §6).
    for velocity in ('variable', 'constant'):
        times = grid(0, 700, 1401) if velocity == 'variable' else grid(0, 1000, 501)
        cases.append(dict(name=f'btex-outlet-{velocity}', kind='outlet', column=BTEX_COLUMN,
                          velocity=velocity, pulse=4, analytes=BTEX_ANALYTES, times=times))
    # BTEX axial profiles at the four times of the paper's Fig. 1.
    for t in (5, 108, 290, 470):
        cases.append(dict(name=f'btex-profile-{t}', kind='profile', column=BTEX_COLUMN,
                          velocity='variable', pulse=4, analytes=BTEX_ANALYTES, time=t,
                          x=grid(0, 20, 201)))
    # Weakly retained analytes: a large unadsorbed (Dirac) fraction e^{-B}, both velocity models.
    weak_col = dict(length=1, radius=1e-4, filmThickness=1e-6, inletPressure=2e5,
                    outletPressure=1e5, inletVelocity=0.5)
    weak = [('weak', 25, 3.0, 1.0), ('moderate', 150, 1.5, 1.0)]
    for velocity in ('variable', 'constant'):
        cases.append(dict(name=f'weak-outlet-{velocity}', kind='outlet', column=weak_col,
                          velocity=velocity, pulse=0.5, analytes=weak, times=grid(0, 12, 601)))
        cases.append(dict(name=f'weak-profile-{velocity}', kind='profile', column=weak_col,
                          velocity=velocity, pulse=0.5, analytes=weak, time=1.2,
                          x=grid(0, 1, 101)))

    jobs = []
    for case in cases:
        for (_, ka, kd, c0) in case['analytes']:
            if case['kind'] == 'outlet':
                jobs += [(case['column'], case['velocity'], case['pulse'], ka, kd, c0,
                          case['column']['length'], t) for t in case['times']]
            else:
                jobs += [(case['column'], case['velocity'], case['pulse'], ka, kd, c0, x,
                          case['time']) for x in case['x']]
    with Pool() as pool:
        values = pool.map(concentration, jobs, chunksize=64)
    k = 0
    out = []
    for case in cases:
        n = len(case['times'] if case['kind'] == 'outlet' else case['x'])
        series = {}
        for (name, _, _, _) in case['analytes']:
            series[name] = values[k:k + n]
            k += n
        entry = dict(case)
        entry['analytes'] = [dict(name=a[0], ka=a[1], kd=a[2], c0=a[3]) for a in case['analytes']]
        entry['concentration'] = series
        out.append(entry)
    with open('test/fixtures/reference.json', 'w') as fh:
        json.dump(dict(generator='scripts/gen_reference.py', digits=mp.mp.dps, cases=out), fh)
    print('wrote', len(values), 'values', file=sys.stderr)


if __name__ == '__main__':
    main()
