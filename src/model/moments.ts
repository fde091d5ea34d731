/**
 * Exact moments of the outlet peak of the model without diffusion, rectangular pulse (MODEL.md §5).
 */
import { holdupTime, phaseRatio, velocityRatio } from './flow.js';
import type { Analyte, Column } from './problem.js';

export interface PeakMoments {
  /** Gas hold-up time tM(L) (s). */
  holdupTime: number;
  /** Retention factor alpha K (dimensionless). */
  retentionFactor: number;
  /** Mean retention time t_R = tM (1 + alpha K) + t1/2 (s). */
  mean: number;
  /** Variance sigma^2 = 2 alpha K tM / kd + t1^2/12 (s^2). */
  variance: number;
  /** Standard deviation sigma (s). */
  sigma: number;
  /** Plate number N = t_R^2 / sigma^2. */
  plates: number;
  /** Peak area c0 t1 u0/u(L) (mol s / m3): c0 t1 pL/p0 for variable velocity, c0 t1 for constant. */
  area: number;
  /** Fraction that never adsorbs, e^{-alpha ka tM}, leaving as an attenuated copy of the pulse. */
  unretainedFraction: number;
}

export function peakMoments(column: Column, analyte: Analyte, pulse: number): PeakMoments {
  const tM = holdupTime(column, column.length);
  const k = (phaseRatio(column) * analyte.ka) / analyte.kd;
  const mean = tM * (1 + k) + pulse / 2;
  const variance = (2 * k * tM) / analyte.kd + (pulse * pulse) / 12;
  return {
    holdupTime: tM,
    retentionFactor: k,
    mean,
    variance,
    sigma: Math.sqrt(variance),
    plates: (mean * mean) / variance,
    area: (analyte.c0 * pulse) / velocityRatio(column, column.length),
    unretainedFraction: Math.exp(-phaseRatio(column) * analyte.ka * tM),
  };
}

/** Resolution Rs = |t_R2 - t_R1| / (2 (sigma_1 + sigma_2)) of two peaks (moment-based, 4-sigma widths). */
export function resolution(a: PeakMoments, b: PeakMoments): number {
  return Math.abs(b.mean - a.mean) / (2 * (a.sigma + b.sigma));
}
