// Exact solution of the column model without diffusion (MODEL.md §2), allocation-free.
//
// The inverse transform (49) is an integral over the time T spent in the film of the density
//   f(T) = e^{-B - kd T} sqrt(A/T) I1(2 sqrt(A T)),   A = B kd,  B = alpha ka tM.
// Substituting u = sqrt(kd T) turns it into
//   f(T) dT = F(u) du,   F(u) = 2 sqrt(B) exp(-(u - sqrt(B))^2) I1e(2 sqrt(B) u),
// an entire function that is a bump of unit width around u = sqrt(B) for every B and kd. So one
// quadrature rule of fixed panel width in u is accurate for every analyte and column, nothing
// overflows (the exponent is never positive), and the support outside which F is below e^-40
// is known in closed form: |u - sqrt(B)| <= sqrt(cutoffExponent(B)).
import { densityX4, densityX8, densitySecond, densityThird, densityFourth } from "./density";
import { expNonPositive } from "./exponential";
import {
  GAUSS4_NODES, GAUSS4_WEIGHTS, GAUSS6_NODES, GAUSS6_WEIGHTS, GAUSS10_NODES, GAUSS10_WEIGHTS,
} from "./tables";
import {
  CHEB, CHEB_WIDTH, MAX_PANELS, buildPanels, builtIntegral, cumulativeAt, cumulativeAtX8, secondG, thirdG, fourthG,
} from "./chebyshev";

/** Intervals up to this width in u use the 4-point rule (error < 1e-14 relative). */
const SHORT4: f64 = 0.1;
/** Intervals up to this width in u use the 6-point rule (error < 1e-14 relative). */
const SHORT6: f64 = 0.3;
/** Longer intervals are split into panels of at most this width, 10 points each (< 1e-15). */
const PANEL: f64 = 1.0;

let evaluations: i32 = 0;
/** The rule outletConcentration uses: RULE_AUTO (by cost), or one forced (tests, benchmarks). */
export const RULE_AUTO: i32 = 0;
export const RULE_EVENTS: i32 = 1;
export const RULE_PANELS: i32 = 2;
let rule: i32 = RULE_AUTO;
/**
 * Cost of one evaluation of G by the panel rule (a Clenshaw sum of degree CHEB, in chebyshev.ts)
 * in density evaluations of the event rule: 15 ns against 11-18 ns, measured on the wasm kernel
 * with BTEX grids of 30 to 100001 points.
 */
const CLENSHAW_COST: f64 = 1.2;
/** Quadrature of the whole support by the last outletConcentration, or -1 if it stopped short. */
let wholeIntegral: f64 = -1.0;

/** Exponent beyond which the density is dropped: the neglected mass is below e^-40. */
// @ts-ignore: decorator
@inline
function cutoffExponent(sqrtB: f64): f64 {
  return 40.0 + Math.log(1.0 + sqrtB);
}

// @ts-ignore: decorator
@inline
function gauss(a: f64, b: f64, sqrtB: f64, nodes: StaticArray<f64>, weights: StaticArray<f64>): f64 {
  // F(u) = 2 sqrt(B) exp(-(u - sqrt B)^2) I1e(2 sqrt(B) u) at four nodes at a time, two per f64x2
  // (every rule here has an even number of nodes; the last group of a 6- or 10-point rule has
  // two, and its second vector repeats the first). Each value, and the sum in node order, is
  // computed by the twin's operations, so the two agree bit for bit.
  const half = 0.5 * (b - a);
  const mid = 0.5 * (a + b);
  const twoSqrtB = 2.0 * sqrtB;
  const vHalf = f64x2.splat(half);
  const vMid = f64x2.splat(mid);
  const vSqrtB = f64x2.splat(sqrtB);
  const vTwoSqrtB = f64x2.splat(twoSqrtB);
  const pn = changetype<usize>(nodes);
  const pw = changetype<usize>(weights);
  let s = 0.0;
  const n = nodes.length;
  for (let i = 0; i < n; i += 4) {
    const o0 = <usize>i << 3;
    const full = i + 2 < n;
    const o1 = full ? o0 + 16 : o0;
    const u0 = f64x2.add(vMid, f64x2.mul(vHalf, v128.load(pn + o0)));
    const u1 = f64x2.add(vMid, f64x2.mul(vHalf, v128.load(pn + o1)));
    const f0 = f64x2.mul(v128.load(pw + o0), densityX4(u0, u1, vSqrtB, vTwoSqrtB));
    const g1 = densitySecond;
    s += f64x2.extract_lane(f0, 0);
    s += f64x2.extract_lane(f0, 1);
    if (full) {
      const f1 = f64x2.mul(v128.load(pw + o1), g1);
      s += f64x2.extract_lane(f1, 0);
      s += f64x2.extract_lane(f1, 1);
    }
  }
  evaluations += n;
  return half * s;
}

