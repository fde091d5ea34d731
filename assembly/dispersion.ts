// The column model WITH diffusion at constant velocity, inverted from its Laplace transform
// (MODEL.md §12), allocation-free (twin: src/engine/kernels/dispersion.ts, same operations in the
// same order).
//
// Transfer function of the finite column (Danckwerts inlet, outlet c_x = 0), linear kinetics, at
// r = x/L, in the groups tM = L/u, 1/Pe = D/(u L), B = alpha ka tM:
//   g tM = s tM + B s/(s + kd),  w = 4 g tM/Pe,  q = sqrt(1 + w),  1 - q = -w/(1 + q)
//   H(r, s) = 2 e^{E r} [(1 + q) - (1 - q) e^{-q Pe (1 - r)}] / [(1 + q)^2 - (1 - q)^2 e^{-q Pe}],
//   E = -2 g tM/(1 + q);
// the outlet concentration of a rectangular pulse of length t1 has the transform
// c0 H(r, s) (1 - e^{-s t1})/s. The window where the response lives comes from Chernoff bounds
// on the impulse response (a probability density), the spectrum is cut where it has decayed
// (fourierSeries in bromwich.ts sums it). At 1/Pe = 0 the Dirac part e^{-B r} e^{-s tM r} is taken
// out of the series and added back in closed form.
import { fourierSeries } from "./bromwich";
import { GAUSS10_NODES, GAUSS10_WEIGHTS } from "./tables";

/** Points of each Chernoff search (geometric in lambda). */
const SEARCH: i32 = 72;
/** Consecutive terms below the tolerance after which the series is cut. */
const QUIET: i32 = 4;
/** The right-tail search stays where q = sqrt(1 + w) >= 0.1. */
const Q2_FLOOR: f64 = 0.01;

let re: f64 = 0.0;
let im: f64 = 0.0;

function csqrt(a: f64, b: f64): void {
  const r = Math.hypot(a, b);
  const x = Math.sqrt(0.5 * (r + Math.abs(a)));
  if (x == 0.0) {
    re = 0.0;
    im = 0.0;
  } else if (a >= 0.0) {
    re = x;
    im = b / (2.0 * x);
  } else {
    re = Math.abs(b) / (2.0 * x);
    im = b < 0.0 ? -x : x;
  }
}

function cdiv(a: f64, b: f64, c: f64, d: f64): void {
  if (Math.abs(c) >= Math.abs(d)) {
    const t = d / c;
    const den = c + d * t;
    re = (a + b * t) / den;
    im = (b - a * t) / den;
  } else {
    const t = c / d;
    const den = c * t + d;
    re = (a * t + b) / den;
    im = (b * t - a) / den;
  }
}

/** e^{-(a + ib) f}, 0 when its modulus underflows. */
function cexpNeg(a: f64, b: f64, f: f64): void {
  const x = a * f;
  if (!(x < 745.0)) {
    re = 0.0;
    im = 0.0;
    return;
  }
  const m = Math.exp(-x);
  re = m * Math.cos(b * f);
  im = -m * Math.sin(b * f);
}

// Mechanisms of the next dispersiveConcentration (MODEL.md §12.5), reset to none after it: a second,
// slow kind of site (B2 = alpha ka2 tM, kd2), the inlet pulse convolved with an exponential of time
// constant injectionTime, and a first-order detector lag of time constant detectorTime (s).
let slowRetention: f64 = 0.0;
let slowKd: f64 = 1.0;
let injectionTime: f64 = 0.0;
let detectorTime: f64 = 0.0;

/** Sets the mechanisms of the next dispersiveConcentration (only that one). */
export function setDispersionMechanisms(retention2: f64, kd2: f64, injection: f64, detector: f64): void {
  slowRetention = retention2;
  slowKd = kd2;
  injectionTime = injection;
  detectorTime = detector;
}

// Pressure ratio pL/p0 of the next call (MODEL.md §12.6): 1 is constant velocity, below 1 variable
// velocity with D ~ 1/p (the asymptotic transform, at the outlet).
let pressureRatio: f64 = 1.0;
// ln(pL/p0) - ln H(0) of the series of the current call: H(0) = pL/p0 exactly
let normalisation: f64 = 0.0;

