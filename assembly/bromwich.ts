// The combine phase of the Fourier-series inversion of a Laplace transform on the Bromwich line
// Re s = 0 (MODEL.md §12.2), allocation-free (twin: src/engine/kernels/bromwich.ts).
//
// A function negligible outside a window [start, start + period] equals, inside it, the Fourier
// series of its periodic continuation, with coefficients the transform at s_k = i 2 pi k/period:
//   f(t) = (1/period) [ Re F_0 + 2 sum_{k=1}^{K} Re( F_k e^{i omega_k t} ) ].
// The caller passes phi_k = F_k e^{i omega_k start}, so each output's phase is the angle
// theta = 2 pi (t - start)/period in [0, 2 pi]: the absolute time never enters a cosine.

/** Terms between two re-seedings of the rotation e^{ik theta} by cos and sin (bounds its rounding). */
const RESEED: i32 = 64;

/**
 * out[j] = scale/period [ phi_0.re + 2 sum_k Re(phi_k e^{i k theta_j}) ] for the n times inside the
 * window, 0 outside; phi: K + 1 complex values as (re, im) pairs of f64. Two outputs per f64x2.
 */
export function fourierSeries(
  times: usize, n: i32, start: f64, period: f64, terms: i32, phi: usize, scale: f64, out: usize,
): void {
  const factor = scale / period;
  const step = (2.0 * Math.PI) / period;
  let j = 0;
  for (; j + 2 <= n; j += 2) {
    const o = <usize>j << 3;
    const tau0 = load<f64>(times + o) - start;
    const tau1 = load<f64>(times + o, 8) - start;
    const in0 = tau0 >= 0.0 && tau0 <= period;
    const in1 = tau1 >= 0.0 && tau1 <= period;
    if (!in0 && !in1) {
      store<f64>(out + o, 0.0);
      store<f64>(out + o, 0.0, 8);
      continue;
    }
    const theta0 = step * (in0 ? tau0 : 0.0);
    const theta1 = step * (in1 ? tau1 : 0.0);
    const zr = f64x2(Math.cos(theta0), Math.cos(theta1));
    const zi = f64x2(Math.sin(theta0), Math.sin(theta1));
    let wr = f64x2.splat(1.0);
    let wi = f64x2.splat(0.0);
    let sum = f64x2.splat(0.0);
    for (let k = 1; k <= terms; k++) {
      if ((k & (RESEED - 1)) == 0) {
        const k64 = <f64>k;
        wr = f64x2(Math.cos(k64 * theta0), Math.cos(k64 * theta1));
        wi = f64x2(Math.sin(k64 * theta0), Math.sin(k64 * theta1));
      } else {
        const r = f64x2.sub(f64x2.mul(wr, zr), f64x2.mul(wi, zi));
        wi = f64x2.add(f64x2.mul(wr, zi), f64x2.mul(wi, zr));
        wr = r;
      }
      const p = phi + (<usize>k << 4);
      sum = f64x2.add(sum, f64x2.sub(f64x2.mul(f64x2.splat(load<f64>(p)), wr), f64x2.mul(f64x2.splat(load<f64>(p, 8)), wi)));
    }
    const head = load<f64>(phi);
    store<f64>(out + o, in0 ? factor * (head + 2.0 * f64x2.extract_lane(sum, 0)) : 0.0);
    store<f64>(out + o, in1 ? factor * (head + 2.0 * f64x2.extract_lane(sum, 1)) : 0.0, 8);
  }
  for (; j < n; j++) {
    const o = <usize>j << 3;
    const tau = load<f64>(times + o) - start;
    if (!(tau >= 0.0 && tau <= period)) {
      store<f64>(out + o, 0.0);
      continue;
    }
    const theta = step * tau;
    const zr = Math.cos(theta);
    const zi = Math.sin(theta);
    let wr = 1.0;
    let wi = 0.0;
    let sum = 0.0;
    for (let k = 1; k <= terms; k++) {
      if ((k & (RESEED - 1)) == 0) {
        wr = Math.cos(<f64>k * theta);
        wi = Math.sin(<f64>k * theta);
      } else {
        const r = wr * zr - wi * zi;
        wi = wr * zi + wi * zr;
        wr = r;
      }
      const p = phi + (<usize>k << 4);
      sum += load<f64>(p) * wr - load<f64>(p, 8) * wi;
    }
    store<f64>(out + o, factor * (load<f64>(phi) + 2.0 * sum));
  }
}
