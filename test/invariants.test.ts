/**
 * Properties of the exact solution: mass balance, positivity, the constant-velocity limit of the
 * variable model, profile/chromatogram consistency, and wasm kernels against their TS twin.
 */
import { describe, expect, it } from 'vitest';
import { btexProblem, chromatogram, profiles, type Problem } from '../src/index.js';
import { btexWith, maxAbsDiff, maxOf } from './helpers.js';

describe('mass balance', () => {
  for (const velocity of ['variable', 'constant'] as const) {
    it(`${velocity}: trapezoid area of each BTEX peak = c0 t1 u0/u(L) to 1e-9 relative`, () => {
      const p = btexProblem();
      p.output = { start: 0, end: 1000, count: 2001 };
      const r = chromatogram(p, { velocity });
      for (const [i, a] of r.analytes.entries()) {
        const exact = (p.analytes[i].c0 * 4 * (velocity === 'variable' ? 1.013e5 / 4.01e5 : 1));
        expect(Math.abs(a.area / exact - 1)).toBeLessThanOrEqual(1e-9);
      }
    });
  }

  it('a weakly retained analyte (half never adsorbs) keeps its mass to 1e-12, counted by the step response', () => {
    // For a step input the outlet approaches c0 (pL/p0) as t -> infinity, i.e. G + e^{-B} -> 1.
    const p = {
      column: { length: 1, radius: 1e-4, filmThickness: 1e-6, inletPressure: 2e5, outletPressure: 1e5, inletVelocity: 0.5 },
      injection: { duration: 1e9 },
      analytes: [{ name: 'weak', ka: 25, kd: 3, c0: 1 }],
      output: { start: 0, end: 1000, count: 3 },
    };
    const r = chromatogram(p);
    expect(r.analytes[0].moments.unretainedFraction).toBeGreaterThan(0.3);
    expect(Math.abs(r.analytes[0].concentration[2] - 0.5)).toBeLessThan(1e-12);
  });
});

describe('positivity and finiteness', () => {
  it('every BTEX chromatogram and profile value is finite and >= 0', () => {
    const r = chromatogram(btexProblem());
    const pr = profiles(btexProblem(), { times: [0, 5, 108, 290, 470, 1e4], points: 401 });
    for (const c of [...r.analytes.map((a) => a.concentration), ...pr.concentrations.flat()]) {
      for (const v of c) {
        expect(Number.isFinite(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(0);
      }
    }
  });
});

describe('variable velocity tends to constant velocity as pL -> p0', () => {
  it('the gap shrinks in proportion to the pressure drop', () => {
    const gaps = [1e-2, 1e-3, 1e-4].map((drop) => {
      const p = btexWith((q) => {
        q.column.outletPressure = q.column.inletPressure * (1 - drop);
        q.output = { start: 0, end: 1200, count: 2401 };
      }) as Problem;
      // both without diffusion (the constant-velocity solution takes the diffusivities otherwise)
      const v = chromatogram(p, { velocity: 'variable' });
      const c = chromatogram(p, { velocity: 'constant', diffusion: false });
      return Math.max(...v.analytes.map((a, i) =>
        maxAbsDiff(a.concentration, c.analytes[i].concentration) / maxOf(c.analytes[i].concentration)));
    });
    // the peaks move by ~ t_R drop/4, so the gap relative to the peak is ~ 25 x the relative drop
    expect(gaps[2]).toBeLessThan(30 * 1e-4);
    // first order in the drop: each tenfold smaller drop, a tenfold smaller gap (within 10%)
    expect(gaps[0] / gaps[1]).toBeGreaterThan(9);
    expect(gaps[0] / gaps[1]).toBeLessThan(11);
    expect(gaps[1] / gaps[2]).toBeGreaterThan(9);
    expect(gaps[1] / gaps[2]).toBeLessThan(11);
  });
});

describe('profile at the outlet equals the chromatogram', () => {
  it('c(L, t) from profiles() matches chromatogram() to 1e-13 of the peak', () => {
    const times = [110, 119, 231, 450, 481, 576];
    const r = chromatogram(btexProblem(), { times });
    const pr = profiles(btexProblem(), { times, points: 3 });
    r.analytes.forEach((a, i) => {
      const peak = a.peak.height;
      times.forEach((_, k) => {
        expect(Math.abs(pr.concentrations[k][i][2] - a.concentration[k]) / peak).toBeLessThan(1e-13);
      });
    });
  });

  it('at the inlet the profile is the injected pulse (c0 during the pulse, 0 after)', () => {
    const pr = profiles(btexProblem(), { times: [2, 4, 4.5], points: 5 });
    expect(pr.concentrations[0][4][0]).toBe(2.732e-6);
    expect(pr.concentrations[1][4][0]).toBe(2.732e-6);
    expect(pr.concentrations[2][4][0]).toBe(0);
  });
});

describe('wasm kernels agree with their plain-TypeScript twin', () => {
  const weak = {
    column: { length: 1, radius: 1e-4, filmThickness: 1e-6, inletPressure: 2e5, outletPressure: 1e5, inletVelocity: 0.5 },
    injection: { duration: 0.5 },
    analytes: [{ name: 'weak', ka: 25, kd: 3, c0: 1 }, { name: 'moderate', ka: 150, kd: 1.5, c0: 1 }],
    output: { start: 0, end: 12, count: 601 },
  };
  for (const [name, problem] of [['BTEX', btexProblem()], ['weakly retained', weak]] as const) {
    it(`${name}: chromatograms and profiles to 1e-12 relative, same evaluation count`, () => {
      const w = chromatogram(problem, { engine: 'wasm' });
      const j = chromatogram(problem, { engine: 'js' });
      expect(w.cost.engine).toBe('wasm');
      expect(j.cost.engine).toBe('js');
      expect(w.cost.evaluations).toBe(j.cost.evaluations);
      const pw = profiles(problem, { times: [1.2, 108], engine: 'wasm' });
      const pj = profiles(problem, { times: [1.2, 108], engine: 'js' });
      const pairs: [Float64Array, Float64Array][] = [
        ...w.analytes.map((a, i) => [a.concentration, j.analytes[i].concentration] as [Float64Array, Float64Array]),
        ...pw.concentrations.flatMap((row, k) => row.map((c, i) => [c, pj.concentrations[k][i]] as [Float64Array, Float64Array])),
      ];
      let worst = 0;
      for (const [a, b] of pairs) {
        for (let k = 0; k < a.length; k++) {
          if (a[k] !== b[k]) worst = Math.max(worst, Math.abs(a[k] - b[k]) / Math.max(Math.abs(a[k]), Math.abs(b[k])));
        }
      }
      expect(worst).toBeLessThanOrEqual(1e-12);
    });
  }
});