/** Second result of gauss4Pair. */
let pairSecond: f64 = 0.0;

/**
 * The 4-point rule on two intervals [a0, b0] and [a1, b1] at once (eight nodes, four f64x2):
 * returns the integral over the first and leaves the second in `pairSecond`; each is computed by
 * exactly the operations of gauss() on its own interval.
 */
// @ts-ignore: decorator
@inline
function gauss4Pair(a0: f64, b0: f64, a1: f64, b1: f64, sqrtB: f64): f64 {
  const half0 = 0.5 * (b0 - a0);
  const half1 = 0.5 * (b1 - a1);
  const vSqrtB = f64x2.splat(sqrtB);
  const vTwoSqrtB = f64x2.splat(2.0 * sqrtB);
  const pn = changetype<usize>(GAUSS4_NODES);
  const pw = changetype<usize>(GAUSS4_WEIGHTS);
  const n01 = v128.load(pn);
  const n23 = v128.load(pn, 16);
  const vHalf0 = f64x2.splat(half0);
  const vMid0 = f64x2.splat(0.5 * (a0 + b0));
  const vHalf1 = f64x2.splat(half1);
  const vMid1 = f64x2.splat(0.5 * (a1 + b1));
  const u0 = f64x2.add(vMid0, f64x2.mul(vHalf0, n01));
  const u1 = f64x2.add(vMid0, f64x2.mul(vHalf0, n23));
  const u2 = f64x2.add(vMid1, f64x2.mul(vHalf1, n01));
  const u3 = f64x2.add(vMid1, f64x2.mul(vHalf1, n23));
  const w01 = v128.load(pw);
  const w23 = v128.load(pw, 16);
  const f0 = f64x2.mul(w01, densityX8(u0, u1, u2, u3, vSqrtB, vTwoSqrtB));
  const f1 = f64x2.mul(w23, densitySecond);
  const f2 = f64x2.mul(w01, densityThird);
  const f3 = f64x2.mul(w23, densityFourth);
  let s0 = 0.0;
  s0 += f64x2.extract_lane(f0, 0);
  s0 += f64x2.extract_lane(f0, 1);
  s0 += f64x2.extract_lane(f1, 0);
  s0 += f64x2.extract_lane(f1, 1);
  let s1 = 0.0;
  s1 += f64x2.extract_lane(f2, 0);
  s1 += f64x2.extract_lane(f2, 1);
  s1 += f64x2.extract_lane(f3, 0);
  s1 += f64x2.extract_lane(f3, 1);
  evaluations += 8;
  pairSecond = half1 * s1;
  return half0 * s0;
}

/** Integrals of F over [a0, b0] and over [a1, b1]: the first returned, the second in pairSecond. */
function integratePair(a0: f64, b0: f64, a1: f64, b1: f64, sqrtB: f64): f64 {
  if (b0 - a0 <= SHORT4 && b1 - a1 <= SHORT4) return gauss4Pair(a0, b0, a1, b1, sqrtB);
  const first = integrate(a0, b0, sqrtB);
  pairSecond = integrate(a1, b1, sqrtB);
  return first;
}

