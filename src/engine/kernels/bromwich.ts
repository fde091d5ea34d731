/**
 * Plain-TypeScript twin of assembly/bromwich.ts: the combine phase of the Fourier-series inversion
 * of a Laplace transform on the Bromwich line Re s = 0 (MODEL.md §12.2).
 *
 * A function f that is negligible outside a window [start, start + period] equals, inside it, the
 * Fourier series of its periodic continuation, whose coefficients are the transform on the
 * imaginary axis at the nodes s_k = i omega_k, omega_k = 2 pi k / period:
 *   f(t) = (1/period) [ Re F_0 + 2 sum_{k=1}^{K} Re( F_k e^{i omega_k t} ) ].
 * The caller passes phi_k = F_k e^{i omega_k start}, so the phase of each output is the angle
 * theta = 2 pi (t - start)/period in [0, 2 pi]: the absolute time never enters a cosine.
 */

/** Terms between two re-seedings of the rotation e^{ik theta} by cos and sin (bounds its rounding). */
export const RESEED = 64;

/**
 * out[j] = scale/period [ phi_0.re + 2 sum_k Re(phi_k e^{i k theta_j}) ] for times inside the
 * window [start, start + period], 0 outside; phi holds K + 1 complex values as (re, im) pairs.
 */
export function fourierSeries(
  times: Float64Array, n: number, start: number, period: number, terms: number, phi: Float64Array, scale: number,
  out: Float64Array,
): void {
  const factor = scale / period;
  const step = (2 * Math.PI) / period;
  for (let j = 0; j < n; j++) {
    const tau = times[j] - start;
    if (!(tau >= 0 && tau <= period)) {
      out[j] = 0;
      continue;
    }
    const theta = step * tau;
    const zr = Math.cos(theta);
    const zi = Math.sin(theta);
    let wr = 1;
    let wi = 0;
    let sum = 0;
    for (let k = 1; k <= terms; k++) {
      if ((k & (RESEED - 1)) === 0) {
        wr = Math.cos(k * theta);
        wi = Math.sin(k * theta);
      } else {
        const r = wr * zr - wi * zi;
        wi = wr * zi + wi * zr;
        wr = r;
      }
      sum += phi[2 * k] * wr - phi[2 * k + 1] * wi;
    }
    out[j] = factor * (phi[0] + 2 * sum);
  }
}
