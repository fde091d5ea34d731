// The Thomas solution (MODEL.md §13): Langmuir and anti-Langmuir kinetics without diffusion.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { btexProblem, chromatogram, fdChromatogram, jsKernels, jsThomasKernels, wasmEngine } from '../src/index.js';
import { maxAbsDiff, maxOf } from './helpers.js';

interface Case {
  name: string; holdup: number; retention: number; kd: number; pulse: number; loading: number;
  times: number[]; concentration: number[];
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/thomas-reference.json', import.meta.url), 'utf8')) as {
  cases: Case[]; tails: Case[];
};
const engines = () => [jsThomasKernels, wasmEngine()];

function thomas(k = jsThomasKernels as { thomasConcentration: typeof jsThomasKernels.thomasConcentration },
  times: Float64Array, holdup: number, retention: number, kd: number, kappa: number, pulse: number): Float64Array {
  const out = new Float64Array(times.length);
  k.thomasConcentration(times, holdup, retention, kd, kappa, pulse, 1, out);
  return out;
}

function grid(from: number, to: number, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => from + (to - from) * i / (n - 1));
}

describe('Thomas solution', () => {
  it('equals the 40-digit mpmath evaluation to 1e-10 of the peak (wasm and its twin)', () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(6);
    for (const k of engines()) {
      for (const c of fixture.cases) {
        const got = thomas(k, Float64Array.from(c.times), c.holdup, c.retention, c.kd, c.loading * c.kd, c.pulse);
        const err = maxAbsDiff(got, c.concentration) / maxOf(c.concentration);
        expect(err, `${k.name} ${c.name}`).toBeLessThan(1e-10);
      }
    }
  });

  it('gives the same values for times in any order (running sums along ascending times)', () => {
    for (const c of fixture.cases) {
      const times = Float64Array.from(c.times).reverse();
      const want = Float64Array.from(c.concentration).reverse();
      for (const k of engines()) {
        const got = thomas(k, times, c.holdup, c.retention, c.kd, c.loading * c.kd, c.pulse);
        expect(maxAbsDiff(got, want) / maxOf(want), `${k.name} ${c.name}`).toBeLessThan(1e-10);
      }
    }
  });

  it('writes 0 only where c/c0 is below e^-40 and keeps relative accuracy in the far tails', () => {
    expect(fixture.tails.length).toBeGreaterThanOrEqual(4);
    for (const k of engines()) {
      for (const c of fixture.tails) {
        for (const reversed of [false, true]) {
          const times = Float64Array.from(c.times);
          const want = Float64Array.from(c.concentration);
          if (reversed) { times.reverse(); want.reverse(); }
          const got = thomas(k, times, c.holdup, c.retention, c.kd, c.loading * c.kd, c.pulse);
          let zeros = 0;
          for (let i = 0; i < got.length; i++) {
            const label = `${k.name} ${c.name} t = ${times[i]}${reversed ? ' (reversed)' : ''}`;
            if (got[i] === 0) {
              zeros++;
              expect(want[i], label).toBeLessThan(Math.exp(-40));
            } else {
              expect(Math.abs(got[i] / want[i] - 1), label).toBeLessThan(1e-9);
            }
          }
          // both sides of the bound are exercised: skipped times and tiny values still computed
          expect(zeros, c.name).toBeGreaterThan(0);
          expect(zeros, c.name).toBeLessThan(got.length);
        }
      }
    }
  });

  it('wasm agrees with its twin to rounding', () => {
    const times = grid(5, 120, 2001);
    for (const loading of [1e-6, 0.3, 4, -0.7]) {
      const js = thomas(jsThomasKernels, times, 10, 60, 1.5, loading * 1.5, 3);
      const wasm = thomas(wasmEngine(), times, 10, 60, 1.5, loading * 1.5, 3);
      expect(maxAbsDiff(js, wasm) / maxOf(js)).toBeLessThan(1e-13);
    }
  });

  it('is the exact linear solution to 1e-8 of the peak when nearly linear', () => {
    // kappa = kd 1e-10: the first-order term of the loading is ~ kappa t ~ 1e-9 of c0
    for (const [holdup, retention, kd, pulse] of [[10, 40, 2, 2], [34.18, 7000, 14.291, 4], [1, 0.5, 3, 0.2]]) {
      const times = grid(holdup, holdup * 1.2 + 3 * retention / kd + 10, 3001);
      const linear = new Float64Array(times.length);
      jsKernels.outletConcentration(times, holdup, retention, kd, pulse, 1, linear);
      for (const k of engines()) {
        const got = thomas(k, times, holdup, retention, kd, 1e-10 * kd, pulse);
        expect(maxAbsDiff(got, linear) / maxOf(linear), `${k.name} B = ${retention}`).toBeLessThan(1e-8);
      }
    }
  });

  it('elutes the injected amount c0 t1 at every loading', () => {
    for (const loading of [0.01, 1, 8, -0.5]) {
      const times = grid(10, 90, 20001);
      const c = thomas(wasmEngine(), times, 10, 40, 2, loading * 2, 2);
      let area = 0;
      for (let i = 1; i < times.length; i++) area += 0.5 * (c[i] + c[i - 1]) * (times[i] - times[i - 1]);
      // trapezoid on a 4 ms grid of a peak with a kinetic shock: the rule's error, not the solution's
      expect(Math.abs(area / 2 - 1), `loading ${loading}`).toBeLessThan(2e-6);
      expect(Math.min(...c)).toBeGreaterThanOrEqual(0);
    }
  });

  it('tends to equilibrium theory (shock front, diffuse rear) as kd grows at fixed K', () => {
    // K c0/qmax = lambda = 1, linear retention factor k0 = alpha K = 2, tM = 10 s, t1 = 20 s:
    // shock at tM (1 + k0/(1 + lambda)) = 20 s; rear c/c0 = (sqrt(k0 tM/(t - t1 - tM)) - 1)/lambda
    // from 35 s to 50 s (Rankine–Hugoniot and the simple wave of q(c) = k0 c/(1 + lambda c/c0)).
    const tM = 10, k0 = 2, lambda = 1, t1 = 20;
    const rearTimes = Float64Array.from([37, 40, 43, 46, 49]);
    const ideal = Array.from(rearTimes, (t) => (Math.sqrt(k0 * tM / (t - t1 - tM)) - 1) / lambda);
    const errors = [100, 1000, 10000].map((kd) => {
      const c = thomas(wasmEngine(), rearTimes, tM, k0 * kd * tM, kd, lambda * kd, t1);
      return maxAbsDiff(c, ideal);
    });
    // first-order convergence in 1/kd of the rear
    expect(errors[2]).toBeLessThan(2e-3);
    expect(errors[1] / errors[2]).toBeGreaterThan(5);
    expect(errors[0] / errors[1]).toBeGreaterThan(5);
    // the shock: c rises from below 1e-6 to its plateau within a few tenths of a second of 20 s
    const kd = 10000;
    const front = thomas(wasmEngine(), Float64Array.from([19.5, 19.9, 20.1, 20.5, 30]), tM, k0 * kd * tM, kd, lambda * kd, t1);
    expect(front[0]).toBeLessThan(1e-6);
    expect(front[1]).toBeLessThan(0.01);
    expect(front[2]).toBeGreaterThan(0.99);
    expect(Math.abs(front[3] - 1)).toBeLessThan(1e-9);
    expect(Math.abs(front[4] - 1)).toBeLessThan(1e-9);
  });

  it('fronts in the anti-Langmuir form and tails in the Langmuir form', () => {
    const times = grid(10, 80, 7001);
    const skew = (c: Float64Array) => {
      let m0 = 0, m1 = 0;
      for (let i = 0; i < c.length; i++) { m0 += c[i]; m1 += c[i] * times[i]; }
      const mean = m1 / m0;
      let m2 = 0, m3 = 0;
      for (let i = 0; i < c.length; i++) { const d = times[i] - mean; m2 += c[i] * d * d; m3 += c[i] * d * d * d; }
      return (m3 / m0) / (m2 / m0) ** 1.5;
    };
    const linear = skew(thomas(wasmEngine(), times, 10, 200, 10, 1e-9, 1));
    expect(skew(thomas(wasmEngine(), times, 10, 200, 10, -5, 1))).toBeLessThan(linear - 0.2);
    expect(skew(thomas(wasmEngine(), times, 10, 200, 10, 20, 1))).toBeGreaterThan(linear + 0.2);
  });

  it('refuses arguments outside the solution\'s range with the name, the value and the range', () => {
    const t = Float64Array.from([1, 2]);
    const out = new Float64Array(2);
    expect(() => wasmEngine().thomasConcentration(t, 1, 10, 2, -2, 1, 1, out)).toThrow(/kappa must be above -kd = -2 .*got -2/);
    expect(() => wasmEngine().thomasConcentration(t, 1, 10, 0, 1, 1, 1, out)).toThrow(/kd must be > 0/);
    expect(() => wasmEngine().thomasConcentration(t, 1, Number.NaN, 1, 1, 1, 1, out)).toThrow(/retention/);
  });
});