/** Integral of F over [a, b] in u, a <= b. */
function integrate(a: f64, b: f64, sqrtB: f64): f64 {
  const len = b - a;
  if (len <= SHORT4) return gauss(a, b, sqrtB, GAUSS4_NODES, GAUSS4_WEIGHTS);
  if (len <= SHORT6) return gauss(a, b, sqrtB, GAUSS6_NODES, GAUSS6_WEIGHTS);
  const panels = Math.ceil(len / PANEL);
  const h = len / panels;
  let s = 0.0;
  for (let k: f64 = 0; k < panels; k++) {
    const lo = a + k * h;
    s += gauss(lo, k + 1 == panels ? b : lo + h, sqrtB, GAUSS10_NODES, GAUSS10_WEIGHTS);
  }
  return s;
}

// @ts-ignore: decorator
@inline
function clamp(x: f64, lo: f64, hi: f64): f64 {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Events [runB, ib) (b) and [runA, ia) (a) take the running integral g, b-events first. */
// @ts-ignore: decorator
@inline
function settle(out: usize, runA: i32, ia: i32, runB: i32, ib: i32, g: f64): void {
  for (let j = runB; j < ib; j++) store<f64>(out + (<usize>j << 3), -g);
  for (let j = runA; j < ia; j++) {
    const p = out + (<usize>j << 3);
    store<f64>(p, load<f64>(p) + g);
  }
}

// The support of the current outletConcentration: F is dropped outside [lo, hi] in u; kd tau at
// or below `below` gives u = lo, at or above `above` u = hi, whatever the rounding of the square
// root, so such events need no square root.
let sqrtB: f64 = 0.0;
let lo: f64 = 0.0;
let hi: f64 = 0.0;
let below: f64 = 0.0;
let above: f64 = 0.0;

/** u = sqrt(kd tau) on the support [lo, hi] of the current call. */
// @ts-ignore: decorator
@inline
function toU(kd: f64, tau: f64): f64 {
  const x = kd * (tau > 0.0 ? tau : 0.0);
  return x <= below ? lo : x >= above ? hi : clamp(Math.sqrt(x), lo, hi);
}

/**
 * The event rule: outputs from `start` on, integrating F between successive events of the two
 * merged sequences tau_j - t1 (b) and tau_j (a), each piece by Gauss–Legendre (integrate); out[j]
 * = G(tau_j) - G(tau_j - t1). Cheap when events are few per unit of u (sparse grids, narrow
 * peaks); sets wholeIntegral.
 */
function outletEvents(times: usize, n: i32, start: i32, holdup: f64, pulse: f64, kd: f64, out: usize): void {
  let g = 0.0;
  let at = lo;
  let ia = start;
  let ib = start;
  // Intervals are integrated two at a time, so that their evaluations overlap: an interval
  // [pa, pb] waits for the next one, and the events after it (b-events from runB, a-events from
  // runA) are settled when its integral is known. A run's b-events are settled before its
  // a-events, as in event order (each b-event precedes the a-event of the same output).
  let pending = false;
  let pa = 0.0;
  let pb = 0.0;
  let runA = 0;
  let runB = 0;
  // Each b-event (tau_j - t1) precedes its a-event (tau_j): b sets out[j], a completes it.
  // So ib >= ia throughout, and when they are equal the b-event is due.
  while (ia < n) {
    const ta = load<f64>(times + (<usize>ia << 3)) - holdup;
    const isB = ib == ia || (ib < n && load<f64>(times + (<usize>ib << 3)) - holdup - pulse < ta);
    const u = toU(kd, isB ? load<f64>(times + (<usize>ib << 3)) - holdup - pulse : ta);
    if (u > at) {
      if (pending) {
        g += integratePair(pa, pb, at, u, sqrtB);
        settle(out, runA, ia, runB, ib, g);
        g += pairSecond;
        pending = false;
      } else {
        pending = true;
        pa = at;
        pb = u;
        runA = ia;
        runB = ib;
      }
      at = u;
    }
    if (isB) {
      if (!pending) store<f64>(out + (<usize>ib << 3), -g);
      ib++;
    } else {
      if (!pending) store<f64>(out + (<usize>ia << 3), load<f64>(out + (<usize>ia << 3)) + g);
      ia++;
    }
    if (at == hi) break;
  }
  if (pending) {
    g += integrate(pa, pb, sqrtB);
    settle(out, runA, ia, runB, ib, g);
  }
  wholeIntegral = at == hi ? g : -1.0;
  // The whole support is integrated, so the remaining events leave g as it is: a-events whose
  // b-event came before complete their output, and outputs with both events to come are -g + g = 0.
  for (let j = ia; j < ib; j++) {
    const p = out + (<usize>j << 3);
    store<f64>(p, load<f64>(p) + g);
  }
  if (ib < n) memory.fill(out + (<usize>ib << 3), 0, <usize>(n - ib) << 3);
}

/** G(u) on the panels built for the current call: 0 before the support, their sum after it. */
// @ts-ignore: decorator
@inline
function panelCumulative(u: f64): f64 {
  return u <= lo ? 0.0 : u >= hi ? builtIntegral() : cumulativeAt(u);
}

/** u of each lane of tau, as toU gives it: the square root of the clamped kd tau, clamped to [lo, hi]. */
// @ts-ignore: decorator
@inline
function toUX2(tau: v128, vKd: v128): v128 {
  const vLo = f64x2.splat(lo);
  const vHi = f64x2.splat(hi);
  // pmax/pmin (one compare and select each) equal max/min for these non-NaN lanes, and give the
  // scalar code's +0 for tau = -0 (sqrt(-0) = -0 is then replaced by lo >= +0).
  return f64x2.pmax(vLo, f64x2.pmin(f64x2.sqrt(f64x2.mul(vKd, f64x2.pmax(tau, f64x2.splat(0.0)))), vHi));
}

/**
 * The panel rule (chebyshev.ts): outputs [start, end), out[j] = G(tau_j) - G(tau_j - t1) from
 * `count` panels of width w sampled once; the outputs from `end` on have both events past the
 * support (c = 0). Sets wholeIntegral when the panels cover the support (`whole`).
 */
function outletPanels(
  times: usize, n: i32, start: i32, end: i32, holdup: f64, pulse: f64, kd: f64, count: i32, w: f64,
  whole: bool, out: usize,
): void {
  evaluations += buildPanels(lo, w, count, sqrtB);
  if (sharesEvents(times, start, end, holdup, pulse)) outletShared(times, start, end, holdup, pulse, kd, out);
  else outletPairs(times, start, end, holdup, pulse, kd, out);
  if (end < n) memory.fill(out + (<usize>end << 3), 0, <usize>(n - end) << 3);
  wholeIntegral = whole ? builtIntegral() : -1.0;
}

/**
 * Whether the b-event tau_j - t1 of the middle output is, bit for bit, the a-event of an earlier
 * output (t1 a multiple of a uniform output spacing, typically): then outletShared.
 */
function sharesEvents(times: usize, start: i32, end: i32, holdup: f64, pulse: f64): bool {
  const j = (start + end) >>> 1;
  const tb = load<f64>(times + (<usize>j << 3)) - holdup - pulse;
  let a = start;
  let b = j;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (load<f64>(times + (<usize>mid << 3)) - holdup < tb) a = mid + 1;
    else b = mid;
  }
  return a < j && load<f64>(times + (<usize>a << 3)) - holdup == tb;
}