/** Sets the pressure ratio pL/p0 of the next dispersiveConcentration (only that one); 1: constant velocity. */
export function setDispersionColumn(ratio: f64): void {
  pressureRatio = ratio;
}

function resetMechanisms(): void {
  setDispersionMechanisms(0.0, 1.0, 0.0, 0.0);
  pressureRatio = 1.0;
  normalisation = 0.0;
}

/** Hold-up time over L/u0 at the pressure ratio pi (1 at pi = 1). */
function holdupFactor(ratio: f64): f64 {
  return ratio < 1.0 ? (2.0 * (1.0 - ratio * ratio * ratio)) / (3.0 * (1.0 - ratio * ratio)) : 1.0;
}

const PANELS: i32 = 3;

let rateRe: f64 = 0.0;
let rateIm: f64 = 0.0;
let nodeQRe: f64 = 0.0;
let nodeQIm: f64 = 0.0;
let nodeCorrRe: f64 = 0.0;
let nodeCorrIm: f64 = 0.0;

/** L c'/c of the slow solution at P = p/p0, WKB to second order in 1/Pe (twin: slowRate). */
function slowRate(P: f64, gtr: f64, gti: f64, w0r: f64, w0i: f64, beta: f64, inversePeclet: f64): void {
  csqrt(1.0 + w0r * P, w0i * P);
  const qr = re;
  const qi = im;
  nodeQRe = qr;
  nodeQIm = qi;
  const pr = 1.0 + qr;
  const pi = qi;
  cdiv(-2.0 * gtr * P, -2.0 * gti * P, pr, pi);
  const leadR = re;
  const leadI = im;
  const kL = beta / (2.0 * P * P);
  cdiv(pr * pr - pi * pi, 2.0 * pr * pi, 4.0 * (qr * qr - qi * qi), 8.0 * qr * qi);
  const mr = re;
  const mi = im;
  cdiv(1.0, 0.0, qr, qi);
  const invR = re;
  const invI = im;
  const inv2R = invR * invR - invI * invI;
  const inv2I = 2.0 * invR * invI;
  const br = 1.0 + 2.0 + invR - inv2R - mr;
  const bi = invI - inv2I - mi;
  const mqR = mr * invR - mi * invI;
  const mqI = mr * invI + mi * invR;
  const f = inversePeclet * kL * kL;
  const r2R = f * (mqR * br - mqI * bi);
  const r2I = f * (mqR * bi + mqI * br);
  rateRe = leadR - kL * mr - r2R;
  rateIm = leadI - kL * mi - r2I;
  nodeCorrRe = inversePeclet * (kL * mr + r2R);
  nodeCorrIm = inversePeclet * (kL * mi + r2I);
}

