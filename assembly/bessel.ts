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

/** Second result of scaledBesselI1x4. */
export let secondX4: v128 = f64x2.splat(0.0);

// @ts-ignore: decorator
@inline
function variableX2(r: i32, z: v128): v128 {
  return r == 0
    ? f64x2.sub(f64x2.mul(f64x2.splat(0.25), z), f64x2.splat(1.0))
    : r == 1
      ? f64x2.div(f64x2.sub(f64x2.div(f64x2.splat(64.0), z), f64x2.splat(5.0)), f64x2.splat(3.0))
      : f64x2.sub(f64x2.div(f64x2.splat(64.0), z), f64x2.splat(1.0));
}

// @ts-ignore: decorator
@inline
function finishX2(r: i32, z: v128, series: v128): v128 {
  return r == 0 ? f64x2.mul(f64x2.mul(f64x2.splat(0.5), z), series) : f64x2.div(series, f64x2.sqrt(z));
}

/** The range serving all four lanes of z0 and z1, or -1 when they need different ranges. */
// @ts-ignore: decorator
@inline
function rangeX4(z0: v128, z1: v128): i32 {
  const above8 = v128.or(f64x2.gt(z0, f64x2.splat(8.0)), f64x2.gt(z1, f64x2.splat(8.0)));
  const above32 = v128.or(f64x2.gt(z0, f64x2.splat(32.0)), f64x2.gt(z1, f64x2.splat(32.0)));
  const all8 = v128.and(f64x2.gt(z0, f64x2.splat(8.0)), f64x2.gt(z1, f64x2.splat(8.0)));
  const all32 = v128.and(f64x2.gt(z0, f64x2.splat(32.0)), f64x2.gt(z1, f64x2.splat(32.0)));
  if (i64x2.all_true(all32)) return 2;
  if (!v128.any_true(above8)) return 0;
  return i64x2.all_true(all8) && !v128.any_true(above32) ? 1 : -1;
}

/**
 * I1e at four arguments, two f64x2 vectors: returns I1e(z0) lane by lane and leaves I1e(z1) in
 * `secondX4`. Each lane is computed by exactly the operations of scaledBesselI1 (and so equals the
 * twin's value bit for bit); when all four arguments fall in one range, the four Clenshaw
 * recurrences run as two interleaved vector recurrences: each is a chain of dependent
 * multiply-adds, so the four run in about the time of one.
 */
// @ts-ignore: decorator
@inline
export function scaledBesselI1x4(z0: v128, z1: v128): v128 {
  const r = rangeX4(z0, z1);
  if (r < 0) {
    secondX4 = f64x2(scaledBesselI1(f64x2.extract_lane(z1, 0)), scaledBesselI1(f64x2.extract_lane(z1, 1)));
    return f64x2(scaledBesselI1(f64x2.extract_lane(z0, 0)), scaledBesselI1(f64x2.extract_lane(z0, 1)));
  }
  const c = r == 0 ? I1E_SMALL : r == 1 ? I1E_MEDIUM : I1E_LARGE;
  const t0 = variableX2(r, z0);
  const t1 = variableX2(r, z1);
  const s0 = f64x2.mul(f64x2.splat(2.0), t0);
  const s1 = f64x2.mul(f64x2.splat(2.0), t1);
  let p1 = f64x2.splat(0.0), p2 = f64x2.splat(0.0), q1 = f64x2.splat(0.0), q2 = f64x2.splat(0.0);
  for (let k = c.length - 1; k >= 1; k--) {
    const ck = f64x2.splat(unchecked(c[k]));
    const p = f64x2.sub(f64x2.add(ck, f64x2.mul(s0, p1)), p2);
    const q = f64x2.sub(f64x2.add(ck, f64x2.mul(s1, q1)), q2);
    p2 = p1;
    p1 = p;
    q2 = q1;
    q1 = q;
  }
  const c0 = f64x2.splat(unchecked(c[0]));
  secondX4 = finishX2(r, z1, f64x2.sub(f64x2.add(c0, f64x2.mul(t1, q1)), q2));
  return finishX2(r, z0, f64x2.sub(f64x2.add(c0, f64x2.mul(t0, p1)), p2));
}

/** Results 2 to 4 of scaledBesselI1x8. */
export let secondX8: v128 = f64x2.splat(0.0);
export let thirdX8: v128 = f64x2.splat(0.0);
export let fourthX8: v128 = f64x2.splat(0.0);

/**
 * I1e at eight arguments, four f64x2 vectors, as scaledBesselI1x4 (same operations per lane):
 * four interleaved vector recurrences when all eight share a range.
 */
// @ts-ignore: decorator
@inline
export function scaledBesselI1x8(z0: v128, z1: v128, z2: v128, z3: v128): v128 {
  const r = rangeX4(z0, z1);
  if (r < 0 || rangeX4(z2, z3) != r) {
    const a = scaledBesselI1x4(z0, z1);
    secondX8 = secondX4;
    thirdX8 = scaledBesselI1x4(z2, z3);
    fourthX8 = secondX4;
    return a;
  }
  const c = r == 0 ? I1E_SMALL : r == 1 ? I1E_MEDIUM : I1E_LARGE;
  const t0 = variableX2(r, z0);
  const t1 = variableX2(r, z1);
  const t2 = variableX2(r, z2);
  const t3 = variableX2(r, z3);
  const s0 = f64x2.mul(f64x2.splat(2.0), t0);
  const s1 = f64x2.mul(f64x2.splat(2.0), t1);
  const s2 = f64x2.mul(f64x2.splat(2.0), t2);
  const s3 = f64x2.mul(f64x2.splat(2.0), t3);
  let a1 = f64x2.splat(0.0), a2 = f64x2.splat(0.0), b1 = f64x2.splat(0.0), b2 = f64x2.splat(0.0);
  let c1 = f64x2.splat(0.0), c2 = f64x2.splat(0.0), d1 = f64x2.splat(0.0), d2 = f64x2.splat(0.0);
  for (let k = c.length - 1; k >= 1; k--) {
    const ck = f64x2.splat(unchecked(c[k]));
    const a = f64x2.sub(f64x2.add(ck, f64x2.mul(s0, a1)), a2);
    const b = f64x2.sub(f64x2.add(ck, f64x2.mul(s1, b1)), b2);
    const cc = f64x2.sub(f64x2.add(ck, f64x2.mul(s2, c1)), c2);
    const d = f64x2.sub(f64x2.add(ck, f64x2.mul(s3, d1)), d2);
    a2 = a1; a1 = a;
    b2 = b1; b1 = b;
    c2 = c1; c1 = cc;
    d2 = d1; d1 = d;
  }
  const c0 = f64x2.splat(unchecked(c[0]));
  secondX8 = finishX2(r, z1, f64x2.sub(f64x2.add(c0, f64x2.mul(t1, b1)), b2));
  thirdX8 = finishX2(r, z2, f64x2.sub(f64x2.add(c0, f64x2.mul(t2, c1)), c2));
  fourthX8 = finishX2(r, z3, f64x2.sub(f64x2.add(c0, f64x2.mul(t3, d1)), d2));
  return finishX2(r, z0, f64x2.sub(f64x2.add(c0, f64x2.mul(t0, a1)), a2));
}