/**
 * Four outputs at a time: the a-events tau_j, tau_{j+1} in one f64x2, tau_{j+2}, tau_{j+3} in a
 * second, the b-events in two more (consecutive outputs mostly share a panel).
 */
function outletPairs(times: usize, start: i32, end: i32, holdup: f64, pulse: f64, kd: f64, out: usize): void {
  const vHoldup = f64x2.splat(holdup);
  const vPulse = f64x2.splat(pulse);
  const vKd = f64x2.splat(kd);
  let j = start;
  for (; j + 4 <= end; j += 4) {
    const ta0 = f64x2.sub(v128.load(times + (<usize>j << 3)), vHoldup);
    const ta1 = f64x2.sub(v128.load(times + (<usize>j << 3), 16), vHoldup);
    const ga0 = cumulativeAtX8(toUX2(ta0, vKd), toUX2(ta1, vKd),
      toUX2(f64x2.sub(ta0, vPulse), vKd), toUX2(f64x2.sub(ta1, vPulse), vKd), lo, hi);
    v128.store(out + (<usize>j << 3), f64x2.sub(ga0, thirdG));
    v128.store(out + (<usize>j << 3), f64x2.sub(secondG, fourthG), 16);
  }
  for (; j < end; j++) {
    const ta = load<f64>(times + (<usize>j << 3)) - holdup;
    store<f64>(out + (<usize>j << 3), panelCumulative(toU(kd, ta)) - panelCumulative(toU(kd, ta - pulse)));
  }
}

