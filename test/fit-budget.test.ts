/**
 * The work budget of a fit (src/solvers/fit/budget.ts): the work is counted from kernel calls (counted
 * here independently, through a wrapping engine), never passes the limit, and a fit stopped by it
 * says so and returns its best parameters with their R². Also the optimiser's lower bounds, which
 * hold a fitted hold-up time at its floor. Work is counted, never timed (speed is measured in
 * bench/fit.js).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  btexProblem, chromatogram, DEFAULT_MAX_EVALUATIONS, fitChromatogram, JACOBIAN_ALLOWANCE, jsKernels,
  levenbergMarquardt, MIN_MAX_EVALUATIONS, parseChromatogramCsv, ProblemError, RESIDUAL_ALLOWANCE,
  SETUP_ALLOWANCE, STATUS_MESSAGES, type FitResult, type LaplaceKernels,
} from '../src/index.js';
import { describeWithSharedData, sharedDataPath } from './support/shared-data.js';

/** The plain-TypeScript kernels, with their chromatogram calls counted. */
function countingEngine(): LaplaceKernels & { calls: number } {
  const engine = {
    ...jsKernels,
    name: 'js',
    calls: 0,
    outletConcentration(...args: Parameters<LaplaceKernels['outletConcentration']>) {
      engine.calls++;
      return jsKernels.outletConcentration(...args);
    },
  };
  return engine;
}

/** The work a fit should have counted, from its own tallies (src/solvers/fit/budget.ts). */
function countedWork(r: FitResult): number {
  return SETUP_ALLOWANCE + r.cost.kernelCalls / r.analytes.length
    + RESIDUAL_ALLOWANCE * r.cost.residualEvaluations + JACOBIAN_ALLOWANCE * r.cost.jacobianEvaluations;
}

const truth = btexProblem();
const sim = chromatogram(truth);
const data = { time: sim.times, signal: sim.signal as Float64Array };
const windows = Object.fromEntries(sim.analytes.map((a) => [
  a.name, { start: a.moments.mean - 5 * a.moments.sigma, end: a.moments.mean + 5 * a.moments.sigma },
]));
/** BTEX started with k_d five times too large: a fit that needs many iterations. */
function farStart() {
  const start = structuredClone(truth);
  for (const a of start.analytes) a.kd *= 5;
  return { ...start, fit: { windows } };
}

describe('fit: work budget', () => {
  it('stops at a forced budget with status max-evaluations, within it, with the best parameters so far', () => {
    const full = fitChromatogram(farStart(), data, { engine: 'js' });
    expect(full.status.code).toBe('converged');
    const fullWork = full.cost.chromatogramEvaluations;
    const limit = 25;
    expect(fullWork).toBeGreaterThan(limit); // so that the limit below does bind
    const engine = countingEngine();
    const r = fitChromatogram(farStart(), data, { engine, maxEvaluations: limit });
    expect(r.status.code).toBe('max-evaluations');
    expect(r.status.message).toBe(STATUS_MESSAGES['max-evaluations']);
    expect(r.stop).toBe('budget');
    // The kernel calls counted outside the fit are the ones it reports, and its work is within
    // the limit: kernel calls / analytes plus the allowances.
    expect(r.cost.kernelCalls).toBe(engine.calls);
    expect(r.cost.chromatogramEvaluations).toBeCloseTo(countedWork(r), 12);
    expect(r.cost.chromatogramEvaluations).toBeLessThanOrEqual(limit);
    expect(engine.calls).toBeLessThanOrEqual(r.analytes.length * (limit - SETUP_ALLOWANCE));
    expect(r.cost.maxEvaluations).toBe(limit);
    // Best parameters so far: better than the start (the smallest budget leaves no room for a
    // step), not as good as the converged fit, each with its R².
    const start = fitChromatogram(farStart(), data, { engine: 'js', maxEvaluations: MIN_MAX_EVALUATIONS });
    expect(start.status.code).toBe('max-evaluations');
    expect(start.iterations).toBe(1);
    expect(r.sse).toBeLessThan(start.sse);
    expect(r.sse).toBeGreaterThan(full.sse);
    expect(r.r2).toBeLessThan(full.r2);
    for (const a of r.analytes) {
      expect(a.status.code).toBe('max-evaluations');
      // R² of the returned parameters (not converged: may be below 0 for a peak still far off).
      expect(Number.isFinite(a.r2)).toBe(true);
      expect(a.r2).toBeLessThan(1);
      expect(Number.isFinite(a.ka) && Number.isFinite(a.kd)).toBe(true);
    }
  });

  it('keeps every budget it is given (work counted from kernel calls)', () => {
    for (const limit of [MIN_MAX_EVALUATIONS, 15, 20, 30, 40, 60]) {
      const engine = countingEngine();
      const r = fitChromatogram(farStart(), data, { engine, maxEvaluations: limit });
      expect(r.cost.kernelCalls, String(limit)).toBe(engine.calls);
      expect(r.cost.chromatogramEvaluations, String(limit)).toBeCloseTo(countedWork(r), 12);
      expect(r.cost.chromatogramEvaluations, String(limit)).toBeLessThanOrEqual(limit);
      expect(['max-evaluations', 'converged'], String(limit)).toContain(r.status.code);
    }
  });

  it('converges within the default budget on the synthetic cases', () => {
    const r = fitChromatogram({ ...truth, fit: { windows } }, data);
    expect(r.cost.maxEvaluations).toBe(DEFAULT_MAX_EVALUATIONS);
    expect(r.status.code).toBe('converged');
    expect(r.cost.chromatogramEvaluations).toBeLessThanOrEqual(DEFAULT_MAX_EVALUATIONS);
  });

  it('keeps the smallest budget when the hold-up time is fitted (the costliest first Jacobian)', () => {
    // one analyte, geometry unknown: tM fitted, so the first Jacobian takes 3 kernel calls; the
    // start's residual is assembled twice (domain check, optimiser), once with kernel calls
    expect(MIN_MAX_EVALUATIONS).toBeCloseTo(14.2, 12);
    const one = structuredClone(truth);
    one.analytes = [one.analytes[4]];
    const r1 = chromatogram(one);
    const given = { ...one, output: undefined, fit: { maxEvaluations: MIN_MAX_EVALUATIONS, geometry: 'unknown' } };
    for (const engine of ['wasm', 'js'] as const) {
      const r = fitChromatogram(given, { time: r1.times, signal: r1.signal! }, { engine });
      expect(r.holdupTime.mode).toBe('fitted');
      expect(r.cost.jacobianEvaluations).toBe(1);
      expect(r.cost.chromatogramEvaluations).toBeLessThanOrEqual(MIN_MAX_EVALUATIONS);
      expect(r.cost.chromatogramEvaluations).toBeCloseTo(countedWork(r), 12);
    }
  });

  it('refuses a budget below the smallest fit, naming the option or key', () => {
    expect(() => fitChromatogram(farStart(), data, { maxEvaluations: MIN_MAX_EVALUATIONS - 0.5 }))
      .toThrow(/options\.maxEvaluations: must be a finite number >= /);
    expect(() => fitChromatogram({ ...farStart(), fit: { windows, maxEvaluations: 3 } }, data))
      .toThrow(ProblemError);
    expect(() => fitChromatogram({ ...farStart(), fit: { windows, maxEvaluations: 3 } }, data))
      .toThrow(/fit\.maxEvaluations/);
  });
});