/** H(s) of the variable-velocity column at its outlet as ratio e^{exponent} (twin: variableTransfer). */
function variableTransfer(sr: f64, si: f64, holdup: f64, inversePeclet: f64, retention: f64, kd: f64): void {
  cdiv(sr, si, sr + kd, si);
  let gtr = sr * holdup + retention * re;
  let gti = si * holdup + retention * im;
  if (slowRetention > 0.0) {
    cdiv(sr, si, sr + slowKd, si);
    gtr += slowRetention * re;
    gti += slowRetention * im;
  }
  const w0r = 4.0 * inversePeclet * gtr;
  const w0i = 4.0 * inversePeclet * gti;
  const ratio = pressureRatio;
  const beta = 1.0 - ratio * ratio;
  const inP = beta > 0.5;
  const lo = inP ? ratio : 0.0;
  const width = (1.0 - lo) / <f64>PANELS;
  let sumR = 0.0;
  let sumI = 0.0;
  for (let panel = 0; panel < PANELS; panel++) {
    const mid = lo + (<f64>panel + 0.5) * width;
    for (let j = 0; j < 10; j++) {
      const z = mid + 0.5 * width * unchecked(GAUSS10_NODES[j]);
      const P = inP ? z : Math.sqrt(1.0 - beta * z);
      const weight = 0.5 * width * unchecked(GAUSS10_WEIGHTS[j]) * (inP ? (2.0 * P) / beta : 1.0);
      slowRate(P, gtr, gti, w0r, w0i, beta, inversePeclet);
      sumR += weight * rateRe;
      sumI += weight * rateIm;
    }
  }
  exponentRe = sumR;
  exponentIm = sumI;
  slowRate(1.0, gtr, gti, w0r, w0i, beta, inversePeclet);
  cdiv(1.0, 0.0, 0.5 * (1.0 + nodeQRe) + nodeCorrRe, 0.5 * nodeQIm + nodeCorrIm);
  let hr = re;
  let hi = im;
  if (inversePeclet > 0.0) {
    slowRate(ratio, gtr, gti, w0r, w0i, beta, inversePeclet);
    const muR = rateRe;
    const muI = rateIm;
    const qr = nodeQRe;
    const qi = nodeQIm;
    cdiv(-w0r * ratio, -w0i * ratio, 1.0 + qr, qi);
    const dr = re;
    const di = im;
    cdiv(dr * dr - di * di, 2.0 * dr * di, 4.0 * (qr * qr - qi * qi), 8.0 * qr * qi);
    const kL = beta / (2.0 * ratio * ratio);
    const upR = (1.0 + qr) / (2.0 * inversePeclet) - kL * re;
    const upI = qi / (2.0 * inversePeclet) - kL * im;
    cdiv(muR, muI, upR, upI);
    const or = 1.0 - re;
    const oi = -im;
    const t = hr * or - hi * oi;
    hi = hr * oi + hi * or;
    hr = t;
  }
  ratioRe = hr;
  ratioIm = hi;
  exponentRe += normalisation;
}

function normaliseTransfer(holdup: f64, inversePeclet: f64, retention: f64, kd: f64): void {
  normalisation = 0.0;
  variableTransfer(0.0, 0.0, holdup, inversePeclet, retention, kd);
  normalisation = Math.log(pressureRatio) - (exponentRe + Math.log(ratioRe));
}

function asymptoticError(inversePeclet: f64): f64 {
  if (!(pressureRatio < 1.0)) return 0.0;
  const kappa = (1.0 - pressureRatio * pressureRatio) / (2.0 * pressureRatio * pressureRatio);
  const k1 = 1.0 + kappa;
  return inversePeclet * inversePeclet * inversePeclet * k1 * k1 * k1 * k1;
}

let ratioRe: f64 = 0.0;
let ratioIm: f64 = 0.0;
let exponentRe: f64 = 0.0;
let exponentIm: f64 = 0.0;

/** H(r, s) = ratio e^{exponent}: ratio = 2 [(1 + q) - (1 - q) e^{-q Pe (1 - r)}]/den, exponent = E r. */
function transfer(sr: f64, si: f64, holdup: f64, inversePeclet: f64, retention: f64, kd: f64, position: f64): void {
  if (pressureRatio < 1.0) {
    variableTransfer(sr, si, holdup, inversePeclet, retention, kd);
    return;
  }
  cdiv(sr, si, sr + kd, si);
  let gr = sr * holdup + retention * re;
  let gi = si * holdup + retention * im;
  if (slowRetention > 0.0) {
    cdiv(sr, si, sr + slowKd, si);
    gr += slowRetention * re;
    gi += slowRetention * im;
  }
  const wr = 4.0 * inversePeclet * gr;
  const wi = 4.0 * inversePeclet * gi;
  csqrt(1.0 + wr, wi);
  const pr = 1.0 + re;
  const pi = im;
  const qr = re;
  const qi = im;
  cdiv(-wr, -wi, pr, pi);
  const mr = re;
  const mi = im;
  cdiv(-2.0 * gr, -2.0 * gi, pr, pi);
  exponentRe = re * position;
  exponentIm = im * position;
  let zr = 0.0;
  let zi = 0.0;
  let yr = 0.0;
  let yi = 0.0;
  if (inversePeclet > 0.0) {
    cexpNeg(qr, qi, 1.0 / inversePeclet);
    zr = re;
    zi = im;
    cexpNeg(qr, qi, (1.0 - position) / inversePeclet);
    yr = re;
    yi = im;
  }
  const m2r = mr * mr - mi * mi;
  const m2i = 2.0 * mr * mi;
  const denr = pr * pr - pi * pi - (m2r * zr - m2i * zi);
  const deni = 2.0 * pr * pi - (m2r * zi + m2i * zr);
  const numr = 2.0 * (pr - (mr * yr - mi * yi));
  const numi = 2.0 * (pi - (mr * yi + mi * yr));
  cdiv(numr, numi, denr, deni);
  ratioRe = re;
  ratioIm = im;
}

