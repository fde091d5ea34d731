/**
 * Fitting (k_a, k_d) to synthetic chromatograms made by the exact solution: recovery without
 * noise, with seeded noise (accuracy and honest standard errors), from a far start, on other
 * columns and analyte counts, and with the phase ratio folded (unknown geometry).
 */
import { describe, expect, it } from 'vitest';
import {
  btexProblem, chromatogram, fitChromatogram, holdupTime, phaseRatio, type FitResult, type Problem,
} from '../src/index.js';

/** mulberry32: a small seeded PRNG, so the noisy tests are reproducible. */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal deviates by Box–Muller from a seeded uniform source. */
function gaussian(seed: number): () => number {
  const u = uniform(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** The simulated detector signal of a problem and the same problem as a fitting problem. */
function synthetic(problem: Problem) {
  // the model the fit assumes: without diffusion (the constant-velocity one would take the diffusivities)
  const sim = chromatogram(problem, { diffusion: false });
  return { time: sim.times, signal: sim.signal as Float64Array, sim };
}

/** A fitting problem: the simulation problem without ka, kd (started from the moments). */
function withoutKinetics(problem: Problem, fit: Record<string, unknown> = {}): Record<string, unknown> {
  const p = structuredClone(problem) as unknown as { analytes: Record<string, unknown>[]; output?: unknown };
  for (const a of p.analytes) {
    delete a.ka;
    delete a.kd;
  }
  delete p.output;
  return { ...p, fit };
}

/** BTEX in elution order (detected peaks go to the analytes in the order listed). */
function btexElutionOrder(): Problem {
  const p = btexProblem();
  p.analytes.reverse();
  return p;
}

function maxRelativeError(result: FitResult, truth: Problem): number {
  let worst = 0;
  for (const a of result.analytes) {
    const t = truth.analytes.find((b) => b.name === a.name)!;
    worst = Math.max(worst, Math.abs(a.ka / t.ka - 1), Math.abs(a.kd / t.kd - 1));
  }
  return worst;
}

describe('fit: noise-free synthetic chromatograms', () => {
  it('recovers the BTEX constants of Table 3 from a moment start (1e-6 relative)', () => {
    const truth = btexElutionOrder();
    const data = synthetic(truth);
    const r = fitChromatogram(withoutKinetics(truth), data);
    expect(r.status.code).toBe('converged');
    expect(maxRelativeError(r, truth)).toBeLessThan(1e-12);
    for (const a of r.analytes) {
      expect(a.start.source).toBe('moments');
      expect(a.windowSource).toBe('detected');
      expect(a.r2).toBeGreaterThan(1 - 1e-15);
      const t = truth.analytes.find((b) => b.name === a.name)!;
      // K, q_e, beta follow from ka, kd: K = ka/kd, q_e = K c0, beta = K_i/K_1 (first listed).
      expect(a.K).toBeCloseTo(t.ka / t.kd, 8);
      expect(a.qe / (a.K * t.c0) - 1).toBeLessThan(1e-14);
    }
    const b0 = truth.analytes[0];
    expect(r.analytes[2].beta / ((truth.analytes[2].ka / truth.analytes[2].kd) / (b0.ka / b0.kd)) - 1).toBeLessThan(1e-12);
    expect(r.holdupTime.mode).toBe('column');
    expect(r.holdupTime.value).toBe(holdupTime(truth.column, truth.column.length));
  });

  it('recovers them with the baseline and the response factors fitted too', () => {
    const truth = btexElutionOrder();
    const data = synthetic(truth);
    const r = fitChromatogram(withoutKinetics(truth, { baseline: { mode: 'fit', drift: 'linear' }, response: 'fit' }), data);
    expect(r.status.code).toBe('converged');
    expect(maxRelativeError(r, truth)).toBeLessThan(1e-9);
    expect(Math.abs(r.baseline.offset / 3935.4 - 1)).toBeLessThan(1e-12);
    expect(Math.abs(r.baseline.slope)).toBeLessThan(1e-12);
    for (const a of r.analytes) {
      const t = truth.analytes.find((b) => b.name === a.name)!;
      expect(Math.abs(a.response / t.response! - 1)).toBeLessThan(1e-9);
    }
  });

  it('derives response factors from peak areas by (64) when asked', () => {
    const truth = btexElutionOrder();
    const data = synthetic(truth);
    const r = fitChromatogram(withoutKinetics(truth, { response: 'area' }), data);
    // Isolated peaks: the window holds all but ~1e-9 of the area (trapezoid rule, far tails).
    // Ethylbenzene and p+m-xylene overlap (Rs ~ 1): their window areas share each other's tails,
    // which biases f by several per cent; that is why 'fit' exists.
    for (const name of ['benzene', 'toluene', 'o-xylene']) {
      const a = r.analytes.find((b) => b.name === name)!;
      const t = truth.analytes.find((b) => b.name === name)!;
      expect(Math.abs(a.response / t.response! - 1), name).toBeLessThan(1e-6);
      expect(Math.abs(a.ka / t.ka - 1), name).toBeLessThan(1e-6);
      expect(Math.abs(a.kd / t.kd - 1), name).toBeLessThan(1e-6);
    }
  });

  it('starts from the problem when ka, kd are given, with windows at the expected retention', () => {
    const truth = btexProblem(); // paper order: windows come from the expected retention
    const data = synthetic(truth);
    const start = structuredClone(truth);
    for (const a of start.analytes) {
      a.ka *= 1.01;
      a.kd *= 0.99;
    }
    const r = fitChromatogram({ ...start, fit: {} }, data);
    expect(r.status.code).toBe('converged');
    expect(maxRelativeError(r, truth)).toBeLessThan(1e-10);
    for (const a of r.analytes) {
      expect(a.windowSource).toBe('expected-retention');
      expect(a.start.source).toBe('problem');
      expect(a.restarted).toBe(false);
    }
  });

  it('restarts from the moments when the problem start ends in a worse minimum', () => {
    // 6% off in alpha K moves each expected peak by ~3 sigma: the windows are still found (matched
    // in retention order), but from there the overlapping ethylbenzene / p+m-xylene pair settles
    // in a false minimum; the moment start is better, so the fit is redone from it.
    const truth = btexProblem();
    const data = synthetic(truth);
    const start = structuredClone(truth);
    for (const a of start.analytes) {
      a.ka *= 1.03;
      a.kd *= 0.97;
    }
    const r = fitChromatogram({ ...start, fit: {} }, data);
    expect(r.status.code).toBe('converged');
    expect(r.analytes.every((a) => a.restarted && a.start.source === 'moments')).toBe(true);
    expect(maxRelativeError(r, truth)).toBeLessThan(1e-10);
  });

  it('estimates a drifting baseline from the peak-free points', () => {
    const truth = btexElutionOrder();
    const clean = synthetic(truth);
    // A linear drift of 2 signal units per second on top of the given constant baseline.
    const signal = clean.signal.map((v, j) => v + 2 * (clean.time[j] - 350));
    const r = fitChromatogram(withoutKinetics(truth, { baseline: { mode: 'estimate', drift: 'linear' } }),
      { time: clean.time, signal });
    expect(r.status.code).toBe('converged');
    // The windows reach past where a peak falls below 1e-3 of its height by half their width, so
    // the peak-free points carry almost nothing of the peaks (measured: 1.4e-10 in the slope).
    expect(Math.abs(r.baseline.slope / 2 - 1)).toBeLessThan(1e-9);
    expect(maxRelativeError(r, truth)).toBeLessThan(1e-9);
    // Fitted with the peaks instead, the same baseline is recovered exactly.
    const f = fitChromatogram(withoutKinetics(truth, { baseline: { mode: 'fit', drift: 'linear' } }),
      { time: clean.time, signal });
    expect(Math.abs(f.baseline.slope / 2 - 1)).toBeLessThan(1e-10);
    expect(maxRelativeError(f, truth)).toBeLessThan(1e-9);
  });

  it('fits a baseline per group of overlapping windows, with peak weighting', () => {
    const truth = btexElutionOrder();
    const clean = synthetic(truth);
    const signal = clean.signal.map((v, j) => v + 2 * (clean.time[j] - 350));
    const r = fitChromatogram(withoutKinetics(truth, {
      baseline: { mode: 'fit', drift: 'linear', scope: 'window' }, weighting: 'peak', response: 'fit',
    }), { time: clean.time, signal });
    expect(r.status.code).toBe('converged');
    expect(maxRelativeError(r, truth)).toBeLessThan(1e-12);
    // benzene, toluene alone; ethylbenzene, p+m-xylene and o-xylene share one (their windows touch).
    expect(r.baseline.segments.length).toBe(3);
    for (const g of r.baseline.segments) {
      expect(Math.abs(g.slope / 2 - 1)).toBeLessThan(1e-12);
      expect(Math.abs(g.offset - (3935.4 + 2 * (g.referenceTime - 350)))).toBeLessThan(1e-9);
    }
  });

  it('leaves out excluded intervals and window overlaps, and still recovers the constants', () => {
    const truth = btexElutionOrder();
    const data = synthetic(truth);
    const all = fitChromatogram(withoutKinetics(truth), data);
    const r = fitChromatogram(withoutKinetics(truth, { excludeOverlaps: true, exclude: [{ start: 110, end: 125 }] }), data);
    expect(r.points).toBeLessThan(all.points);
    const benzene = r.analytes.find((a) => a.name === 'benzene')!;
    expect(benzene.points).toBeLessThan(all.analytes.find((a) => a.name === 'benzene')!.points - 25);
    expect(r.status.code).toBe('converged');
    expect(maxRelativeError(r, truth)).toBeLessThan(1e-9);
  });

  it('holds on other columns, velocities, pulse lengths and analyte counts', () => {
    const cases: { label: string; problem: Problem }[] = [];
    const constant = btexElutionOrder();
    constant.column.velocity = 'constant';
    constant.output = { start: 0, end: 1000, count: 2001 };
    cases.push({ label: 'constant velocity', problem: constant });

    const short = btexElutionOrder();
    short.injection.duration = 0.5;
    cases.push({ label: 'pulse 0.5 s', problem: short });

    const one = btexElutionOrder();
    one.analytes = [one.analytes[1]];
    one.injection.duration = 10;
    one.output = { start: 0, end: 400, count: 801 };
    cases.push({ label: '1 analyte, pulse 10 s', problem: one });

    // A shorter, wider, thicker-film column at lower pressure, three made-up analytes of which one
    // is weakly retained (B ~ 30: the unretained fraction e^-B still matters at 1e-13).
    cases.push({
      label: 'other column, 3 analytes',
      problem: {
        column: {
          length: 5, radius: 1.6e-4, filmThickness: 3e-6, inletPressure: 2.2e5, outletPressure: 1.0e5,
          inletVelocity: 0.25, velocity: 'variable',
        },
        injection: { duration: 1 },
        analytes: [
          { name: 'a', ka: 30, kd: 12, c0: 1e-5, response: 1e8 },
          { name: 'b', ka: 400, kd: 20, c0: 2e-5, response: 5e7 },
          { name: 'c', ka: 900, kd: 9, c0: 1e-5, response: 8e7 },
        ],
        detector: { baseline: 100 },
        output: { start: 0, end: 200, count: 2001 },
      },
    });
    for (const { label, problem } of cases) {
      const data = synthetic(problem);
      const r = fitChromatogram(withoutKinetics(problem), data);
      expect(r.status.code, label).toBe('converged');
      expect(maxRelativeError(r, problem), label).toBeLessThan(1e-8);
    }
  });

  it('folds the phase ratio and fits the hold-up time when the geometry is unknown', () => {
    const truth = btexElutionOrder();
    const data = synthetic(truth);
    const p = withoutKinetics(truth, { geometry: 'unknown', holdupTime: 'fit' }) as Record<string, unknown>;
    delete p.column;
    const r = fitChromatogram(p, data);
    const alpha = phaseRatio(truth.column);
    const tM = holdupTime(truth.column, truth.column.length);
    expect(r.phaseRatioFolded).toBe(true);
    expect(r.holdupTime.mode).toBe('fitted');
    // tM is set by the peak shapes alone (the number of adsorptions B = alpha ka tM, ~1e3-1e4,
    // shapes the skew), so it is the least well determined quantity; it still converges.
    expect(Math.abs(r.holdupTime.value / tM - 1)).toBeLessThan(1e-6);
    for (const a of r.analytes) {
      const t = truth.analytes.find((b) => b.name === a.name)!;
      expect(Math.abs(a.ka / (alpha * t.ka) - 1)).toBeLessThan(1e-5);
      expect(Math.abs(a.kd / t.kd - 1)).toBeLessThan(1e-5);
      expect(Math.abs(a.K / ((alpha * t.ka) / t.kd) - 1)).toBeLessThan(1e-6);
    }
  });

  it('gives the same constants on the wasm kernels and their TypeScript twin', () => {
    const truth = btexElutionOrder();
    const data = synthetic(truth);
    const w = fitChromatogram(withoutKinetics(truth), data, { engine: 'wasm' });
    const j = fitChromatogram(withoutKinetics(truth), data, { engine: 'js' });
    w.analytes.forEach((a, i) => {
      expect(Math.abs(a.ka / j.analytes[i].ka - 1)).toBeLessThan(1e-12);
      expect(Math.abs(a.kd / j.analytes[i].kd - 1)).toBeLessThan(1e-12);
    });
  });
});

describe('fit: seeded Gaussian noise of 1% of the smallest peak', () => {
  const truth = btexElutionOrder();
  const clean = synthetic(truth);
  const smallest = Math.min(...clean.sim.analytes.map((a, i) => a.peak.height * truth.analytes[i].response!));
  const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
  const fits = seeds.map((seed) => {
    const normal = gaussian(seed);
    const signal = clean.signal.map((v) => v + 0.01 * smallest * normal());
    return fitChromatogram(withoutKinetics(truth, { baseline: { mode: 'fit', drift: 'constant' } }),
      { time: clean.time, signal });
  });

  it('recovers k_a and k_d within 2%', () => {
    for (const r of fits) {
      expect(r.status.code).toBe('converged');
      expect(maxRelativeError(r, truth)).toBeLessThan(0.02);
    }
  });

  it('reports standard errors that cover the truth (all within 3 SE, about 68% within 1 SE)', () => {
    let within1 = 0;
    let count = 0;
    for (const r of fits) {
      for (const a of r.analytes) {
        const t = truth.analytes.find((b) => b.name === a.name)!;
        for (const [fitted, se, exact] of [[a.ka, a.standardErrors.ka, t.ka], [a.kd, a.standardErrors.kd, t.kd]]) {
          const z = Math.abs(fitted - exact) / se;
          expect(z).toBeLessThan(3);
          if (z < 1) within1++;
          count++;
        }
      }
    }
    // 80 normal deviates: 68% within 1 SE is 54 ± 4; too small SEs would give far fewer, too
    // large ones far more.
    expect(within1 / count).toBeGreaterThan(0.5);
    expect(within1 / count).toBeLessThan(0.85);
  });
});

describe('fit: far starts', () => {
  const truth = btexProblem();
  const data = synthetic(truth);
  const windows = Object.fromEntries(chromatogram(truth).analytes.map((a) => [
    a.name, { start: a.moments.mean - 5 * a.moments.sigma, end: a.moments.mean + 5 * a.moments.sigma },
  ]));

  it('converges from ka x3, kd / 3 (with given windows)', () => {
    const start = structuredClone(truth);
    for (const a of start.analytes) {
      a.ka *= 3;
      a.kd /= 3;
    }
    const r = fitChromatogram({ ...start, fit: { windows } }, data);
    expect(r.status.code).toBe('converged');
    expect(maxRelativeError(r, truth)).toBeLessThan(1e-8);
  });

  it('from a start 100x off either converges to the truth or says it did not', () => {
    for (const factor of [100, 0.01]) {
      const start = structuredClone(truth);
      for (const a of start.analytes) a.kd *= factor;
      const r = fitChromatogram({ ...start, fit: { windows, maxIterations: 200 } }, data);
      if (r.status.code === 'converged') expect(maxRelativeError(r, truth)).toBeLessThan(1e-6);
      else expect(['max-iterations', 'no-descent']).toContain(r.status.code);
    }
  });

  it('reports max-iterations when stopped early', () => {
    const start = structuredClone(truth);
    for (const a of start.analytes) a.kd *= 5;
    const r = fitChromatogram({ ...start, fit: { windows } }, data, { maxIterations: 1 });
    expect(r.status.code).toBe('max-iterations');
    expect(r.status.message).toMatch(/iteration limit/);
  });
});