const RUN_2022 = 'fusion_moduleA_100C_Cu_20220608.csv';
const RUN_2021 = 'fusion_moduleA_100C_AgPTFE_20210813.csv';

describeWithSharedData('fit: real runs within the default budget', [RUN_2022, RUN_2021], () => {
  const cases: [string, string, (p: { fit: Record<string, unknown> }) => void][] = [
    [RUN_2022, 'fusion-2022.json', () => {}],
    [RUN_2021, 'fusion-2021.json', () => {}],
    [RUN_2021, 'fusion-2021.json', (p) => { p.fit.holdupTime = 'fit'; }],
  ];
  it('counts their work within the limit, from the kernel calls made', () => {
    for (const [csv, file, edit] of cases) {
      const path = sharedDataPath(csv);
      const problem = JSON.parse(readFileSync(join(__dirname, '..', 'examples', file), 'utf8'));
      edit(problem);
      const engine = countingEngine();
      const r = fitChromatogram(problem, parseChromatogramCsv(readFileSync(path, 'utf8')), { engine });
      expect(r.cost.kernelCalls, file).toBe(engine.calls);
      expect(r.cost.chromatogramEvaluations, file).toBeLessThanOrEqual(DEFAULT_MAX_EVALUATIONS);
      expect(['converged', 'holdup-at-bound'], file).toContain(r.status.code);
    }
  });
});

describe('least squares: lower bounds', () => {
  // r(θ) = (θ0 − 2, θ1 + 3): unconstrained minimum (2, −3); with θ1 >= −1 the minimum is (2, −1).
  const problem = {
    parameters: 2,
    residuals: 2,
    residual: (th: Float64Array, out: Float64Array) => {
      out[0] = th[0] - 2;
      out[1] = th[1] + 3;
      return true;
    },
    jacobian: (_th: Float64Array, _r: Float64Array, jac: Float64Array) => {
      jac.set([1, 0, 0, 1]);
    },
  };

  it('cuts a step back to the bound and holds the parameter there', () => {
    const r = levenbergMarquardt(problem, [0, 0], { lower: [-Infinity, -1] });
    expect(r.theta[1]).toBe(-1);
    expect(r.theta[0]).toBeCloseTo(2, 12);
    expect(Array.from(r.held)).toEqual([0, 1]);
    expect(r.converged).toBe(true);
  });

  it('refuses a start below a bound', () => {
    expect(() => levenbergMarquardt(problem, [0, -2], { lower: [-Infinity, -1] })).toThrow(/below its lower bound/);
  });
});