/** ln H(r, s) at a real s > -kd with 1 + w >= Q2_FLOOR (every factor real and positive). */
export function logTransfer(s: f64, holdup: f64, inversePeclet: f64, retention: f64, kd: f64, position: f64): f64 {
  if (pressureRatio < 1.0) {
    variableTransfer(s, 0.0, holdup, inversePeclet, retention, kd);
    const lagsV = (injectionTime > 0.0 ? Math.log1p(s * injectionTime) : 0.0) + (detectorTime > 0.0 ? Math.log1p(s * detectorTime) : 0.0);
    return exponentRe + Math.log(ratioRe) - lagsV;
  }
  let g = s * holdup + (retention * s) / (s + kd);
  if (slowRetention > 0.0) g += (slowRetention * s) / (s + slowKd);
  const w = 4.0 * inversePeclet * g;
  const q = Math.sqrt(1.0 + w);
  const p = 1.0 + q;
  const m = -w / p;
  const e = (-2.0 * g) / p;
  let z = 0.0;
  let y = 0.0;
  if (inversePeclet > 0.0) {
    const a = q / inversePeclet;
    z = a < 745.0 ? Math.exp(-a) : 0.0;
    const b = a * (1.0 - position);
    y = b < 745.0 ? Math.exp(-b) : 0.0;
  }
  const lags = (injectionTime > 0.0 ? Math.log1p(s * injectionTime) : 0.0) + (detectorTime > 0.0 ? Math.log1p(s * detectorTime) : 0.0);
  return e * position + Math.log(2.0 * (p - m * y)) - Math.log(p * p - m * m * z) - lags;
}

let windowStart: f64 = 0.0;
let windowPeriod: f64 = 0.0;
let lastError: f64 = 0.0;

/** Start (s) of the window of the last dispersiveConcentration. */
export function dispersionWindowStart(): f64 {
  return windowStart;
}

/** Length (s) of the window (the period of the series) of the last dispersiveConcentration. */
export function dispersionWindowPeriod(): f64 {
  return windowPeriod;
}

/** Estimated largest error of the last dispersiveConcentration, in units of its scale. */
export function dispersionError(): f64 {
  return lastError;
}

/** A rough width (s) of the response, to place the Chernoff searches. */
function widthScale(holdup: f64, inversePeclet: f64, retention: f64, kd: f64, pulse: f64, position: f64): f64 {
  const k = retention / (kd * holdup) + slowRetention / (slowKd * holdup);
  const t = holdup * position * (1.0 + k);
  const v = (2.0 * retention * position) / (kd * kd) + (2.0 * slowRetention * position) / (slowKd * slowKd) +
    2.0 * inversePeclet * t * t + (pulse * pulse) / 12.0 + injectionTime * injectionTime + detectorTime * detectorTime;
  return Math.sqrt(v) + 1e-3 * t + 1e-300;
}

/** Left end: the largest t with P(T < t) <= eps, by P(T < t) <= e^{lambda t} H(lambda). */
function leftEdge(logEps: f64, holdup: f64, inversePeclet: f64, retention: f64, kd: f64, position: f64, sigma: f64): f64 {
  let best = 0.0;
  for (let j = 0; j < SEARCH; j++) {
    const lambda = (1e-3 / sigma) * Math.pow(1e9, <f64>j / <f64>(SEARCH - 1));
    const t = (logEps - logTransfer(lambda, holdup, inversePeclet, retention, kd, position)) / lambda;
    if (t > best) best = t;
  }
  return best;
}

