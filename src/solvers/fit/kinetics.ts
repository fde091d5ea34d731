/**
 * The kinetic constants of an analyte and the moments of its peak (MODEL.md §5), both ways: the
 * mean t_R = tM (1 + αK) + t1/2 and the kinetic width s² = 2 αK tM / k_d = σ² − t1²/12, with
 * αK = α k_a / k_d. The fit places peaks by these moments and reads the constants back from them.
 */
import type { FitProblemAnalyte } from './problem.js';

/** Whether analyte a has start constants (k_a, k_d) and there is a hold-up time (s) to place its peak by. */
export function placedByConstants(a: FitProblemAnalyte, holdup: number): a is FitProblemAnalyte & { ka: number; kd: number } {
  return a.ka !== undefined && a.kd !== undefined && Number.isFinite(holdup);
}

/**
 * Mean (s) and kinetic width² (s²) of the peak of (ka, kd) (1/s) for hold-up time `holdup` (s),
 * phase ratio `alpha` and pulse duration `pulse` t1 (s).
 */
export function peakMoments(ka: number, kd: number, holdup: number, alpha: number, pulse: number): { mean: number; width2: number } {
  const k = (alpha * ka) / kd;
  return { mean: holdup * (1 + k) + pulse / 2, width2: (2 * k * holdup) / kd };
}

/**
 * The retention factor αK and k_d (1/s) of a peak with mean `mean` (s) and kinetic width²
 * `width2` (s²), for hold-up time tM (s) and pulse duration `pulse` (s): peakMoments inverted.
 */
export function constantsOfMoments(mean: number, width2: number, tM: number, pulse: number): { k: number; kd: number } {
  const k = (mean - pulse / 2) / tM - 1;
  return { k, kd: (2 * k * tM) / width2 };
}
