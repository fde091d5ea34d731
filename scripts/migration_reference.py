"""Reference retention times and peak widths of the migration equations (MODEL.md §8.6) for the tests.

An evaluation independent of the engine's integrator (src/engine/kernels/migration.ts): SciPy's
solve_ivp (DOP853, rtol 1e-12) on the ODE pair in the position z along the column, in the form
GasChromatographySimulator.jl writes it,

    dt/dz    = r(z, t) = r_M(z, t) (1 + k(T(t)))
    dtau2/dz = H(z, t) r(z, t)^2 + 2 tau2 dr/dt(z, t)

with every quantity computed the way that package computes it (not the engine's algebra): the
K-centric retention factor k = (phi/phi0) exp((C + Tchar/thetachar)(Tchar/T - 1) + C ln(T/Tchar)),
C = dCp/R; Blumberg's viscosity; the gas residency r_M from the flow restriction
(pressure control: 64 p d^2 kappa_L / (T (pin^2 - pout^2)); flow control: pi/4 Tn/pn d^2/F p/T);
Golay's plate height 2 D_M/u + d^2/96 (6 mu^2 - 16 mu + 11) u/D_M + 2/3 df^2 mu (1 - mu) u/D_S with
mu = 1/(1 + k), D_S = D_M/1e4, D_M = Cag T^1.75 / p and Cag from Fuller-Schettler-Giddings. dr/dt is
taken by complex-step differentiation (exact to rounding), not from a formula. The programme's
breakpoints are located as events t(z) = t_b (brentq on the dense output) and the integration is
restarted there, so each piece is smooth.

Every run is repeated at rtol 1e-13; the largest relative difference of the two is written as
`selfCheck` (the reference's own uncertainty). Writes test/fixtures/migration-reference.json.
Run from the repository root: python3 scripts/migration_reference.py (about a minute).

Cases: the column of Leppert et al. 2020 (11.18 m x 0.104 mm x 0.104 um, H2) under programme A with
the n-alkanes of ../shared/data/leppert2020b/Database_Leppert2020b.csv (read from there; only the
names go into the fixture) under pressure control, flow control, a pressure programme and a flow
programme, one with Arrhenius desorption; and the first conventional case of
GasChromatographySimulator.jl's test suite (test/runtests.jl, its "ng = true" run: 10 m x 0.25 mm x
0.25 um, SLB5ms, He, 40 C 60 s then 600 s to 300 C with the inlet 301.3 -> 401.3 kPa, vacuum outlet),
with the parameters of decane and undecane from its test/data/Database_test.csv (MIT licence).
"""
import csv
import json
import math
import os
import sys

import numpy as np
import scipy
from scipy.integrate import solve_ivp

R_GAS = 8.31446261815324  # J/mol/K, as GasChromatographySimulator.jl
TST = 273.15
TN = 25.0 + TST  # K, normal temperature of flows
PN = 101300.0  # Pa, normal pressure of flows (and Cag's 'normal pressure')

GASES = {
    # Blumberg (2010) viscosity constants, as GasChromatographySimulator.jl; Fuller volume and molar mass
    'He': dict(eta0=18.63e-6, T0=TST, xi0=0.6958, xi1=-0.0071, Vg=2.67, Mg=4.0),
    'H2': dict(eta0=8.382e-6, T0=TST, xi0=0.6892, xi1=0.005, Vg=6.12, Mg=2.02),
}

LEPPERT_CSV = os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'data', 'leppert2020b',
                           'Database_Leppert2020b.csv')

# GasChromatographySimulator.jl test/data/Database_test.csv, phase SLB5ms (Blumberg 2017), MIT licence
GCS_TEST_SOLUTES = {
    'C10': dict(Tchar=106.44, thetaChar=28.588, dCp=76.602, phi0=0.001, carbons=10),
    'C11': dict(Tchar=124.75, thetaChar=29.628, dCp=83.819, phi0=0.001, carbons=11),
}


def alkane(n):
    """Molar mass (g/mol) and Fuller diffusion volume of the n-alkane CnH(2n+2)."""
    h = 2 * n + 2
    return 12.0107 * n + 1.00794 * h, 15.9 * n + 2.31 * h


