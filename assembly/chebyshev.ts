// The panel-Chebyshev rule of the cumulative quadrature (MODEL.md §2), allocation-free.
//
// The density F(u) = 2 sqrt(B) exp(-(u - sqrt B)^2) I1e(2 sqrt(B) u) (see laplace.ts) is entire
// and a bump of unit width, so on a panel of width <= 1 its interpolant at N = 20 Chebyshev
// points is exact to rounding (the coefficients fall below 1e-15 of F by degree 18 for every B).
// Phase one samples F once per panel and maps the samples to the Chebyshev coefficients of the
// interpolant's antiderivative (a fixed matrix, tables.ts), scaled by the panel's half width, and
// sums the panels; phase two evaluates G(u) = int_origin^u F at any u by one Clenshaw sum in
// its panel. A chromatogram needs G at two points per output time, so for dense output grids
// this is far cheaper than integrating between successive points (laplace.ts chooses).
import { densityX4, densityX8, densitySecond, densityThird, densityFourth } from "./density";
import { CHEB_NODES, CHEB_ANTIDERIVATIVE } from "./tables";

/** Samples per panel. */
export const CHEB: i32 = 12;
/** Coefficients b_0..b_N per panel, padded to an even count for f64x2. */
const STRIDE: i32 = CHEB + 2;
/** Widest panel (in u). */
export const CHEB_WIDTH: f64 = 0.5;
/** Most panels: supports are at most 2 sqrt(40 + ln(1 + sqrt B)) wide, 14.7 for B = 1e12. */
export const MAX_PANELS: i32 = 32;

const coefficients: usize = memory.data(MAX_PANELS * STRIDE * 8, 16);
const cumulative: usize = memory.data((MAX_PANELS + 1) * 8, 16);
const samples: usize = memory.data(CHEB * 8, 16);

let origin: f64 = 0.0;
let width: f64 = 1.0;
let built: i32 = 0;

/** F at the four nodes i..i+3 of the panel (mid, half) into samples. */
// @ts-ignore: decorator
@inline
function sampleFour(i: i32, vMid: v128, vHalf: v128, vSqrtB: v128, vTwoSqrtB: v128): void {
  const pn = changetype<usize>(CHEB_NODES) + (<usize>i << 3);
  const u0 = f64x2.add(vMid, f64x2.mul(vHalf, v128.load(pn)));
  const u1 = f64x2.add(vMid, f64x2.mul(vHalf, v128.load(pn, 16)));
  const ps = samples + (<usize>i << 3);
  v128.store(ps, densityX4(u0, u1, vSqrtB, vTwoSqrtB));
  v128.store(ps, densitySecond, 16);
}

/** F at the eight nodes i..i+7, through the 8-wide Bessel sum. */
// @ts-ignore: decorator
@inline
function sampleEight(i: i32, vMid: v128, vHalf: v128, vSqrtB: v128, vTwoSqrtB: v128): void {
  const pn = changetype<usize>(CHEB_NODES) + (<usize>i << 3);
  const u0 = f64x2.add(vMid, f64x2.mul(vHalf, v128.load(pn)));
  const u1 = f64x2.add(vMid, f64x2.mul(vHalf, v128.load(pn, 16)));
  const u2 = f64x2.add(vMid, f64x2.mul(vHalf, v128.load(pn, 32)));
  const u3 = f64x2.add(vMid, f64x2.mul(vHalf, v128.load(pn, 48)));
  const ps = samples + (<usize>i << 3);
  v128.store(ps, densityX8(u0, u1, u2, u3, vSqrtB, vTwoSqrtB));
  v128.store(ps, densitySecond, 16);
  v128.store(ps, densityThird, 32);
  v128.store(ps, densityFourth, 48);
}

/**
 * Phase one: `count` panels of width w from a (count <= MAX_PANELS), for the density of sqrt(B).
 * Panel p's coefficients are b_j = (w/2) sum_k M[k][j] F(u_k), summed over k in order (two j at
 * a time, each lane as the twin's scalar sum); cumulative[p] = int_a^{a + p w} F.
 * Returns the density evaluations (count N).
 */
