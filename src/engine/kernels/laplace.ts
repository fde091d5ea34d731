/**
 * Plain-TypeScript twin of assembly/laplace.ts (exact solution without diffusion, MODEL.md §2).
 * Same algorithm, tables and operation order as the wasm kernel; see that file for the derivation:
 * in u = sqrt(kd T) the residence-time density is F(u) = 2 sqrt(B) exp(-(u - sqrt B)^2) I1e(2 sqrt(B) u),
 * a unit-width bump for every B and kd, integrated by Gauss–Legendre panels of fixed width.
 */
import { scaledBesselI1 } from './bessel.js';
import { buildPanels, builtIntegral, CHEB, CHEB_WIDTH, cumulativeAt, MAX_PANELS } from './chebyshev.js';
import {
  GAUSS10_NODES, GAUSS10_WEIGHTS, GAUSS4_NODES, GAUSS4_WEIGHTS, GAUSS6_NODES, GAUSS6_WEIGHTS,
} from './tables.js';

const SHORT4 = 0.1;
const SHORT6 = 0.3;
const PANEL = 1.0;

let evaluations = 0;
let wholeIntegral = -1;

function cutoffExponent(sqrtB: number): number {
  return 40 + Math.log(1 + sqrtB);
}

function density(u: number, sqrtB: number): number {
  const d = u - sqrtB;
  return 2 * sqrtB * Math.exp(-d * d) * scaledBesselI1(2 * sqrtB * u);
}

function gauss(a: number, b: number, sqrtB: number, nodes: Float64Array, weights: Float64Array): number {
  const half = 0.5 * (b - a);
  const mid = 0.5 * (a + b);
  let s = 0;
  for (let i = 0; i < nodes.length; i++) s += weights[i] * density(mid + half * nodes[i], sqrtB);
  evaluations += nodes.length;
  return half * s;
}

