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
import { scaledBesselI1Pair, pairSecond } from "./bessel";
import {
  GAUSS4_NODES, GAUSS4_WEIGHTS, GAUSS6_NODES, GAUSS6_WEIGHTS, GAUSS10_NODES, GAUSS10_WEIGHTS,
} from "./tables";

/** Intervals up to this width in u use the 4-point rule (error < 1e-14 relative). */
const SHORT4: f64 = 0.1;
/** Intervals up to this width in u use the 6-point rule (error < 1e-14 relative). */
const SHORT6: f64 = 0.3;
/** Longer intervals are split into panels of at most this width, 10 points each (< 1e-15). */
const PANEL: f64 = 1.0;

let evaluations: i32 = 0;

/** Exponent beyond which the density is dropped: the neglected mass is below e^-40. */
// @ts-ignore: decorator
@inline
function cutoffExponent(sqrtB: f64): f64 {
  return 40.0 + Math.log(1.0 + sqrtB);
}

// @ts-ignore: decorator
@inline
function gauss(a: f64, b: f64, sqrtB: f64, nodes: StaticArray<f64>, weights: StaticArray<f64>): f64 {
  // F(u) = 2 sqrt(B) exp(-(u - sqrt B)^2) I1e(2 sqrt(B) u) at the nodes, two at a time (every
  // rule here has an even number of nodes) so the Bessel recurrences overlap.
  const half = 0.5 * (b - a);
  const mid = 0.5 * (a + b);
  const twoSqrtB = 2.0 * sqrtB;
  let s = 0.0;
  const n = nodes.length;
  for (let i = 0; i < n; i += 2) {
    const u0 = mid + half * unchecked(nodes[i]);
    const u1 = mid + half * unchecked(nodes[i + 1]);
    const d0 = u0 - sqrtB;
    const d1 = u1 - sqrtB;
    const i0 = scaledBesselI1Pair(twoSqrtB * u0, twoSqrtB * u1);
    const i1 = pairSecond;
    s += unchecked(weights[i]) * (twoSqrtB * Math.exp(-d0 * d0) * i0);
    s += unchecked(weights[i + 1]) * (twoSqrtB * Math.exp(-d1 * d1) * i1);
  }
  evaluations += n;
  return half * s;
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

/**
 * Concentration at one position for a sorted list of times, as one cumulative quadrature:
 * c(t) = scale [ G(t - tM) - G(t - tM - t1) + e^{-B} 1{tM < t <= tM + t1} ],  G(tau) = int_0^tau f.
 * The two event sequences tau_j and tau_j - t1 are merged on the fly, so each piece of the
 * integral is computed once whatever t1 is.
 *
 * times: pointer to n ascending times (s); out: pointer to n results.
 * holdup tM (s), retention B = alpha ka tM, kd (1/s), pulse t1 (s), scale = c0/u_hat (mol/m3).
 * Returns the number of density evaluations.
 */
export function outletConcentration(
  times: usize, n: i32, holdup: f64, retention: f64, kd: f64, pulse: f64, scale: f64, out: usize,
): i32 {
  evaluations = 0;
  const sqrtB = Math.sqrt(retention);
  const reach = Math.sqrt(cutoffExponent(sqrtB));
  const lo = sqrtB > reach ? sqrtB - reach : 0.0;
  const hi = sqrtB + reach;
  let g = 0.0;
  let at = lo;
  let ia = 0;
  let ib = 0;
  // Each b-event (tau_j - t1) precedes its a-event (tau_j): b sets out[j], a completes it.
  // So ib >= ia throughout, and when they are equal the b-event is due.
  while (ia < n) {
    const ta = load<f64>(times + (<usize>ia << 3)) - holdup;
    const isB = ib == ia || (ib < n && load<f64>(times + (<usize>ib << 3)) - holdup - pulse < ta);
    const tau = isB ? load<f64>(times + (<usize>ib << 3)) - holdup - pulse : ta;
    const u = clamp(Math.sqrt(kd * (tau > 0.0 ? tau : 0.0)), lo, hi);
    if (u > at) {
      g += integrate(at, u, sqrtB);
      at = u;
    }
    if (isB) {
      store<f64>(out + (<usize>ib << 3), -g);
      ib++;
    } else {
      store<f64>(out + (<usize>ia << 3), load<f64>(out + (<usize>ia << 3)) + g);
      ia++;
    }
  }
  // The fraction that never adsorbed leaves as the injected plug, attenuated by e^{-B}.
  const plug = Math.exp(-retention);
  for (let j = 0; j < n; j++) {
    const p = out + (<usize>j << 3);
    const tau = load<f64>(times + (<usize>j << 3)) - holdup;
    const v = load<f64>(p) + (tau > 0.0 && tau <= pulse ? plug : 0.0);
    store<f64>(p, scale * v);
  }
  return evaluations;
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
    if (tau > 0.0 && tau <= pulse) v += Math.exp(-retention);
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
