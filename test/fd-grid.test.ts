/**
 * The finite-difference grid rule (src/solvers/fd-grid.ts): its error model against measured
 * errors, the error it delivers against the accuracy asked for, its closed forms, and the
 * schedule's equal steps that let the kernel keep its LU factors.
 *
 * With D -> 0 the model with diffusion is the one the Laplace solver solves exactly, so there
 * the finite-difference error is measured against an exact reference, not a finer grid.
 */
import { describe, expect, it } from 'vitest';
import { btexProblem, chromatogram, fdChromatogram, fdGrid, parseProblem, velocity, type Problem } from '../src/index.js';
import {
  errorCoefficients, inverseCubeVelocityIntegral, pulseShape, scheduleStops, stepping,
} from '../src/solvers/fd-grid.js';
import { maxAbsDiff } from './helpers.js';

/** The BTEX problem (or some of its analytes) with diffusion switched off. */
function withoutDiffusion(names?: string[]): Problem {
  const p = btexProblem();
  if (names) p.analytes = p.analytes.filter((a) => names.includes(a.name));
  for (const a of p.analytes) a.diffusivity = 1e-12;
  return parseProblem(p);
}

/** Error of each analyte of a finite-difference run against the exact solution, / peak height. */
function errors(p: Problem, options: Parameters<typeof fdChromatogram>[1]): { signed: Float64Array[]; max: number[] } {
  const exact = chromatogram(p).analytes;
  const fd = fdChromatogram(p, options).analytes;
  const signed = fd.map((a, i) => a.concentration.map((v, j) => (v - exact[i].concentration[j]) / exact[i].peak.height));
  return { signed, max: fd.map((a, i) => maxAbsDiff(a.concentration, exact[i].concentration) / exact[i].peak.height) };
}

function correlation(a: Float64Array, b: Float64Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let j = 0; j < a.length; j++) {
    ab += a[j] * b[j];
    aa += a[j] * a[j];
    bb += b[j] * b[j];
  }
  return ab / Math.sqrt(aa * bb);
}

describe('error model of the grid rule', () => {
  it('predicts the space and the time error, which have opposite signs (benzene, toluene, D -> 0)', () => {
    for (const name of ['benzene', 'toluene']) {
      const p = withoutDiffusion([name]);
      const e = errorCoefficients(p, p.analytes[0]);
      // Space alone: 1000 cells, steps of 0.025 s (time error 1/400 of the one below).
      const h = p.column.length / 1000;
      const space = errors(p, { cells: 1000, dt: 0.025 });
      // Time alone: steps of 0.5 s (one per output interval), 16000 cells (space error 1/256).
      const time = errors(p, { cells: 16000, dt: 0.5 });
      // Measured / formula: 1.07 and 1.02 in space, 1.01 and 1.00 in time.
      expect(space.max[0] / (e.space * h * h)).toBeGreaterThan(0.95);
      expect(space.max[0] / (e.space * h * h)).toBeLessThan(1.12);
      expect(time.max[0] / (e.time * 0.25)).toBeGreaterThan(0.95);
      expect(time.max[0] / (e.time * 0.25)).toBeLessThan(1.05);
      // One shape, opposite signs (correlation measured -0.994 and -0.986): the two cancel.
      expect(correlation(space.signed[0], time.signed[0])).toBeLessThan(-0.98);
    }
  });

  it('delivers at most the accuracy asked for, on every BTEX analyte (D -> 0, exact reference)', () => {
    const p = withoutDiffusion();
    for (const accuracy of [1e-2, 1e-3]) {
      const run = errors(p, { accuracy });
      // measured: 0.09-0.58 of the accuracy at 1e-2, 0.18-0.40 at 1e-3
      for (const e of run.max) expect(e).toBeLessThanOrEqual(accuracy);
      for (const g of fdChromatogram(p, { accuracy }).grids) expect(g.expectedError as number).toBeLessThanOrEqual(accuracy);
    }
  });

  it('delivers an error proportional to the accuracy along its grids (slope 1 within 0.2, benzene)', () => {
    const p = withoutDiffusion(['benzene']);
    const accuracies = [1e-2, 1e-3, 1e-4];
    const e = accuracies.map((accuracy) => errors(p, { accuracy }).max[0]);
    const slope = Math.log(e[0] / e[2]) / Math.log(accuracies[0] / accuracies[2]);
    expect(Math.abs(slope - 1)).toBeLessThan(0.2);
  });
});

