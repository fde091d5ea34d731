/**
 * Fitting with diffusion, a slow second kind of site and the inlet's and detector's time constants
 * (src/solvers/fit/mechanisms.ts, MODEL.md §12.7): synthetic chromatograms from the exact solution
 * with diffusion (MODEL.md §12) with known values plus seeded Gaussian noise (1e-3 of the largest
 * peak), fitted back. Each recovered value is within 3 of its own standard errors of the truth and
 * within a stated relative tolerance (measured errors in the comments).
 */
import { describe, expect, it } from 'vitest';
import { chromatogram, fitChromatogram, type Problem } from '../src/index.js';
import { fitTable } from '../src/cli/fit.js';

const column = {
  length: 10, radius: 9e-5, filmThickness: 1e-6, inletPressure: 2e5, outletPressure: 1e5, inletVelocity: 0.1,
  velocity: 'constant' as const,
};
type Truth = Problem['analytes'];

/** A seeded normal generator (Box–Muller on a linear congruential generator). */
function normals(seed: number): () => number {
  let s = seed;
  const u = () => { s = (s * 1103515245 + 12345) % 2147483648; return (s + 0.5) / 2147483648; };
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/** The signal of `analytes` (baseline 10, response 1000) with noise 1e-3 of the largest peak. */
function measured(analytes: Truth, injectionTime = 0, detectorTime = 0) {
  const r = chromatogram({
    column, injection: { duration: 5, timeConstant: injectionTime }, analytes,
    detector: { baseline: 10, timeConstant: detectorTime }, output: { start: 0, end: 900, count: 1801 },
  });
  expect(r.status.code).toBe('success');
  const signal = r.signal as Float64Array;
  const peak = Math.max(...signal) - 10;
  const noise = normals(12345);
  return { time: r.times, signal: Array.from(signal, (v) => v + 1e-3 * peak * noise()) };
}

function fitOf(analytes: Truth, fit: Record<string, unknown>, data: { time: Float64Array; signal: number[] }) {
  return fitChromatogram({
    column, injection: { duration: 5 }, detector: { baseline: 10 },
    analytes: analytes.map(({ name, c0, response }) => ({ name, c0, response })),
    fit: { response: 'fit', ...fit },
  }, data);
}

/** |estimate − truth| within `sigmas` standard errors and `relative` of the truth. */
function recovered(estimate: number, truth: number, se: number | null, relative: number, what: string): void {
  expect(se, what).not.toBeNull();
  expect(Math.abs(estimate - truth), `${what}: ${estimate} ± ${se}, truth ${truth}`).toBeLessThan(3 * (se as number));
  expect(Math.abs(estimate / truth - 1), what).toBeLessThan(relative);
}

const kinetics = [
  { name: 'a', ka: 45, kd: 2, c0: 1, response: 1000 },
  { name: 'b', ka: 135, kd: 3, c0: 1, response: 1000 },
];

describe('fit with mechanisms: synthetic recovery (noise 1e-3 of the peak)', () => {
  it('diffusion: D (known column) and the kinetics', () => {
    const truth = kinetics.map((a, i) => ({ ...a, diffusivity: [2e-4, 1.5e-4][i] }));
    const r = fitOf(truth, { diffusion: true }, measured(truth));
    expect(r.status.code).toBe('converged');
    r.analytes.forEach((a, i) => {
      const m = a.mechanisms!;
      expect(m.fitted).toEqual({ diffusion: true, slowSite: false });
      // measured: D off by 1.4% (0.4 SE) and 22% (2.2 SE), k_a, k_d by 0.24% and 3.9%
      recovered(m.diffusivity!, truth[i].diffusivity, m.standardErrors.inversePeclet! * column.inletVelocity * column.length, 0.3, `${a.name} D`);
      recovered(a.ka, truth[i].ka, a.standardErrors.ka, 0.05, `${a.name} ka`);
      recovered(a.kd, truth[i].kd, a.standardErrors.kd, 0.05, `${a.name} kd`);
      expect(m.inversePeclet).toBeCloseTo(m.diffusivity! / (column.inletVelocity * column.length), 15);
    });
  });

  it('a slow second site: its k_a2, k_d2 and the fast site', () => {
    const truth = kinetics.map((a, i) => ({ ...a, slowKa: [0.045, 0.135][i], slowKd: [0.1, 0.15][i] }));
    const r = fitOf(truth, { slowSites: true }, measured(truth));
    expect(r.status.code).toBe('converged');
    r.analytes.forEach((a, i) => {
      const m = a.mechanisms!;
      // measured: k_a2 off by 3.7% and 5.6%, k_d2 by 3.8% and 3.0% (1.1-1.9 SE); k_a, k_d by 0.15-0.33%
      recovered(m.slowKa, truth[i].slowKa, m.standardErrors.slowKa, 0.1, `${a.name} slowKa`);
      recovered(m.slowKd, truth[i].slowKd, m.standardErrors.slowKd, 0.1, `${a.name} slowKd`);
      recovered(a.ka, truth[i].ka, a.standardErrors.ka, 0.02, `${a.name} ka`);
      recovered(a.kd, truth[i].kd, a.standardErrors.kd, 0.02, `${a.name} kd`);
    });
  });

  it('the inlet time constant, and the detector time constant', () => {
    const inlet = fitOf(kinetics, { injectionTime: true }, measured(kinetics, 4));
    expect(inlet.status.code).toBe('converged');
    // measured 4.0045 ± 0.0145 s
    recovered(inlet.mechanisms!.injectionTime, 4, inlet.mechanisms!.standardErrors.injectionTime, 0.01, 'injection time');
    expect(inlet.mechanisms!.detectorTime).toBe(0);
    const detector = fitOf(kinetics, { detectorTime: true }, measured(kinetics, 0, 3));
    expect(detector.status.code).toBe('converged');
    // measured 3.021 ± 0.021 s
    recovered(detector.mechanisms!.detectorTime, 3, detector.mechanisms!.standardErrors.detectorTime, 0.02, 'detector time');
    for (const r of [inlet, detector]) {
      r.analytes.forEach((a, i) => recovered(a.ka, kinetics[i].ka, a.standardErrors.ka, 0.01, `${a.name} ka`));
    }
  });

  it('a mechanism the data do not have stays a small part of the peaks', () => {
    const r = fitOf(kinetics, { injectionTime: true }, measured(kinetics));
    expect(r.status.code).toBe('converged');
    // no inlet tail in the data: τ_i ends at 1.14 s (start 1.0 s), τ_i² 2.5% of the narrower peak's
    // variance; the kinetics absorb the rest of the shape. (Not zero: near 0 the fit's parameter
    // √τ_i has a vanishing gradient, MODEL.md §12.7.)
    const narrower = Math.min(...r.analytes.map((a) => a.sigma));
    expect(r.mechanisms!.injectionTime ** 2).toBeLessThan(0.03 * narrower ** 2);
    // k_a then 2.0% off the truth (the kinetics take up the tail that τ_i adds)
    r.analytes.forEach((a, i) => expect(Math.abs(a.ka / kinetics[i].ka - 1)).toBeLessThan(0.03));
  });

  it('fixed mechanisms from the problem are taken as they are (the exact model: R² 1 to rounding without noise)', () => {
    const truth = kinetics.map((a, i) => ({ ...a, diffusivity: [2e-4, 1.5e-4][i], slowKa: [0.045, 0.135][i], slowKd: [0.1, 0.15][i] }));
    const r0 = chromatogram({
      column, injection: { duration: 5, timeConstant: 4 }, analytes: truth, detector: { baseline: 10 },
      output: { start: 0, end: 900, count: 1801 },
    });
    // the start is the truth (ka, kd given, diffusivity the start of the fitted 1/Pe)
    const r = fitChromatogram({
      column, injection: { duration: 5, timeConstant: 4 }, detector: { baseline: 10 }, analytes: truth,
      fit: { response: 'fit', diffusion: true },
    }, { time: r0.times, signal: r0.signal as Float64Array });
    expect(r.status.code).toBe('converged');
    expect(1 - r.r2).toBeLessThan(1e-20);
    r.analytes.forEach((a, i) => {
      expect(Math.abs(a.ka / truth[i].ka - 1)).toBeLessThan(1e-9);
      expect(Math.abs(a.mechanisms!.diffusivity! / truth[i].diffusivity - 1)).toBeLessThan(1e-9);
      expect(a.mechanisms!.fitted.slowSite).toBe(false);
      expect(a.mechanisms!.slowKa).toBeCloseTo(truth[i].slowKa, 12);
    });
    expect(r.mechanisms).toMatchObject({ injectionTime: 4, fitted: { injectionTime: false } });
  });
});

describe('fit with mechanisms: keys, budget and old problems', () => {
  const data = measured(kinetics);

  it('refuses bad keys naming them', () => {
    const base = { column, injection: { duration: 5 }, detector: { baseline: 10 }, analytes: kinetics };
    expect(() => fitChromatogram({ ...base, fit: { diffusion: ['c'] } }, data)).toThrow(/fit.diffusion\[0\]: must be the name of an analyte \(a, b\), got "c"/);
    expect(() => fitChromatogram({ ...base, fit: { slowSites: 'yes' } }, data)).toThrow(/fit.slowSites: must be true, false or an array/);
    expect(() => fitChromatogram({ ...base, fit: { injectionTime: 1 } }, data)).toThrow(/fit.injectionTime: must be true or false/);
    expect(() => fitChromatogram({ ...base, fit: { injectionTime: true, detectorTime: true } }, data))
      .toThrow(/fit.detectorTime: cannot be fitted together with fit.injectionTime/);
    expect(() => fitChromatogram({ ...base, injection: { duration: 5, timeConstant: 0 }, fit: { injectionTime: true } }, data))
      .toThrow(/injection.timeConstant: is 0, where fit.injectionTime fits it/);
    expect(() => fitChromatogram({ ...base, injection: { duration: 5, timeConstant: -1 } }, data)).toThrow(/injection.timeConstant/);
  });

  it('keeps its work budget: a small one ends max-evaluations within it', () => {
    const r = fitOf(kinetics, { diffusion: true, slowSites: true, maxEvaluations: 40 }, data);
    expect(r.status.code).toBe('max-evaluations');
    expect(r.cost.chromatogramEvaluations).toBeLessThanOrEqual(40);
    const full = fitOf(kinetics, { diffusion: true }, data);
    expect(full.cost.maxEvaluations).toBe(1000);
    expect(full.cost.chromatogramEvaluations).toBeLessThanOrEqual(1000);
  });

  it('elution fit prints the mechanisms under its table, fitted with their errors, fixed ones marked', () => {
    const truth = kinetics.map((a, i) => ({ ...a, slowKa: [0.045, 0.135][i], slowKd: [0.1, 0.15][i] }));
    const text = fitTable(fitChromatogram({
      column, injection: { duration: 5 }, detector: { baseline: 10 },
      analytes: truth.map(({ name, c0, response, slowKa, slowKd }, i) => (i === 0 ? { name, c0, response, slowKa, slowKd } : { name, c0, response })),
      fit: { response: 'fit', slowSites: ['b'], injectionTime: true },
    }, measured(truth)));
    expect(text).toMatch(/Mechanisms \(k_a, k_d above are the fast site's\):\na: slow site k_a2 0\.04500 \(fixed\) 1\/s, k_d2 0\.1000 \(fixed\) 1\/s\nb: slow site k_a2 [0-9.e-]+ ± [0-9.e+-]+ 1\/s/);
    expect(text).toMatch(/inlet time constant [0-9.e-]+ (± [0-9.e+-]+|\(at its bound\)) s/);
    expect(fitTable(fitOf(kinetics, {}, data))).not.toMatch(/Mechanisms/);
  });

  it('a fit without mechanisms has no mechanisms in its result (its meaning unchanged)', () => {
    const r = fitOf(kinetics, {}, data);
    expect(r.mechanisms).toBeUndefined();
    expect(r.analytes[0].mechanisms).toBeUndefined();
    expect(r.cost.maxEvaluations).toBe(80);
  });
});