/**
 * G at every a-event into out, eight at a time; then, from the last output back, c_j = G(tau_j) -
 * G(tau_j - t1) with G(tau_j - t1) read from out[q] when tau_j - t1 is bit for bit tau_q (the same
 * number, so the same G: the results equal outletPairs' exactly), else evaluated. Half the
 * evaluations of G when t1 is a multiple of the output spacing.
 */
function outletShared(times: usize, start: i32, end: i32, holdup: f64, pulse: f64, kd: f64, out: usize): void {
  const vHoldup = f64x2.splat(holdup);
  const vKd = f64x2.splat(kd);
  let j = start;
  for (; j + 8 <= end; j += 8) {
    const p = times + (<usize>j << 3);
    const g0 = cumulativeAtX8(
      toUX2(f64x2.sub(v128.load(p), vHoldup), vKd), toUX2(f64x2.sub(v128.load(p, 16), vHoldup), vKd),
      toUX2(f64x2.sub(v128.load(p, 32), vHoldup), vKd), toUX2(f64x2.sub(v128.load(p, 48), vHoldup), vKd),
      lo, hi);
    const o = out + (<usize>j << 3);
    v128.store(o, g0);
    v128.store(o, secondG, 16);
    v128.store(o, thirdG, 32);
    v128.store(o, fourthG, 48);
  }
  for (; j < end; j++) {
    store<f64>(out + (<usize>j << 3), panelCumulative(toU(kd, load<f64>(times + (<usize>j << 3)) - holdup)));
  }
  let q = end - 1;
  for (let k = end - 1; k >= start; k--) {
    const tb = load<f64>(times + (<usize>k << 3)) - holdup - pulse;
    while (q >= start && load<f64>(times + (<usize>q << 3)) - holdup > tb) q--;
    const shared = q >= start && load<f64>(times + (<usize>q << 3)) - holdup == tb;
    const gb = shared ? load<f64>(out + (<usize>q << 3)) : panelCumulative(toU(kd, tb));
    store<f64>(out + (<usize>k << 3), load<f64>(out + (<usize>k << 3)) - gb);
  }
}

/**
 * The cheaper rule for `outputs` outputs with events inside the support, spread over `span` in u,
 * with `needed` of the `count` panels: the event rule integrates two pieces per output (fewer
 * only when t1 is a multiple of the output spacing), of width span/(2 outputs), at 4, 6 or 10 per
 * unit density evaluations (integrate); the panel rule takes CHEB per panel and two evaluations
 * of G per output. More panels than MAX_PANELS (B beyond 1e12) or no outputs: the event rule.
 */
