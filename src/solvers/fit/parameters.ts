/**
 * The parameter vector θ of the fit (MODEL.md §5): ln tM when fitted, then per peak its mean t_R,
 * the log of its kinetic width s and, when fitted, the log of its area; then the offset and slope
 * of each baseline segment when fitted.
 */

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
  /** Number of parameters. */
  readonly count: number;

  constructor(analytes: number, segments: number, fitted: Fitted) {
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
    this.count = p;
  }
}
