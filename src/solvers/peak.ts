/**
 * The maximum of an exact outlet chromatogram (MODEL.md §2),
 *   c(t) = scale [ G(tau) - G(tau - t1) + e^{-B} 1{0 < tau <= t1} ],  tau = t - tM,  G(T) = int_0^T f,
 * near its largest sample on the output grid. Between the plug's edges c is smooth and
 *   c'(t) = scale [ f(tau) - f(tau - t1) ],
 * a difference of two values of the residence-time density f (the integrand depends on t only
 * through the limits), so the maximum is the root of c' between the neighbours of the largest
 * sample: found by the secant method kept inside its bracket (regula falsi with the Illinois
 * modification, superlinear), then c evaluated there once. The plug's end tau = t1, where c drops
 * by scale e^{-B}, is a candidate too (a weakly retained analyte's maximum can sit on it); its
 * start never is (c rises after it).
 */
import type { LaplaceKernels } from '../engine/kernels/index.js';

/** Secant steps at most; the bracket of two grid intervals is resolved in about six. */
const MAX_STEPS = 60;

/** One-point arguments of pointConcentration, shared (filled right before each call). */
const one = {
  time: new Float64Array(1), holdup: new Float64Array(1), retention: new Float64Array(1),
  scale: new Float64Array(1), value: new Float64Array(1),
};

/**
 * Locates peaks of chromatograms that share a hold-up time and pulse; locating a peak allocates
 * nothing.
 */
export class PeakLocator {
  /** The last located maximum: time (s), height (mol/m3), and the density evaluations it took. */
  time = 0;
  height = 0;
  evaluations = 0;

  constructor(private readonly k: LaplaceKernels, private readonly holdup: number, private readonly pulse: number) {}

  /**
   * Density f(T) (1/s) at T = time spent in the film: with u = sqrt(kd T), z = 2 sqrt(B) u,
   * f = e^{-B - kd T} sqrt(A/T) I1(2 sqrt(A T)) = 2 B kd e^{-(u - sqrt B)^2} I1e(z)/z (A = B kd),
   * whose limit at T -> 0 is B kd e^{-B}.
   */
  private density(T: number, sqrtB: number, kd: number): number {
    if (!(T > 0)) return 0;
    this.evaluations++;
    const u = Math.sqrt(kd * T);
    const z = 2 * sqrtB * u;
    const d = u - sqrtB;
    const ratio = z > 0 ? this.k.scaledBesselI1(z) / z : 0.5;
    return 2 * sqrtB * sqrtB * kd * Math.exp(-d * d) * ratio;
  }

  /** c'(t) / scale. */
  private slope(t: number, sqrtB: number, kd: number): number {
    const tau = t - this.holdup;
    return this.density(tau, sqrtB, kd) - this.density(tau - this.pulse, sqrtB, kd);
  }

  /** c(t) by one point quadrature. */
  private concentration(t: number, retention: number, kd: number, scale: number): number {
    one.time[0] = t;
    one.holdup[0] = this.holdup;
    one.retention[0] = retention;
    one.scale[0] = scale;
    this.evaluations += this.k.pointConcentration(one.time, one.holdup, one.retention, one.scale, kd, this.pulse, one.value);
    return one.value[0];
  }

  /**
   * The maximum of c near sample j (the largest of c on the ascending grid `times`): the root of
   * c' in [t_{j-1}, t_{j+1}] and the plug's end, when inside, against the sample itself. Leaves
   * the result in `time`, `height` and `evaluations` (nothing is allocated per peak).
   */
  locate(times: Float64Array, c: Float64Array, j: number, retention: number, kd: number, scale: number): void {
    this.evaluations = 0;
    this.time = times[j];
    this.height = c[j];
    const n = c.length;
    if (n < 3) return;
    const lo = times[Math.max(0, j - 1)];
    const hi = times[Math.min(n - 1, j + 1)];
    const root = this.rootOfSlope(lo, hi, Math.sqrt(retention), kd);
    if (root !== null) this.consider(root, retention, kd, scale);
    // The plug's end: the last time whose tau = t - tM is <= t1 in floating point.
    let end = this.holdup + this.pulse;
    while (end - this.holdup > this.pulse) end -= Math.abs(end) * Number.EPSILON;
    if (end > lo && end < hi && Math.exp(-retention) > 0) this.consider(end, retention, kd, scale);
  }

  /** Takes t as the maximum if c(t) is above the one held. */
  private consider(t: number, retention: number, kd: number, scale: number): void {
    const height = this.concentration(t, retention, kd, scale);
    if (height > this.height) {
      this.time = t;
      this.height = height;
    }
  }

  /** The root of c' in [lo, hi] when c' falls through zero there (a maximum), else null. */
  private rootOfSlope(lo: number, hi: number, sqrtB: number, kd: number): number | null {
    let a = lo;
    let b = hi;
    let fa = this.slope(a, sqrtB, kd);
    let fb = this.slope(b, sqrtB, kd);
    if (!(fa > 0 && fb < 0)) return null;
    let side = 0;
    let x = a;
    for (let step = 0; step < MAX_STEPS; step++) {
      const previous = x;
      x = a - (fa * (b - a)) / (fb - fa);
      if (!(x > a && x < b)) x = 0.5 * (a + b);
      const fx = this.slope(x, sqrtB, kd);
      if (fx === 0 || Math.abs(x - previous) <= 1e-12 * (hi - lo)) break;
      // Illinois: an end kept twice in a row has its value halved, so that both ends move.
      if (fx > 0) {
        a = x;
        fa = fx;
        if (side === 1) fb /= 2;
        side = 1;
      } else {
        b = x;
        fb = fx;
        if (side === -1) fa /= 2;
        side = -1;
      }
    }
    return x;
  }
}