function chooseRule(outputs: i32, span: f64, needed: i32, count: i32): i32 {
  if (outputs == 0 || count > MAX_PANELS) return RULE_EVENTS;
  if (rule != RULE_AUTO) return rule;
  const pieces = 2.0 * <f64>outputs;
  const piece = span / pieces;
  const perPiece = piece <= SHORT4 ? 4.0 : piece <= SHORT6 ? 6.0 : 10.0 * Math.ceil(piece / PANEL);
  const panels = <f64>(needed * CHEB) + CLENSHAW_COST * pieces;
  return panels < perPiece * pieces ? RULE_PANELS : RULE_EVENTS;
}

/** Sets the rule of outletConcentration: RULE_AUTO (the default), RULE_EVENTS or RULE_PANELS. */
export function setOutletRule(chosen: i32): void {
  rule = chosen == RULE_EVENTS || chosen == RULE_PANELS ? chosen : RULE_AUTO;
}

/**
 * First index in [from, n) whose kd tau_j (tau_j = t_j - tM - shift) exceeds `level`, by
 * bisection (times ascend): n if none.
 */
function firstAbove(times: usize, n: i32, from: i32, holdup: f64, shift: f64, kd: f64, level: f64): i32 {
  let a = from;
  let b = n;
  while (a < b) {
    const mid = (a + b) >>> 1;
    const tau = load<f64>(times + (<usize>mid << 3)) - holdup - shift;
    if (kd * (tau > 0.0 ? tau : 0.0) > level) b = mid;
    else a = mid + 1;
  }
  return a;
}

/**
 * Concentration at one position for a sorted list of times, as one cumulative quadrature:
 * c(t) = scale [ G(t - tM) - G(t - tM - t1) + e^{-B} 1{tM < t <= tM + t1} ],  G(tau) = int_0^tau f.
 * Two rules compute G at the events tau_j and tau_j - t1, chosen by their cost (chooseRule): the
 * event rule integrates between successive events (each piece once whatever t1 is), the panel
 * rule samples F once per unit panel and evaluates G at each event by a Clenshaw sum.
 *
 * times: pointer to n ascending times (s); out: pointer to n results.
 * holdup tM (s), retention B = alpha ka tM, kd (1/s), pulse t1 (s), scale = c0/u_hat (mol/m3).
 * Returns the number of density evaluations.
 */
