// Exponentially scaled modified Bessel function of the first kind, order one:
// I1e(z) = exp(-z) I1(z), which stays finite where I1 overflows (z > 713).
// Chebyshev series (scripts/gen_tables.py): 2 I1e(z)/z on [0, 8]; sqrt(z) I1e(z) in 1/z on
// (8, 32] and (32, inf). The last needs only 10 terms, and well-retained analytes live there.
import { I1E_SMALL, I1E_MEDIUM, I1E_LARGE } from "./tables";

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

/** Which series serves z: 0 small, 1 medium, 2 large. */
// @ts-ignore: decorator
@inline
function range(z: f64): i32 {
  return z <= 8.0 ? 0 : z <= 32.0 ? 1 : 2;
}

// @ts-ignore: decorator
@inline
function variable(r: i32, z: f64): f64 {
  return r == 0 ? 0.25 * z - 1.0 : r == 1 ? (64.0 / z - 5.0) / 3.0 : 64.0 / z - 1.0;
}

// @ts-ignore: decorator
@inline
function finish(r: i32, z: f64, series: f64): f64 {
  return r == 0 ? 0.5 * z * series : series / Math.sqrt(z);
}

/** I1e(z) = exp(-z) I1(z) for z >= 0, to about one ulp. */
export function scaledBesselI1(z: f64): f64 {
  const r = range(z);
  const c = r == 0 ? I1E_SMALL : r == 1 ? I1E_MEDIUM : I1E_LARGE;
  return finish(r, z, chebyshev(c, variable(r, z)));
}

/** Second result of scaledBesselI1Pair. */
export let pairSecond: f64 = 0.0;

/**
 * I1e at two arguments at once; returns I1e(z0) and leaves I1e(z1) in `pairSecond`. Each value
 * is computed by exactly the operations of scaledBesselI1, but when both arguments fall in the
 * same range the two Clenshaw recurrences run interleaved in one loop: the recurrence is a chain
 * of dependent multiply-adds, so two independent chains run in about the time of one.
 */
export function scaledBesselI1Pair(z0: f64, z1: f64): f64 {
  const r = range(z0);
  if (r != range(z1)) {
    pairSecond = scaledBesselI1(z1);
    return scaledBesselI1(z0);
  }
  const c = r == 0 ? I1E_SMALL : r == 1 ? I1E_MEDIUM : I1E_LARGE;
  const t0 = variable(r, z0);
  const t1 = variable(r, z1);
  const s0 = 2.0 * t0;
  const s1 = 2.0 * t1;
  let p1 = 0.0, p2 = 0.0, q1 = 0.0, q2 = 0.0;
  for (let k = c.length - 1; k >= 1; k--) {
    const ck = unchecked(c[k]);
    const p = ck + s0 * p1 - p2;
    const q = ck + s1 * q1 - q2;
    p2 = p1;
    p1 = p;
    q2 = q1;
    q1 = q;
  }
  const c0 = unchecked(c[0]);
  pairSecond = finish(r, z1, c0 + t1 * q1 - q2);
  return finish(r, z0, c0 + t0 * p1 - p2);
}
