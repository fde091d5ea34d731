/**
 * The parameter vector θ of the fit (MODEL.md §5): ln tM when fitted, then per peak its mean t_R,
 * the log of its kinetic width s and, when fitted, the log of its area; then the offset and slope
 * of each baseline segment when fitted; then the fitted mechanisms (mechanisms.ts): per peak
 * ln(1/Pe), ln αK2, ln k_d2, and ln τ_i, ln τ_d once; then per saturating peak the root of its
 * loading (MODEL.md §13.6).
 */
import type { MechanismSettings } from './mechanisms.js';

/** Which parameters are fitted besides the peaks' means and ln widths. */
export interface Fitted {
  holdup: boolean;
  area: boolean;
  baseline: boolean;
  /** A slope per baseline segment (linear drift) besides its offset. */
  slope: boolean;
}

/** Where each parameter sits in θ; -1: not fitted. */
export class ParameterLayout {
  /** ln tM. */
  readonly holdup: number;
  /** Per peak: mean t_R (s), ln kinetic width, ln area. */
  readonly mean: Int32Array;
  readonly width: Int32Array;
  readonly area: Int32Array;
  /** Per baseline segment: offset at its centre, slope. */
  readonly offset: Int32Array;
  readonly slope: Int32Array;
  /** Per peak: ln(1/Pe), ln αK2, ln k_d2 (slow site); -1: not fitted. */
  readonly inversePeclet: Int32Array;
  readonly slowK: Int32Array;
  readonly slowKd: Int32Array;
  /** Per peak: the parameter of its loading λ = K c0/qMax (saturating film, MODEL.md §13.6); -1: linear. */
  readonly loading: Int32Array;
  /** ln τ_i, ln τ_d: the inlet's and the detector's time constants. */
  readonly injectionTime: number;
  readonly detectorTime: number;
  /** Number of parameters. */
  readonly count: number;

  constructor(analytes: number, segments: number, fitted: Fitted, mechanisms?: MechanismSettings, saturating?: boolean[]) {
    let p = 0;
    this.holdup = fitted.holdup ? p++ : -1;
    this.mean = new Int32Array(analytes);
    this.width = new Int32Array(analytes);
    this.area = new Int32Array(analytes).fill(-1);
    for (let i = 0; i < analytes; i++) {
      this.mean[i] = p++;
      this.width[i] = p++;
      if (fitted.area) this.area[i] = p++;
    }
    this.offset = new Int32Array(segments).fill(-1);
    this.slope = new Int32Array(segments).fill(-1);
    if (fitted.baseline) {
      for (let g = 0; g < segments; g++) {
        this.offset[g] = p++;
        if (fitted.slope) this.slope[g] = p++;
      }
    }
    this.inversePeclet = new Int32Array(analytes).fill(-1);
    this.slowK = new Int32Array(analytes).fill(-1);
    this.slowKd = new Int32Array(analytes).fill(-1);
    for (let i = 0; i < analytes && mechanisms; i++) {
      if (mechanisms.diffusion[i]) this.inversePeclet[i] = p++;
      if (mechanisms.slowSites[i]) {
        this.slowK[i] = p++;
        this.slowKd[i] = p++;
      }
    }
    this.injectionTime = mechanisms?.injectionTime ? p++ : -1;
    this.detectorTime = mechanisms?.detectorTime ? p++ : -1;
    this.loading = new Int32Array(analytes).fill(-1);
    for (let i = 0; i < analytes && saturating; i++) if (saturating[i]) this.loading[i] = p++;
    this.count = p;
  }

  /**
   * The fitted shape parameters of peak i beyond its moments (ln 1/Pe, ln αK2, ln k_d2, its
   * loading), in that order: each gets a forward-difference Jacobian column of the peak alone.
   */
  peakMechanisms(i: number): number[] {
    return [this.inversePeclet[i], this.slowK[i], this.slowKd[i], this.loading[i]].filter((j) => j >= 0);
  }

  /** The fitted mechanism parameters shared by every peak (ln τ_i, ln τ_d). */
  sharedMechanisms(): number[] {
    return [this.injectionTime, this.detectorTime].filter((j) => j >= 0);
  }
}