export function outletConcentration(
  times: usize, n: i32, holdup: f64, retention: f64, kd: f64, pulse: f64, scale: f64, out: usize,
): i32 {
  evaluations = 0;
  sqrtB = Math.sqrt(retention);
  const reach = Math.sqrt(cutoffExponent(sqrtB));
  lo = sqrtB > reach ? sqrtB - reach : 0.0;
  hi = sqrtB + reach;
  below = lo * lo * (1.0 - 4.0 * f64.EPSILON);
  above = hi * hi * (1.0 + 4.0 * f64.EPSILON);
  // Outputs whose tau_j gives u = lo have both events before the support: c = 0, and walking
  // their events would not change G. They are a prefix (times ascend), found by bisection, as
  // are those whose tau_j - t1 gives u = hi (both events after it). On a typical grid most
  // outputs are one or the other, so neither rule spends anything on them.
  const start = firstAbove(times, n, 0, holdup, 0.0, kd, below);
  const end = firstAbove(times, n, start, holdup, pulse, kd, above);
  memory.fill(out, 0, <usize>start << 3);
  const count = <i32>Math.ceil((hi - lo) / CHEB_WIDTH);
  const w = (hi - lo) / <f64>count;
  const top = end > start ? toU(kd, load<f64>(times + (<usize>(end - 1) << 3)) - holdup) : lo;
  const needed = top >= hi ? count : min(count, <i32>((top - lo) / w) + 1);
  if (chooseRule(end - start, top - lo, needed, count) == RULE_PANELS) {
    outletPanels(times, n, start, end, holdup, pulse, kd, needed, w, needed == count, out);
  } else {
    outletEvents(times, n, start, holdup, pulse, kd, out);
  }
  // The fraction that never adsorbed leaves as the injected plug, attenuated by e^{-B}.
  // Two outputs per f64x2; the plug term is plug or +0 by a lane mask, as the twin adds plug or 0.
  const plug = expNonPositive(-retention);
  const vPlug = f64x2.splat(plug);
  const vHoldup = f64x2.splat(holdup);
  const vPulse = f64x2.splat(pulse);
  const vScale = f64x2.splat(scale);
  let j = 0;
  for (; j + 2 <= n; j += 2) {
    const o = <usize>j << 3;
    const tau = f64x2.sub(v128.load(times + o), vHoldup);
    const during = v128.and(f64x2.gt(tau, f64x2.splat(0.0)), f64x2.le(tau, vPulse));
    v128.store(out + o, f64x2.mul(vScale, f64x2.add(v128.load(out + o), v128.and(vPlug, during))));
  }
  if (j < n) {
    const p = out + (<usize>j << 3);
    const tau = load<f64>(times + (<usize>j << 3)) - holdup;
    store<f64>(p, scale * (load<f64>(p) + (tau > 0.0 && tau <= pulse ? plug : 0.0)));
  }
  return evaluations;
}

/**
 * The quadrature of the whole density (exact value 1 - e^{-B}, as adsorbedFraction) that the last
 * outletConcentration summed on its way, when its times reached past the support; else -1.
 */
export function supportIntegral(): f64 {
  return wholeIntegral;
}

/**
 * Concentration at n independent points (x_k, t_k), each with its own hold-up time, retention
 * and scale (an axial profile, or single evaluations for refining a peak):
 * c_k = scale_k [ int_{max(0,tau-t1)}^{max(0,tau)} f_k + e^{-B_k} 1{0 < tau <= t1} ],  tau = t_k - tM_k.
 * Arrays of n f64: times, holdups, retentions, scales; out receives c_k.
 * Returns the number of density evaluations.
 */
export function pointConcentration(
  n: i32, times: usize, holdups: usize, retentions: usize, scales: usize, kd: f64, pulse: f64,
  out: usize,
): i32 {
  evaluations = 0;
  for (let k = 0; k < n; k++) {
    const o = <usize>k << 3;
    const retention = load<f64>(retentions + o);
    const tau = load<f64>(times + o) - load<f64>(holdups + o);
    const sqrtB = Math.sqrt(retention);
    const reach = Math.sqrt(cutoffExponent(sqrtB));
    const lo = sqrtB > reach ? sqrtB - reach : 0.0;
    const hi = sqrtB + reach;
    const ta = tau - pulse;
    const ua = clamp(Math.sqrt(kd * (ta > 0.0 ? ta : 0.0)), lo, hi);
    const ub = clamp(Math.sqrt(kd * (tau > 0.0 ? tau : 0.0)), lo, hi);
    let v = ub > ua ? integrate(ua, ub, sqrtB) : 0.0;
    if (tau > 0.0 && tau <= pulse) v += expNonPositive(-retention);
    store<f64>(out + o, load<f64>(scales + o) * v);
  }
  return evaluations;
}

/**
 * Fraction of the injected amount that adsorbed at least once, by the same quadrature over the
 * whole support; its exact value is 1 - e^{-B}, so the difference is a measured quadrature error.
 */
export function adsorbedFraction(retention: f64): f64 {
  const sqrtB = Math.sqrt(retention);
  const reach = Math.sqrt(cutoffExponent(sqrtB));
  return integrate(sqrtB > reach ? sqrtB - reach : 0.0, sqrtB + reach, sqrtB);
}
