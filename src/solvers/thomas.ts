/**
 * Chromatograms of overloaded analytes (Langmuir or anti-Langmuir film, MODEL.md §13) by the
 * Thomas solution: exact without diffusion at constant velocity. Linear analytes of the same
 * problem take the exact linear solution (§2) as before.
 */
import { jsKernels, jsThomasKernels, type LaplaceKernels, type ThomasKernels } from '../engine/kernels/index.js';
import { selectKernels } from '../engine/wasm.js';
import { holdupTime, phaseRatio } from '../model/flow.js';
import { peakMoments, resolution, type PeakMoments } from '../model/moments.js';
import { isOverloaded, ProblemError, type Analyte, type Problem } from '../model/problem.js';
import { chromatogramStatus } from './checks.js';
import { trapezoidAndMaximum } from './grid.js';
import type { AnalyteChromatogram, ChromatogramResult, LaplaceOptions } from './laplace.js';
import { status } from './status.js';

/**
 * Largest error of the Thomas kernel as a fraction of c0 (tested: 9.5e-14 of the peak against a
 * 40-digit evaluation, test/thomas.test.ts); the result's errorEstimate for overloaded analytes.
 */
export const THOMAS_ERROR_BOUND = 1e-12;

/** Loading rate kappa = ka c0/qMax (1/s), negative for the anti-Langmuir form (MODEL.md §13.2). */
export function loadingRate(a: Analyte): number {
  return (a.isotherm === 'anti-langmuir' ? -1 : 1) * (a.ka * a.c0) / (a.qMax as number);
}

/**
 * Refuses an overloaded problem the Thomas solution does not cover, naming the key: variable
 * velocity (the substitution needs u constant), diffusion, or a mechanism of MODEL.md §12.5.
 */
export function checkThomasProblem(problem: Problem, diffusion: boolean | undefined, lastTime: number): void {
  problem.analytes.forEach((a, k) => {
    // kappa t enters as an exponent: it must stay finite over the output times
    if (isOverloaded(a) && !Number.isFinite(4 * loadingRate(a) * lastTime)) {
      throw new ProblemError(`analytes[${k}].qMax`, `gives a loading rate ka c0/qMax = ${loadingRate(a)} 1/s whose ` +
        `exponent kappa t overflows at t = ${lastTime} s; qMax must be above ${(4 * a.ka * a.c0 * lastTime / 1.7e308).toExponential(3)} ` +
        `mol/m3 for these times, got ${a.qMax}`);
    }
  });
  const i = problem.analytes.findIndex(isOverloaded);
  const which = `analytes[${i}].isotherm "${problem.analytes[i].isotherm}"`;
  if (problem.column.velocity !== 'constant') {
    throw new ProblemError('column.velocity', `must be "constant" for ${which}: the Thomas solution (MODEL.md §13) ` +
      'holds at constant velocity only; got "variable"');
  }
  const d = problem.analytes.findIndex((a) => (a.diffusivity ?? 0) > 0);
  if (d >= 0 && diffusion !== false) {
    throw new ProblemError(`analytes[${d}].diffusivity`, `is not taken with ${which}: the Thomas solution (MODEL.md §13) ` +
      `has no diffusion; pass diffusion: false (CLI --diffusion off) to neglect it, got ${problem.analytes[d].diffusivity}`);
  }
  const s = problem.analytes.findIndex((a) => a.slowKa !== undefined);
  const key = s >= 0 ? `analytes[${s}].slowKa` : (problem.injection.timeConstant ?? 0) > 0 ? 'injection.timeConstant'
    : (problem.detector?.timeConstant ?? 0) > 0 ? 'detector.timeConstant' : null;
  if (key) throw new ProblemError(key, `is not taken with ${which}: the Thomas solution (MODEL.md §13) has no such mechanism`);
}

/**
 * Moments of a sampled peak (trapezoid weights): mean and variance about it; null when the
 * samples hold no peak to take them from (no area, or a spread of zero: one or two points on it).
 */