def cag(M, Va, gas):
    """Fuller-Schettler-Giddings: D_M = Cag T^1.75 / p (m2/s, T in K, p in Pa)."""
    g = GASES[gas]
    return PN * math.sqrt(1 / M + 1 / g['Mg']) / (g['Vg'] ** (1 / 3) + Va ** (1 / 3)) ** 2 * 1e-7


def breakpoints(*schedules):
    """The union of the schedules' times, each schedule's values there (linear between, flat outside)."""
    times = sorted(set(t for s in schedules for t in s[0]))
    return times, [[float(np.interp(t, s[0], s[1])) for t in times] for s in schedules]


class Run:
    """One analyte in one case: the right-hand side on the programme piece `seg`."""

    def __init__(self, case, analyte):
        self.c = case
        self.a = analyte
        self.d = case['column']['diameter']
        self.df = case['column']['filmThickness']
        self.L = case['column']['length']
        g = GASES[case['gas']]
        self.g = g
        ctl = case['control']
        self.kind = ctl['kind']
        main = ctl['inlet'] if self.kind == 'pressure' else ctl['flow']
        self.times, (self.Ts, self.As, self.Ps) = breakpoints(
            (case['temperature']['times'], case['temperature']['values']),
            (main['times'], main['values']),
            (ctl['outlet']['times'], ctl['outlet']['values']))
        self.Tref = ctl.get('referenceTemperature', TN)
        self.pref = ctl.get('referencePressure', PN)

    def piece(self, seg, t, values):
        """Linear value on piece seg (-1: before the first breakpoint, n-1: after the last: flat)."""
        n = len(self.times)
        if seg < 0:
            return values[0] + 0 * t
        if seg >= n - 1:
            return values[-1] + 0 * t
        t0, t1 = self.times[seg], self.times[seg + 1]
        return values[seg] + (values[seg + 1] - values[seg]) * (t - t0) / (t1 - t0)

    def viscosity(self, T):
        g = self.g
        return g['eta0'] * np.exp((g['xi0'] + g['xi1'] * (T - g['T0']) / g['T0']) * np.log(T / g['T0']))

    def state(self, z, t, seg):
        """(T, k, p, r_M) at position z and (possibly complex) time t."""
        T = self.piece(seg, t, self.Ts)
        A = self.piece(seg, t, self.As)
        pout = self.piece(seg, t, self.Ps)
        eta = self.viscosity(T)
        d, L = self.d, self.L
        if self.kind == 'pressure':
            pin = A
            p = np.sqrt(pin ** 2 - z / L * (pin ** 2 - pout ** 2))
            kappaL = eta * T * L / d ** 4
            rM = 64 * p * d ** 2 / T * kappaL / (pin ** 2 - pout ** 2)
        else:
            F = A * (self.pref / self.Tref) * (TN / PN)  # the same molar flow at the package's normal conditions
            p = np.sqrt(pout ** 2 + 256 / np.pi * PN / TN * eta * T / d ** 4 * F * (L - z))
            rM = np.pi / 4 * TN / PN * d ** 2 / F * p / T
        a = self.a
        C = a['dCp'] / R_GAS
        Tc = a['Tchar']
        lnk = (C + Tc / a['thetaChar']) * (Tc / T - 1) + C * np.log(T / Tc)
        k = (self.df / d) / a['phi0'] * np.exp(lnk)
        return T, k, p, rM

    def rhs(self, z, y, seg):
        t, tau2 = y
        T, k, p, rM = self.state(z, t, seg)
        r = rM * (1 + k)
        h = 1e-30
        drdt = (lambda s: (s[3] * (1 + s[1])).imag / h)(self.state(z, t + 1j * h, seg))
        uM = 1 / rM
        DM = self.a['Cag'] * T ** 1.75 / p
        mu = 1 / (1 + k)
        H = 2 * DM / uM + self.d ** 2 / 96 * (6 * mu ** 2 - 16 * mu + 11) * uM / DM
        if self.a.get('desorption') is None:
            DS = DM / 10000
            H += 2 / 3 * self.df ** 2 * mu * (1 - mu) * uM / DS
        else:
            des = self.a['desorption']
            kd = math.exp(des['a'] + des['b'] / T)
            H += 2 * k * uM / ((1 + k) ** 2 * kd)
        return [r, H * r * r + 2 * tau2 * drdt]

    def solve(self, rtol):
        L = self.L
        # with a vacuum outlet p(L) = 0 and the Golay terms are 0/0 there: stop 1e-14 L short (the rest adds ~1e-21 s)
        z_end = L * (1 - 1e-14) if min(self.Ps) == 0 else L
        t0 = self.a.get('t0', 0.0)
        y = [t0, self.a.get('tau20', 0.0)]
        z = 0.0
        seg = int(np.searchsorted(self.times, t0, side='right')) - 1
        n = len(self.times)
        evaluations = 0
        while True:
            events = []
            if seg < n - 1:
                tb = self.times[seg + 1]
                ev = lambda zz, yy, tb=tb: yy[0] - tb
                ev.terminal = True
                ev.direction = 1
                events = [ev]
            sol = solve_ivp(lambda zz, yy: self.rhs(zz, yy, seg), (z, z_end), y, method='DOP853', rtol=rtol,
                            atol=[rtol * 1e-3, rtol * 1e-12], events=events or None)
            evaluations += sol.nfev
            if not sol.success:
                raise RuntimeError(sol.message)
            if events and sol.status == 1:
                z = float(sol.t_events[0][0])
                y = [float(v) for v in sol.y_events[0][0]]
                seg += 1
                continue
            return float(sol.y[0, -1]), math.sqrt(float(sol.y[1, -1])), evaluations