describe('chromatogram of overloaded analytes (isotherm, qMax)', () => {
  const overloaded = (isotherm: string, qMax: number, velocity = 'constant') => {
    const p = btexProblem() as unknown as Record<string, any>;
    p.column.velocity = velocity;
    p.output = { start: 0, end: 1000, count: 4001 };
    for (const a of p.analytes) delete a.diffusivity;
    p.analytes[4] = { ...p.analytes[4], isotherm, qMax };
    return p;
  };

  it('takes the Thomas solution for the overloaded analyte and the linear one for the others', () => {
    const p = overloaded('langmuir', 2e-4);
    const r = chromatogram(p);
    const linear = chromatogram({ ...p, analytes: p.analytes.map((a: Record<string, unknown>) => ({ ...a, isotherm: undefined, qMax: undefined })) });
    expect(r.status.code).toBe('success');
    for (let i = 0; i < 4; i++) expect(maxAbsDiff(r.analytes[i].concentration, linear.analytes[i].concentration)).toBe(0);
    // benzene's own Thomas values, and its peak earlier and higher-fronted than the linear one
    const a = p.analytes[4];
    const alpha = 2 * p.column.filmThickness / p.column.radius;
    const tM = p.column.length / p.column.inletVelocity;
    const own = new Float64Array(r.times.length);
    jsThomasKernels.thomasConcentration(r.times, tM, alpha * a.ka * tM, a.kd, a.ka * a.c0 / a.qMax, p.injection.duration, a.c0, own);
    expect(maxAbsDiff(r.analytes[4].concentration, own) / maxOf(own)).toBeLessThan(1e-13);
    expect(r.analytes[4].peak.time).toBeLessThan(linear.analytes[4].peak.time);
    expect(Math.abs(r.analytes[4].area / (a.c0 * p.injection.duration) - 1)).toBeLessThan(1e-3);
    const js = chromatogram(p, { engine: 'js' });
    expect(maxAbsDiff(js.analytes[4].concentration, r.analytes[4].concentration) / maxOf(own)).toBeLessThan(1e-13);
  });

  it('refuses what the Thomas solution does not cover, naming the key', () => {
    expect(() => chromatogram(overloaded('langmuir', 2e-4, 'variable'))).toThrow(/column.velocity.*constant/);
    const withDiffusion = overloaded('langmuir', 2e-4);
    withDiffusion.analytes[1].diffusivity = 2e-6;
    expect(() => chromatogram(withDiffusion)).toThrow(/analytes\[1\]\.diffusivity/);
    expect(chromatogram(withDiffusion, { diffusion: false }).status.code).toBe('success');
    expect(() => chromatogram(overloaded('langmuir', 0))).toThrow(/analytes\[4\]\.qMax/);
    expect(() => chromatogram(overloaded('langmuir', 1e-310))).toThrow(/analytes\[4\]\.qMax.*overflows/);
    expect(() => chromatogram(overloaded('freundlich', 1))).toThrow(/analytes\[4\]\.isotherm.*"linear", "langmuir", "anti-langmuir".*freundlich/);
    // anti-Langmuir: qMax must exceed K c0
    const p = overloaded('anti-langmuir', 1e-12);
    expect(() => chromatogram(p)).toThrow(/analytes\[4\]\.qMax.*must be above K c0/);
    const linearWithQ = btexProblem() as unknown as Record<string, any>;
    linearWithQ.analytes[0].qMax = 1;
    expect(() => chromatogram(linearWithQ)).toThrow(/analytes\[0\]\.qMax.*"linear"/);
    // finite differences take isotherms (test/fd-langmuir.test.ts), with diffusion: here it is missing
    expect(() => fdChromatogram(overloaded('langmuir', 2e-4))).toThrow(/analytes\[0\]\.diffusivity/);
  });
});