describe('closed forms of the grid rule', () => {
  it('I3 = int dx/u^3 matches Simpson quadrature of the velocity, and L/u0^3 at constant velocity', () => {
    const col = parseProblem(btexProblem()).column;
    const m = 2000;
    let sum = 0;
    for (let i = 0; i <= m; i++) {
      const x = (col.length * i) / m;
      sum += (i === 0 || i === m ? 1 : i % 2 ? 4 : 2) / velocity(col, x) ** 3;
    }
    const simpson = (sum * col.length) / m / 3;
    expect(Math.abs(inverseCubeVelocityIntegral(col) / simpson - 1)).toBeLessThan(1e-9);
    const constant = { ...col, velocity: 'constant' as const };
    expect(inverseCubeVelocityIntegral(constant)).toBe(col.length / col.inletVelocity ** 3);
    // A vanishing pressure drop tends to the constant-velocity value (no cancellation).
    const flat = { ...col, outletPressure: col.inletPressure * (1 - 1e-9) };
    expect(Math.abs(inverseCubeVelocityIntegral(flat) / (col.length / col.inletVelocity ** 3) - 1)).toBeLessThan(1e-8);
  });

  it('pulse shape factors: the Gaussian and plateau limits, and a pulse of two deviations by differences', () => {
    const phi = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    expect(pulseShape(3, 0)).toBeCloseTo(1.38012 / 6, 5);
    expect(Math.abs(pulseShape(3, 1e-3) - pulseShape(3, 0))).toBeLessThan(1e-5); // its sampling error ~1e-6
    expect(pulseShape(3, 60)).toBeCloseTo(phi(0) / 6, 5);
    expect(pulseShape(2, 0)).toBe(0.5);
    expect(pulseShape(2, 60)).toBeCloseTo(phi(1) / 2, 5);
    // rho = 2: g(x) = int_{x-1}^{x+1} phi, its derivatives by central differences of phi itself.
    const h = 1e-3;
    let g3 = 0;
    for (let x = 0; x < 8; x += 1e-3) {
      const d2 = (y: number) => (phi(y + h) - 2 * phi(y) + phi(y - h)) / (h * h);
      g3 = Math.max(g3, Math.abs(d2(x + 1) - d2(x - 1)));
    }
    let g0 = 0;
    for (let i = 0; i < 20000; i++) g0 += phi(-1 + (i + 0.5) / 10000) / 10000;
    expect(Math.abs(pulseShape(3, 2) / (g3 / (6 * g0)) - 1)).toBeLessThan(1e-4);
  });

  it('the schedule splits each output interval into equal steps and counts them', () => {
    const stops = scheduleStops([0, 0.5, 1, 1.5, 2, 6], 4);
    expect(stops).toEqual([0.5, 1, 1.5, 2, 4, 6]);
    const { steps, effectiveDt } = stepping(stops, 0.2);
    // 3 steps in each 0.5 s interval, 10 in each 2 s one; dt_eff^2 = sum dt^3 / sum dt
    expect(steps).toBe(4 * 3 + 2 * 10);
    const cubes = 4 * 3 * (0.5 / 3) ** 3 + 2 * 10 * 0.2 ** 3;
    expect(effectiveDt).toBeCloseTo(Math.sqrt(cubes / 6), 14);
  });
});

describe('time steps of one length keep the LU factors', () => {
  it('a run whose output intervals split into three steps factors about as rarely as one that splits into two', () => {
    const p = btexProblem();
    p.analytes = [p.analytes[4]];
    // 0.5 s outputs: steps of 1/6 s (not a binary fraction) and of 1/4 s (one).
    const thirds = fdChromatogram(p, { cells: 2000, dt: 0.17 }).grids[0];
    const halves = fdChromatogram(p, { cells: 2000, dt: 0.26 }).grids[0];
    expect(thirds.steps).toBe(1.5 * halves.steps);
    // Factored rows: the window's cells at each shift of its start; without equal steps they
    // were refactored on most steps (about 2/3 of the cell updates).
    expect(thirds.factoredRows).toBeLessThan(0.02 * thirds.cellSteps);
    expect(thirds.factoredRows).toBeLessThan(2 * halves.factoredRows);
  });

  it('names a bad grid option for fdGrid as the solvers do', () => {
    const p = parseProblem(btexProblem());
    expect(() => fdGrid(p, p.analytes[0], { accuracy: 0 })).toThrow(/options\.accuracy: must be a fraction/);
    expect(() => fdGrid(p, p.analytes[0], { cells: 2.5 })).toThrow(/options\.cells: must be an integer from 4 to 2147483647/);
    // 1e163 cells: the spacing squared underflowed to 0 and the grid came back without cells
    expect(() => fdChromatogram(btexProblem(), { cells: 1.2724849808380785e+163 })).toThrow(/^options\.cells: must be an integer from 4 to 2147483647, got 1\.2724849808380785e\+163$/);
    expect(() => fdGrid(p, p.analytes[0], { dt: Number.NaN })).toThrow(/options\.dt: must be a finite time step/);
  });
});
