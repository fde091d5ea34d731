// The residence-time density in u = sqrt(kd T) (MODEL.md §2; see laplace.ts),
//   F(u) = 2 sqrt(B) exp(-(u - sqrt B)^2) I1e(2 sqrt(B) u),
// at four or eight points at a time, two per f64x2. Each lane is computed by the twin's scalar
// operations in the twin's order, ((2 sqrt B) e^{-d^2}) I1e(z) with d = u - sqrt B and
// z = (2 sqrt B) u, so every quadrature rule built on it reproduces its twin bit for bit.
import { scaledBesselI1x4, secondX4, scaledBesselI1x8, secondX8, thirdX8, fourthX8 } from "./bessel";
import { expNonPositiveX2 } from "./exponential";

/** Results 2 to 4 of densityX4 / densityX8. */
export let densitySecond: v128 = f64x2.splat(0.0);
export let densityThird: v128 = f64x2.splat(0.0);
export let densityFourth: v128 = f64x2.splat(0.0);

/** e^{-(u - sqrt B)^2} in each lane. */
// @ts-ignore: decorator
@inline
function gaussian(u: v128, vSqrtB: v128): v128 {
  const d = f64x2.sub(u, vSqrtB);
  return expNonPositiveX2(f64x2.mul(f64x2.neg(d), d));
}

/** F at the lanes of u0 (returned) and u1 (densitySecond); vTwoSqrtB = 2 sqrt B in both lanes. */
// @ts-ignore: decorator
@inline
export function densityX4(u0: v128, u1: v128, vSqrtB: v128, vTwoSqrtB: v128): v128 {
  const e0 = gaussian(u0, vSqrtB);
  const e1 = gaussian(u1, vSqrtB);
  const i0 = scaledBesselI1x4(f64x2.mul(vTwoSqrtB, u0), f64x2.mul(vTwoSqrtB, u1));
  densitySecond = f64x2.mul(f64x2.mul(vTwoSqrtB, e1), secondX4);
  return f64x2.mul(f64x2.mul(vTwoSqrtB, e0), i0);
}

/** F at the lanes of u0 (returned), u1, u2, u3 (densitySecond, densityThird, densityFourth). */
// @ts-ignore: decorator
@inline
export function densityX8(u0: v128, u1: v128, u2: v128, u3: v128, vSqrtB: v128, vTwoSqrtB: v128): v128 {
  const e0 = gaussian(u0, vSqrtB);
  const e1 = gaussian(u1, vSqrtB);
  const e2 = gaussian(u2, vSqrtB);
  const e3 = gaussian(u3, vSqrtB);
  const i0 = scaledBesselI1x8(
    f64x2.mul(vTwoSqrtB, u0), f64x2.mul(vTwoSqrtB, u1), f64x2.mul(vTwoSqrtB, u2), f64x2.mul(vTwoSqrtB, u3));
  densitySecond = f64x2.mul(f64x2.mul(vTwoSqrtB, e1), secondX8);
  densityThird = f64x2.mul(f64x2.mul(vTwoSqrtB, e2), thirdX8);
  densityFourth = f64x2.mul(f64x2.mul(vTwoSqrtB, e3), fourthX8);
  return f64x2.mul(f64x2.mul(vTwoSqrtB, e0), i0);
}