def leppert_analytes(names):
    with open(LEPPERT_CSV, newline='') as f:
        rows = {r['Name']: r for r in csv.DictReader(f)}
    out = []
    for name in names:
        r = rows[name]
        out.append(dict(name=name, Tchar=float(r['Tchar']) + TST, thetaChar=float(r['thetachar']),
                        dCp=float(r['DeltaCp']), phi0=float(r['phi0']), carbons=int(name[1:])))
    return out


def with_diffusion(analytes, gas):
    for a in analytes:
        M, Va = alkane(a['carbons'])
        a['molarMass'] = M
        a['diffusionVolume'] = Va
        a['Cag'] = cag(M, Va, gas)
    return analytes


def C(t):
    return t + TST


LEPPERT_COLUMN = dict(length=11.18, diameter=0.104e-3, filmThickness=0.104e-6)
PROGRAM_A = dict(times=[0.0, 60.0, 1620.0, 1800.0], values=[C(40), C(40), C(300), C(300)])
ATM = dict(times=[0.0], values=[101300.0])
ALL = ['C%d' % n for n in range(9, 31)]
SOME = ['C10', 'C12', 'C15', 'C18', 'C22', 'C26']
ML_MIN = 1e-6 / 60


def cases():
    out = []
    out.append(dict(name='leppert-A-pressure', source='leppert', gas='H2', column=LEPPERT_COLUMN, temperature=PROGRAM_A,
                    control=dict(kind='pressure', inlet=dict(times=[0.0], values=[411564.0]), outlet=ATM),
                    analytes=with_diffusion(leppert_analytes(ALL), 'H2')))
    out.append(dict(name='leppert-A-flow', source='leppert', gas='H2', column=LEPPERT_COLUMN, temperature=PROGRAM_A,
                    control=dict(kind='flow', flow=dict(times=[0.0], values=[1.2 * ML_MIN]), outlet=ATM,
                                 referenceTemperature=TN, referencePressure=PN),
                    analytes=with_diffusion(leppert_analytes(SOME), 'H2')))
    out.append(dict(name='leppert-A-pressure-program', source='leppert', gas='H2', column=LEPPERT_COLUMN,
                    temperature=PROGRAM_A,
                    control=dict(kind='pressure', inlet=dict(times=[0.0, 300.0, 1000.0], values=[411564.0, 411564.0, 520000.0]),
                                 outlet=ATM),
                    analytes=with_diffusion(leppert_analytes(SOME), 'H2')))
    # a flow programme referred to 20 C and 1 atm (not the package's normal conditions), injection 1 s
    flow_analytes = with_diffusion(leppert_analytes(SOME), 'H2')
    for a in flow_analytes:
        a['t0'] = 0.5
        a['tau20'] = 1 / 12
    out.append(dict(name='leppert-A-flow-program', source='leppert', gas='H2', column=LEPPERT_COLUMN,
                    temperature=PROGRAM_A, injection=1.0,
                    control=dict(kind='flow', flow=dict(times=[0.0, 200.0, 900.0], values=[1.0 * ML_MIN, 1.0 * ML_MIN, 1.8 * ML_MIN]),
                                 outlet=ATM, referenceTemperature=C(20), referencePressure=101325.0),
                    analytes=flow_analytes))
    # Arrhenius desorption k_d = exp(a + b/T) in place of the film term
    arr = with_diffusion(leppert_analytes(['C10', 'C15', 'C20']), 'H2')
    for a in arr:
        a['desorption'] = dict(a=math.log(50.0) + 4000.0 / C(150), b=-4000.0)
    out.append(dict(name='leppert-A-arrhenius', source='leppert', gas='H2', column=LEPPERT_COLUMN, temperature=PROGRAM_A,
                    control=dict(kind='pressure', inlet=dict(times=[0.0], values=[411564.0]), outlet=ATM),
                    analytes=arr))
    gcs = [dict(name=n, Tchar=v['Tchar'] + TST, thetaChar=v['thetaChar'], dCp=v['dCp'], phi0=v['phi0'],
                carbons=v['carbons']) for n, v in GCS_TEST_SOLUTES.items()]
    out.append(dict(name='gcs-conventional', source='inline', gas='He',
                    column=dict(length=10.0, diameter=0.25e-3, filmThickness=0.25e-6),
                    temperature=dict(times=[0.0, 60.0, 660.0, 960.0], values=[C(40), C(40), C(300), C(300)]),
                    control=dict(kind='pressure',
                                 inlet=dict(times=[0.0, 60.0, 660.0, 960.0], values=[301300.0, 301300.0, 401300.0, 401300.0]),
                                 outlet=dict(times=[0.0], values=[0.0])),
                    analytes=with_diffusion(gcs, 'He'),
                    asserted={'C10': dict(retentionTime=87.41, atol=1e-2), 'C11': dict(sigma=0.590, atol=1e-3)}))
    return out


