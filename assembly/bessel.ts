// Exponentially scaled modified Bessel function of the first kind, order one:
// I1e(z) = exp(-z) I1(z), which stays finite where I1 overflows (z > 713).
import { I1E_SMALL, I1E_LARGE } from "./tables";

/** Sum of a Chebyshev series c0 + c1 T1(t) + ... by Clenshaw's recurrence, -1 <= t <= 1. */
// @ts-ignore: decorator
@inline
function chebyshev(c: StaticArray<f64>, t: f64): f64 {
  const t2 = 2.0 * t;
  let b1 = 0.0;
  let b2 = 0.0;
  for (let k = c.length - 1; k >= 1; k--) {
    const b = unchecked(c[k]) + t2 * b1 - b2;
    b2 = b1;
    b1 = b;
  }
  return unchecked(c[0]) + t * b1 - b2;
}

/** I1e(z) = exp(-z) I1(z) for z >= 0, to about one ulp. */
export function scaledBesselI1(z: f64): f64 {
  if (z <= 8.0) return 0.5 * z * chebyshev(I1E_SMALL, 0.25 * z - 1.0);
  return chebyshev(I1E_LARGE, 16.0 / z - 1.0) / Math.sqrt(z);
}