export function buildPanels(a: f64, w: f64, count: i32, sqrtB: f64): i32 {
  origin = a;
  width = w;
  built = count;
  const half = 0.5 * w;
  const vHalf = f64x2.splat(half);
  const vSqrtB = f64x2.splat(sqrtB);
  const vTwoSqrtB = f64x2.splat(2.0 * sqrtB);
  const pm = changetype<usize>(CHEB_ANTIDERIVATIVE);
  let total = 0.0;
  store<f64>(cumulative, 0.0);
  for (let p = 0; p < count; p++) {
    const vMid = f64x2.splat(a + <f64>p * w + half);
    let i = 0;
    for (; i + 8 <= CHEB; i += 8) sampleEight(i, vMid, vHalf, vSqrtB, vTwoSqrtB);
    if (i < CHEB) sampleFour(i, vMid, vHalf, vSqrtB, vTwoSqrtB); // CHEB is a multiple of 4
    const pc = coefficients + <usize>(p * STRIDE) * 8;
    // four coefficients (two f64x2) per pass over the samples, each sample loaded once per pass
    let j = 0;
    for (; j + 4 <= STRIDE; j += 4) {
      let s0 = f64x2.splat(0.0);
      let s1 = f64x2.splat(0.0);
      for (let k = 0; k < CHEB; k++) {
        const row = pm + <usize>(k * STRIDE + j) * 8;
        const f = v128.load64_splat(samples + (<usize>k << 3));
        s0 = f64x2.add(s0, f64x2.mul(v128.load(row), f));
        s1 = f64x2.add(s1, f64x2.mul(v128.load(row, 16), f));
      }
      v128.store(pc + (<usize>j << 3), f64x2.mul(vHalf, s0));
      v128.store(pc + (<usize>j << 3), f64x2.mul(vHalf, s1), 16);
    }
    for (; j < STRIDE; j += 2) {
      let s = f64x2.splat(0.0);
      for (let k = 0; k < CHEB; k++) {
        const f = v128.load64_splat(samples + (<usize>k << 3));
        s = f64x2.add(s, f64x2.mul(v128.load(pm + <usize>(k * STRIDE + j) * 8), f));
      }
      v128.store(pc + (<usize>j << 3), f64x2.mul(vHalf, s));
    }
    // P(1) = sum_j b_j T_j(1) = sum_j b_j: the panel's integral.
    let panel = 0.0;
    for (let j = 0; j <= CHEB; j++) panel += load<f64>(pc + (<usize>j << 3));
    total += panel;
    store<f64>(cumulative + (<usize>(p + 1) << 3), total);
  }
  return count * CHEB;
}

/** Integral of F over the built panels: G at their end. */
export function builtIntegral(): f64 {
  return load<f64>(cumulative + (<usize>built << 3));
}

/**
 * Phase two: G(u) = int_origin^u F for origin <= u <= origin + built w, by Clenshaw's sum of the
 * antiderivative series of u's panel at x = 2 (u - start)/w - 1, each step written
 * y = (b_j - y2) + 2x y1 so that the subtraction does not wait on the previous step.
 */
// @ts-ignore: decorator
@inline
export function cumulativeAt(u: f64): f64 {
  const offset = u - origin;
  let p = <i32>(offset / width);
  if (p >= built) p = built - 1;
  const x = (offset - <f64>p * width) / (0.5 * width) - 1.0;
  const x2 = 2.0 * x;
  const pc = coefficients + <usize>(p * STRIDE) * 8;
  let y1 = 0.0;
  let y2 = 0.0;
  for (let j = CHEB; j >= 1; j--) {
    const y = (load<f64>(pc + (<usize>j << 3)) - y2) + x2 * y1;
    y2 = y1;
    y1 = y;
  }
  return load<f64>(cumulative + (<usize>p << 3)) + ((load<f64>(pc) - y2) + x * y1);
}

/** Results 2 to 4 of cumulativeAtX8. */
export let secondG: v128 = f64x2.splat(0.0);
export let thirdG: v128 = f64x2.splat(0.0);
export let fourthG: v128 = f64x2.splat(0.0);

/** Panel index (as f64, clamped to the last built panel) and x in [-1, 1] of each lane of u. */
// @ts-ignore: decorator
@inline
function panelOf(u: v128, vOrigin: v128, vWidth: v128, vHalf: v128, vLast: v128): v128 {
  return f64x2.pmin(f64x2.floor(f64x2.div(f64x2.sub(u, vOrigin), vWidth)), vLast);
}

// @ts-ignore: decorator
@inline
function unitOf(u: v128, p: v128, vOrigin: v128, vWidth: v128, vHalf: v128): v128 {
  return f64x2.sub(f64x2.div(f64x2.sub(f64x2.sub(u, vOrigin), f64x2.mul(p, vWidth)), vHalf), f64x2.splat(1.0));
}

/** Addresses of the coefficients of the panels in lanes 0 and 1 of p. */
// @ts-ignore: decorator
@inline
function panelAddress0(p: v128): usize {
  return coefficients + <usize>(<i32>f64x2.extract_lane(p, 0) * STRIDE) * 8;
}

// @ts-ignore: decorator
@inline
function panelAddress1(p: v128): usize {
  return coefficients + <usize>(<i32>f64x2.extract_lane(p, 1) * STRIDE) * 8;
}