describe('elution simulate with an overloaded analyte', () => {
  const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'elution-thomas-'));
  const p = btexProblem() as unknown as Record<string, any>;
  p.output = { start: 0, end: 1000, count: 2001 };
  p.analytes[4] = { ...p.analytes[4], isotherm: 'anti-langmuir', qMax: 1e-2 };
  writeFileSync(join(dir, 'p.json'), JSON.stringify(p));
  const run = (...args: string[]) => spawnSync(process.execPath, [CLI, 'simulate', 'p.json', ...args], { cwd: dir, encoding: 'utf8' });

  it('solves it at constant velocity without diffusion and writes the library\'s chromatogram', () => {
    const r = run('--velocity', 'constant', '--diffusion', 'off', '--out', 'c.csv');
    expect(r.status, r.stderr).toBe(0);
    const rows = readFileSync(join(dir, 'c.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
    const lib = chromatogram({ ...p, column: { ...p.column, velocity: 'constant' } }, { diffusion: false });
    const benzene = Float64Array.from(rows, (r) => r[5]);
    expect(maxAbsDiff(benzene, lib.analytes[4].concentration) / maxOf(benzene)).toBeLessThan(1e-12);
  });

  it('exits non-zero naming the key when the column is at variable velocity', () => {
    const r = run('--out', 'c.csv');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/column\.velocity/);
  });
});

describe('a saturating peak the output times do not sample (fuzz, seed of npm test, case 5)', () => {
  it('two output times: finite moments (the linear peak\'s), status off-grid with a warning naming the analyte', () => {
    const problem = btexProblem();
    problem.column.velocity = 'constant';
    problem.analytes = [problem.analytes[4]];
    const a = problem.analytes[0];
    delete a.diffusivity;
    Object.assign(a, { isotherm: 'langmuir', qMax: (a.ka / a.kd) * a.c0 });
    problem.output = { start: 0, end: 300, count: 2 };
    const r = chromatogram(problem);
    expect(r.status.code).toBe('off-grid');
    const m = r.analytes[0].moments;
    for (const v of [m.mean, m.variance, m.sigma, m.plates]) expect(Number.isFinite(v)).toBe(true);
    expect(r.warnings!.some((w) => /^benzene: the output times do not sample the saturating peak/.test(w))).toBe(true);
    // on a grid that samples it, the moments are the samples' (the front moved forward by the overload)
    problem.output = { start: 0, end: 300, count: 3001 };
    const fine = chromatogram(problem);
    expect(fine.status.code).toBe('success');
    expect(fine.analytes[0].moments.mean).toBeLessThan(m.mean);
  });
});