function sampledMoments(times: Float64Array, c: Float64Array, base: PeakMoments): PeakMoments | null {
  let m0 = 0, m1 = 0, m2 = 0;
  for (let j = 1; j < times.length; j++) {
    const w = 0.5 * (times[j] - times[j - 1]);
    m0 += (times[j] - times[j - 1]) * (0.5 * c[j] + 0.5 * c[j - 1]);
    m1 += w * (c[j] * times[j] + c[j - 1] * times[j - 1]);
    m2 += w * (c[j] * times[j] * times[j] + c[j - 1] * times[j - 1] * times[j - 1]);
  }
  const mean = m1 / m0;
  const variance = Math.max(m2 / m0 - mean * mean, 0);
  const plates = mean * mean / variance;
  if (!(m0 > 0) || !(variance > 0) || !Number.isFinite(mean) || !Number.isFinite(plates)) return null;
  return { ...base, mean, variance, sigma: Math.sqrt(variance), plates };
}

/** The chromatogram of a problem with at least one overloaded analyte (checked by checkThomasProblem). */
export function thomasChromatogram(
  problem: Problem, times: Float64Array, engine: LaplaceOptions['engine'], detector: ((c: Float64Array[]) => Float64Array | null),
  started: number,
): ChromatogramResult {
  const column = problem.column;
  const pulse = problem.injection.duration;
  const holdup = holdupTime(column, column.length);
  const alpha = phaseRatio(column);
  const linear = selectKernels(engine as 'wasm' | 'js' | LaplaceKernels | undefined, jsKernels) as LaplaceKernels;
  const thomas: ThomasKernels = engine === 'js' ? jsThomasKernels
    : typeof engine === 'object' && engine !== null && 'thomasConcentration' in engine ? engine as unknown as ThomasKernels
      : engine === undefined || engine === 'wasm' || linear.name === 'wasm' ? linear as unknown as ThomasKernels : jsThomasKernels;
  let evaluations = 0;
  let errorEstimate = 0;
  const unsampled: string[] = [];
  const analytes: AnalyteChromatogram[] = problem.analytes.map((a) => {
    const c = new Float64Array(times.length);
    const B = alpha * a.ka * holdup;
    if (isOverloaded(a)) {
      evaluations += thomas.thomasConcentration(times, holdup, B, a.kd, loadingRate(a), pulse, a.c0, c);
      errorEstimate = Math.max(errorEstimate, THOMAS_ERROR_BOUND);
    } else {
      evaluations += linear.outletConcentration(times, holdup, B, a.kd, pulse, a.c0, c);
    }
    const { area, peak } = trapezoidAndMaximum(times, c);
    const base = peakMoments(column, a, pulse);
    // the linear closed forms of §5 do not hold for a saturating film: moments of the samples
    const sampled = isOverloaded(a) ? sampledMoments(times, c, base) : base;
    if (sampled === null) unsampled.push(a.name);
    return {
      name: a.name,
      concentration: c,
      moments: sampled ?? base,
      peak: { time: times[peak], height: c[peak] },
      area,
      resolutionToNext: null,
    };
  });
  const order = analytes.map((_, i) => i).sort((i, j) => analytes[i].moments.mean - analytes[j].moments.mean);
  for (let r = 0; r + 1 < order.length; r++) {
    analytes[order[r]].resolutionToNext = resolution(analytes[order[r]].moments, analytes[order[r + 1]].moments);
  }
  const signal = detector(analytes.map((a) => a.concentration));
  const checked = chromatogramStatus(times, analytes, signal, status('success'));
  if (unsampled.length > 0) {
    // finite, but not the saturating peak's: say so, and never call it success
    for (const name of unsampled) {
      checked.warnings.push(`${name}: the output times do not sample the saturating peak (no area or a single point on ` +
        'it), so its moments are those of the linear peak with the same ka and kd; widen or refine output');
    }
    if (checked.status.code === 'success') checked.status = status('off-grid', unsampled.join(', '));
  }
  return {
    method: 'laplace',
    velocity: column.velocity,
    times,
    analytes,
    signal,
    errorEstimate,
    status: checked.status,
    warnings: checked.warnings,
    cost: { engine: thomas.name, evaluations, wallTimeMs: performance.now() - started },
  };
}