/** Lanes (a, b) of f64 at addresses a + o and b + o. */
// @ts-ignore: decorator
@inline
function gather(a: usize, b: usize, o: usize): v128 {
  return v128.load64_lane(b + o, v128.load64_splat(a + o), 1);
}

/** G from the Clenshaw sum's last terms: cumulative[p] + ((b_0 - y2) + x y1), then the twin's branches. */
// @ts-ignore: decorator
@inline
function finish(u: v128, p: v128, a: usize, b: usize, x: v128, y1: v128, y2: v128, start: f64, end: f64): v128 {
  const base = gather(
    cumulative + (<usize><i32>f64x2.extract_lane(p, 0) << 3), cumulative + (<usize><i32>f64x2.extract_lane(p, 1) << 3), 0);
  const g = f64x2.add(base, f64x2.add(f64x2.sub(gather(a, b, 0), y2), f64x2.mul(x, y1)));
  // the twin's branches: 0 at or below start, the built panels' sum at or above end
  const outside = v128.bitselect(f64x2.splat(builtIntegral()), g, f64x2.ge(u, f64x2.splat(end)));
  return v128.bitselect(f64x2.splat(0.0), outside, f64x2.le(u, f64x2.splat(start)));
}

/**
 * G at the eight lanes of u0..u3, each exactly as cumulativeAt, with G = 0 at or below `start`
 * (the support's lower end) and the built panels' sum at or above `end` (its upper end, when all
 * panels are built). Each Clenshaw step y = (b_j - y2) + 2x y1 waits on a multiply and an add of
 * the previous one, so one sum alone would idle the vector units; the four f64x2 chains run
 * interleaved. Returns G(u0); G(u1..u3) are left in secondG, thirdG, fourthG.
 */
// @ts-ignore: decorator
@inline
export function cumulativeAtX8(u0: v128, u1: v128, u2: v128, u3: v128, start: f64, end: f64): v128 {
  const vOrigin = f64x2.splat(origin);
  const vWidth = f64x2.splat(width);
  const vHalf = f64x2.splat(0.5 * width);
  const vLast = f64x2.splat(<f64>(built - 1));
  const p0 = panelOf(u0, vOrigin, vWidth, vHalf, vLast);
  const p1 = panelOf(u1, vOrigin, vWidth, vHalf, vLast);
  const p2 = panelOf(u2, vOrigin, vWidth, vHalf, vLast);
  const p3 = panelOf(u3, vOrigin, vWidth, vHalf, vLast);
  const x0 = unitOf(u0, p0, vOrigin, vWidth, vHalf);
  const x1 = unitOf(u1, p1, vOrigin, vWidth, vHalf);
  const x2 = unitOf(u2, p2, vOrigin, vWidth, vHalf);
  const x3 = unitOf(u3, p3, vOrigin, vWidth, vHalf);
  const two = f64x2.splat(2.0);
  const t0 = f64x2.mul(two, x0);
  const t1 = f64x2.mul(two, x1);
  const t2 = f64x2.mul(two, x2);
  const t3 = f64x2.mul(two, x3);
  const a0 = panelAddress0(p0), b0 = panelAddress1(p0);
  const a1 = panelAddress0(p1), b1 = panelAddress1(p1);
  const a2 = panelAddress0(p2), b2 = panelAddress1(p2);
  const a3 = panelAddress0(p3), b3 = panelAddress1(p3);
  let y0 = f64x2.splat(0.0), z0 = f64x2.splat(0.0);
  let y1 = f64x2.splat(0.0), z1 = f64x2.splat(0.0);
  let y2 = f64x2.splat(0.0), z2 = f64x2.splat(0.0);
  let y3 = f64x2.splat(0.0), z3 = f64x2.splat(0.0);
  for (let j = CHEB; j >= 1; j--) {
    const o = <usize>j << 3;
    const n0 = f64x2.add(f64x2.sub(gather(a0, b0, o), z0), f64x2.mul(t0, y0));
    const n1 = f64x2.add(f64x2.sub(gather(a1, b1, o), z1), f64x2.mul(t1, y1));
    const n2 = f64x2.add(f64x2.sub(gather(a2, b2, o), z2), f64x2.mul(t2, y2));
    const n3 = f64x2.add(f64x2.sub(gather(a3, b3, o), z3), f64x2.mul(t3, y3));
    z0 = y0; y0 = n0;
    z1 = y1; y1 = n1;
    z2 = y2; y2 = n2;
    z3 = y3; y3 = n3;
  }
  secondG = finish(u1, p1, a1, b1, x1, y1, z1, start, end);
  thirdG = finish(u2, p2, a2, b2, x2, y2, z2, start, end);
  fourthG = finish(u3, p3, a3, b3, x3, y3, z3, start, end);
  return finish(u0, p0, a0, b0, x0, y0, z0, start, end);
}