def main():
    fixture = dict(
        generator='scripts/migration_reference.py',
        scipy=scipy.__version__,
        method='solve_ivp DOP853, rtol 1e-12, breakpoints as events; dr/dt by complex step',
        rtol=1e-12,
        cases=[],
    )
    worst = 0.0
    for case in cases():
        results = []
        for a in case['analytes']:
            run = Run(case, a)
            tR, sigma, nfev = run.solve(1e-12)
            tR2, sigma2, _ = run.solve(1e-13)
            diff = max(abs(tR - tR2) / tR2, abs(sigma - sigma2) / sigma2)
            worst = max(worst, diff)
            results.append(dict(name=a['name'], retentionTime=tR, sigma=sigma, selfCheck=diff, evaluations=nfev))
            print(f"{case['name']:28s} {a['name']:5s} tR {tR:14.9f} s  sigma {sigma:.9f} s  self {diff:.1e}", file=sys.stderr)
        stored = {k: v for k, v in case.items() if k != 'analytes'}
        keep = ('name', 'molarMass', 'diffusionVolume', 'Cag', 'desorption')
        if case['source'] == 'inline':
            keep = keep + ('Tchar', 'thetaChar', 'dCp', 'phi0')
        stored['analytes'] = [{k: a[k] for k in keep if k in a} for a in case['analytes']]
        stored['results'] = results
        fixture['cases'].append(stored)
    fixture['selfCheck'] = worst
    path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'migration-reference.json')
    with open(path, 'w') as f:
        json.dump(fixture, f, indent=1)
        f.write('\n')
    print(f'largest relative difference rtol 1e-12 vs 1e-13: {worst:.2e}', file=sys.stderr)


if __name__ == '__main__':
    main()