function integrate(a: number, b: number, sqrtB: number): number {
  const len = b - a;
  if (len <= SHORT4) return gauss(a, b, sqrtB, GAUSS4_NODES, GAUSS4_WEIGHTS);
  if (len <= SHORT6) return gauss(a, b, sqrtB, GAUSS6_NODES, GAUSS6_WEIGHTS);
  const panels = Math.ceil(len / PANEL);
  const h = len / panels;
  let s = 0;
  for (let k = 0; k < panels; k++) {
    const lo = a + k * h;
    s += gauss(lo, k + 1 === panels ? b : lo + h, sqrtB, GAUSS10_NODES, GAUSS10_WEIGHTS);
  }
  return s;
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Rules of outletConcentration (see the kernel): automatic, or one forced. */
export const RULE_AUTO = 0;
export const RULE_EVENTS = 1;
export const RULE_PANELS = 2;
let rule = RULE_AUTO;
/** The kernel's CLENSHAW_COST. */
const CLENSHAW_COST = 1.2;

/** Sets the rule of outletConcentration, as the kernel's setOutletRule. */
export function setOutletRule(chosen: number): void {
  rule = chosen === RULE_EVENTS || chosen === RULE_PANELS ? chosen : RULE_AUTO;
}

/** The kernel's chooseRule. */
function chooseRule(outputs: number, span: number, needed: number, count: number): number {
  if (outputs === 0 || count > MAX_PANELS) return RULE_EVENTS;
  if (rule !== RULE_AUTO) return rule;
  const pieces = 2.0 * outputs;
  const piece = span / pieces;
  const perPiece = piece <= SHORT4 ? 4.0 : piece <= SHORT6 ? 6.0 : 10.0 * Math.ceil(piece / PANEL);
  const panels = needed * CHEB + CLENSHAW_COST * pieces;
  return panels < perPiece * pieces ? RULE_PANELS : RULE_EVENTS;
}

/** The kernel's firstAbove: first j in [from, n) with kd (t_j - tM - shift)+ > level, else n. */
function firstAbove(times: Float64Array, from: number, holdup: number, shift: number, kd: number, level: number): number {
  let a = from;
  let b = times.length;
  while (a < b) {
    const mid = (a + b) >>> 1;
    const tau = times[mid] - holdup - shift;
    if (kd * (tau > 0 ? tau : 0) > level) b = mid;
    else a = mid + 1;
  }
  return a;
}

/** The event rule: integrate between successive events tau_j - t1 and tau_j (see the kernel). */
function outletEvents(
  times: Float64Array, holdup: number, kd: number, pulse: number, sqrtB: number, lo: number, hi: number, out: Float64Array,
): void {
  const n = times.length;
  let g = 0;
  let at = lo;
  let ia = 0;
  let ib = 0;
  // b-events (tau_j - t1) run ahead of a-events (tau_j): ib >= ia, and at ib == ia b is due.
  while (ia < n) {
    const ta = times[ia] - holdup;
    const isB = ib === ia || (ib < n && times[ib] - holdup - pulse < ta);
    const tau = isB ? times[ib] - holdup - pulse : ta;
    const u = clamp(Math.sqrt(kd * (tau > 0 ? tau : 0)), lo, hi);
    if (u > at) {
      g += integrate(at, u, sqrtB);
      at = u;
    }
    if (isB) out[ib++] = -g;
    else out[ia++] += g;
  }
  wholeIntegral = at === hi ? g : -1;
}

/**
 * c(t_j) at one position for ascending times, by one cumulative quadrature (see the kernel).
 * holdup tM (s), retention B = alpha ka tM, kd (1/s), pulse t1 (s), scale = c0/u_hat (mol/m3).
 * Returns the number of density evaluations.
 */
export function outletConcentration(
  times: Float64Array, holdup: number, retention: number, kd: number, pulse: number, scale: number,
  out: Float64Array,
): number {
  evaluations = 0;
  const n = times.length;
  const sqrtB = Math.sqrt(retention);
  const reach = Math.sqrt(cutoffExponent(sqrtB));
  const lo = sqrtB > reach ? sqrtB - reach : 0;
  const hi = sqrtB + reach;
  const below = lo * lo * (1.0 - 4.0 * Number.EPSILON);
  const above = hi * hi * (1.0 + 4.0 * Number.EPSILON);
  const toU = (tau: number) => clamp(Math.sqrt(kd * (tau > 0 ? tau : 0)), lo, hi);
  const start = firstAbove(times, 0, holdup, 0, kd, below);
  const end = firstAbove(times, start, holdup, pulse, kd, above);
  const count = Math.ceil((hi - lo) / CHEB_WIDTH);
  const w = (hi - lo) / count;
  const top = end > start ? toU(times[end - 1] - holdup) : lo;
  const needed = top >= hi ? count : Math.min(count, Math.trunc((top - lo) / w) + 1);
  if (chooseRule(end - start, top - lo, needed, count) === RULE_PANELS) {
    evaluations += buildPanels(lo, w, needed, sqrtB);
    const at = (u: number) => (u <= lo ? 0 : u >= hi ? builtIntegral() : cumulativeAt(u));
    out.fill(0, 0, start);
    for (let j = start; j < end; j++) out[j] = at(toU(times[j] - holdup)) - at(toU(times[j] - holdup - pulse));
    out.fill(0, end);
    wholeIntegral = needed === count ? builtIntegral() : -1;
  } else {
    outletEvents(times, holdup, kd, pulse, sqrtB, lo, hi, out);
  }
  const plug = Math.exp(-retention);
  for (let j = 0; j < n; j++) {
    const tau = times[j] - holdup;
    out[j] = scale * (out[j] + (tau > 0 && tau <= pulse ? plug : 0));
  }
  return evaluations;
}

/** The last outletConcentration's quadrature of the whole support, or -1 (see the kernel). */
export function supportIntegral(): number {
  return wholeIntegral;
}

/** c at independent points (x_k, t_k), each with its own hold-up time, retention and scale. */
export function pointConcentration(
  times: Float64Array, holdups: Float64Array, retentions: Float64Array, scales: Float64Array,
  kd: number, pulse: number, out: Float64Array,
): number {
  evaluations = 0;
  for (let k = 0; k < times.length; k++) {
    const retention = retentions[k];
    const tau = times[k] - holdups[k];
    const sqrtB = Math.sqrt(retention);
    const reach = Math.sqrt(cutoffExponent(sqrtB));
    const lo = sqrtB > reach ? sqrtB - reach : 0;
    const hi = sqrtB + reach;
    const ta = tau - pulse;
    const ua = clamp(Math.sqrt(kd * (ta > 0 ? ta : 0)), lo, hi);
    const ub = clamp(Math.sqrt(kd * (tau > 0 ? tau : 0)), lo, hi);
    let v = ub > ua ? integrate(ua, ub, sqrtB) : 0;
    if (tau > 0 && tau <= pulse) v += Math.exp(-retention);
    out[k] = scales[k] * v;
  }
  return evaluations;
}

/** Quadrature of the whole density; exact value 1 - e^{-B}. */
export function adsorbedFraction(retention: number): number {
  const sqrtB = Math.sqrt(retention);
  const reach = Math.sqrt(cutoffExponent(sqrtB));
  return integrate(sqrtB > reach ? sqrtB - reach : 0, sqrtB + reach, sqrtB);
}