/** Right end of the impulse response: the smallest t with P(T > t) <= eps, by P(T > t) <= e^{-lambda t} H(-lambda). */
function rightEdge(logEps: f64, holdup: f64, inversePeclet: f64, retention: f64, kd: f64, position: f64): f64 {
  // 1 + w(-lambda) >= Q2_FLOOR needs lambda tM < 1/(4/Pe): the bisection starts inside that bound
  let limit = kd;
  if (slowRetention > 0.0) limit = Math.min(limit, slowKd);
  if (injectionTime > 0.0) limit = Math.min(limit, 1.0 / injectionTime);
  if (detectorTime > 0.0) limit = Math.min(limit, 1.0 / detectorTime);
  let a = 0.0;
  let b = inversePeclet > 0.0 ? Math.min(limit, 0.25 / (inversePeclet * holdup)) : limit;
  if (inversePeclet > 0.0) {
    for (let i = 0; i < 100; i++) {
      const mid = 0.5 * (a + b);
      let g = -mid * holdup - (retention * mid) / (kd - mid);
      if (slowRetention > 0.0) g -= (slowRetention * mid) / (slowKd - mid);
      if (1.0 + 4.0 * inversePeclet * g >= Q2_FLOOR) a = mid;
      else b = mid;
    }
  }
  const top = inversePeclet > 0.0 ? a : limit;
  let best = Infinity;
  for (let j = 0; j < SEARCH; j++) {
    const x = j < 48 ? 1e-6 * Math.pow(5e5, <f64>j / 47.0) : 1.0 - 0.5 * Math.pow(10.0, -<f64>(j - 47) / 4.0);
    const lambda = top * x;
    if (!(lambda > 0.0 && lambda < limit)) continue;
    const t = (logTransfer(-lambda, holdup, inversePeclet, retention, kd, position) - logEps) / lambda;
    if (t < best) best = t;
  }
  return best;
}

/**
 * Concentration at position r = x/L (1: the outlet) at n ascending times (pointer), for a
 * rectangular pulse of length `pulse` (s): scale (c0) times the inverse of H(r, s)(1 - e^{-s t1})/s.
 * holdup tM = L/u (s), inversePeclet D/(u L) (0: no diffusion), retention B = alpha ka tM, kd (1/s).
 * tolerance (fraction of c0): where the series is cut and what the window's tails may hold.
 * work: 2 (maxTerms + 1) f64. Returns the number of transform evaluations, negated if the
 * spectrum needed more than maxTerms terms (dispersionError() then says how far it is off).
 */
