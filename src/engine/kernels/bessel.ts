/**
 * Plain-TypeScript twin of assembly/bessel.ts: the readable specification of the kernel, used by
 * tests (agreement to rounding) and benchmarks (speed-up). Same tables, same operation order.
 */
import { I1E_LARGE, I1E_MEDIUM, I1E_SMALL } from './tables.js';

/** Sum of a Chebyshev series c0 + c1 T1(t) + ... by Clenshaw's recurrence, -1 <= t <= 1. */
function chebyshev(c: Float64Array, t: number): number {
  const t2 = 2 * t;
  let b1 = 0;
  let b2 = 0;
  for (let k = c.length - 1; k >= 1; k--) {
    const b = c[k] + t2 * b1 - b2;
    b2 = b1;
    b1 = b;
  }
  return c[0] + t * b1 - b2;
}

/**
 * I1e(z) = exp(-z) I1(z) for z >= 0 (dimensionless), to about one ulp: a Chebyshev series of
 * 2 I1e(z)/z on [0, 8], of sqrt(z) I1e(z) in 1/z on (8, 32] and on (32, inf).
 */
export function scaledBesselI1(z: number): number {
  if (z <= 8) return 0.5 * z * chebyshev(I1E_SMALL, 0.25 * z - 1);
  if (z <= 32) return chebyshev(I1E_MEDIUM, (64 / z - 5) / 3) / Math.sqrt(z);
  return chebyshev(I1E_LARGE, 64 / z - 1) / Math.sqrt(z);
}