export function dispersiveConcentration(
  times: usize, n: i32, holdup: f64, inversePeclet: f64, retention: f64, kd: f64, pulse: f64, position: f64,
  scale: f64, tolerance: f64, maxTerms: i32, work: usize, out: usize,
): i32 {
  if (pressureRatio < 1.0) normaliseTransfer(holdup, inversePeclet, retention, kd);
  const logEps = Math.log(tolerance);
  const sigma = widthScale(holdup, inversePeclet, retention, kd, pulse, position);
  const start = leftEdge(logEps, holdup, inversePeclet, retention, kd, position, sigma);
  const end = pulse + rightEdge(logEps, holdup, inversePeclet, retention, kd, position);
  const period = end - start;
  windowStart = start;
  windowPeriod = period;
  if (!(period > 0.0 && period < Infinity)) {
    // no window (the bounds failed: out of the range of numbers): nothing computed, error 100%
    memory.fill(out, 0, <usize>n << 3);
    lastError = 1.0;
    resetMechanisms();
    return -1;
  }
  const stretch = holdupFactor(pressureRatio);
  const plug = inversePeclet > 0.0 ? 0.0 : Math.exp(-(retention + slowRetention) * position * stretch) * pressureRatio;
  const delay = holdup * position * stretch;
  const step = (2.0 * Math.PI) / period;
  let quiet = 0;
  let previous = Infinity;
  let envelope = 0.0;
  let magnitudes = 0.0;
  let terms = 0;
  let converged = false;
  for (let k = 0; k <= maxTerms; k++) {
    const omega = step * <f64>k;
    transfer(0.0, omega, holdup, inversePeclet, retention, kd, position);
    const mag = Math.exp(exponentRe);
    const phase = exponentIm + omega * start;
    const c = Math.cos(phase);
    const s = Math.sin(phase);
    let hr = mag * (ratioRe * c - ratioIm * s);
    let hi = mag * (ratioRe * s + ratioIm * c);
    if (plug > 0.0) {
      const lag = omega * (start - delay);
      hr -= plug * Math.cos(lag);
      hi -= plug * Math.sin(lag);
    }
    let pr = pulse;
    let pi = 0.0;
    if (k > 0) {
      const half = Math.sin(0.5 * omega * pulse);
      pr = Math.sin(omega * pulse) / omega;
      pi = (-2.0 * half * half) / omega;
    }
    let fr = hr * pr - hi * pi;
    let fi = hr * pi + hi * pr;
    let damping = 1.0;
    if (injectionTime > 0.0) {
      cdiv(fr, fi, 1.0, omega * injectionTime);
      fr = re;
      fi = im;
      damping *= Math.hypot(1.0, omega * injectionTime);
    }
    if (detectorTime > 0.0) {
      cdiv(fr, fi, 1.0, omega * detectorTime);
      fr = re;
      fi = im;
      damping *= Math.hypot(1.0, omega * detectorTime);
    }
    const p = work + (<usize>k << 4);
    store<f64>(p, fr);
    store<f64>(p, fi, 8);
    terms = k;
    const size = Math.hypot(hr, hi) / damping;
    magnitudes += Math.hypot(fr, fi) * (64.0 + omega * (Math.abs(start) + period));
    if (k == 0) continue;
    envelope = size * Math.min(pulse, 2.0 / omega);
    if ((2.0 / period) * envelope <= tolerance) quiet++;
    else quiet = 0;
    if (quiet >= QUIET) {
      converged = true;
      break;
    }
    previous = envelope;
  }
  const ratio = envelope / previous;
  const rest = ratio < 1.0 ? envelope * Math.max(1.0, ratio / (1.0 - ratio)) : envelope * <f64>terms;
  const truncation = (2.0 / period) * rest;
  const rounding = (2.0 / period) * 2.2e-16 * magnitudes;
  lastError = 3.0 * tolerance + truncation + rounding + asymptoticError(inversePeclet);
  fourierSeries(times, n, start, period, terms, work, scale, out);
  // c >= 0: rounding of the sum leaves values of either sign near zero, which the estimate covers
  for (let j = 0; j < n; j++) {
    const o = <usize>j << 3;
    const tau = load<f64>(times + o) - delay;
    const v = load<f64>(out + o) + (plug > 0.0 ? scale * plug * (smoothedStep(tau) - smoothedStep(tau - pulse)) : 0.0);
    store<f64>(out + o, v > 0.0 ? v : 0.0);
  }
  resetMechanisms();
  return converged ? terms + 1 : -(terms + 1);
}

/**
 * The unit step at 0 (0 at tau = 0) through the inlet's and the detector's exponentials (twin:
 * smoothedStep in src/engine/kernels/dispersion.ts).
 */
function smoothedStep(tau: f64): f64 {
  if (!(tau > 0.0)) return 0.0;
  const a = Math.max(injectionTime, detectorTime);
  const b = Math.min(injectionTime, detectorTime);
  if (a == 0.0) return 1.0;
  if (b == 0.0) return -Math.expm1(-tau / a);
  if (a - b < 6e-6 * a) {
    const m = 0.5 * (a + b);
    return 1.0 - (1.0 + tau / m) * Math.exp(-tau / m);
  }
  return 1.0 - (a * Math.exp(-tau / a) - b * Math.exp(-tau / b)) / (a - b);
}
