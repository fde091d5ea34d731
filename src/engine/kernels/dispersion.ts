/**
 * Plain-TypeScript twin of assembly/dispersion.ts: the column model WITH diffusion at constant
 * velocity, inverted from its Laplace transform (MODEL.md §12). Same operations as the kernel,
 * in the same order (the results agree to rounding, not bit for bit: the kernel's cos, sin, exp
 * and log are AssemblyScript's, not V8's).
 *
 * Transfer function of the finite column (Danckwerts inlet u c - D c_x = u c_in, outlet c_x = 0),
 * linear kinetics, at the position r = x/L, in the groups tM = L/u, 1/Pe = D/(u L), B = alpha ka tM:
 *   g tM = s tM + B s/(s + kd),  w = 4 g tM / Pe,  q = sqrt(1 + w),  1 - q = -w/(1 + q)
 *   H(r, s) = 2 e^{E r} [ (1 + q) - (1 - q) e^{-q Pe (1 - r)} ] / [ (1 + q)^2 - (1 - q)^2 e^{-q Pe} ],
 *   E = Pe (1 - q)/2 = -2 g tM/(1 + q),
 * and the outlet concentration of a rectangular inlet pulse of length t1 has the transform
 * c0 H(r, s) (1 - e^{-s t1})/s. No exponential in it grows; at 1/Pe = 0 it is e^{-g tM r}, the
 * transform of MODEL.md §2, whose Dirac part e^{-B r} e^{-s tM r} is then taken out and added back
 * in closed form.
 */
import { fourierSeries } from './bromwich.js';
import { GAUSS10_NODES, GAUSS10_WEIGHTS } from './tables.js';

/** Points of each Chernoff search (geometric in lambda). */
const SEARCH = 72;
/** Consecutive terms below the tolerance after which the series is cut. */
const QUIET = 4;
/** The right-tail search stays where q = sqrt(1 + w) >= 0.1 (cancellation in the denominator below). */
const Q2_FLOOR = 0.01;

// complex results of the helpers (no allocation)
let re = 0;
let im = 0;

function csqrt(a: number, b: number): void {
  const r = Math.hypot(a, b);
  const x = Math.sqrt(0.5 * (r + Math.abs(a)));
  if (x === 0) {
    re = 0;
    im = 0;
  } else if (a >= 0) {
    re = x;
    im = b / (2 * x);
  } else {
    re = Math.abs(b) / (2 * x);
    im = b < 0 ? -x : x;
  }
}

function cdiv(a: number, b: number, c: number, d: number): void {
  // Smith's algorithm
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

/** e^{-(a + ib) f}, 0 when its modulus underflows (f >= 0 may be infinite when a > 0). */
function cexpNeg(a: number, b: number, f: number): void {
  const x = a * f;
  if (!(x < 745)) {
    re = 0;
    im = 0;
    return;
  }
  const m = Math.exp(-x);
  re = m * Math.cos(b * f);
  im = -m * Math.sin(b * f);
}

// Mechanisms of the next dispersiveConcentration (MODEL.md §12.5), reset to none after it: a second,
// slow kind of site (B2 = alpha ka2 tM, kd2), the inlet pulse convolved with an exponential of time
// constant injectionTime, and a first-order detector lag of time constant detectorTime (s).
let slowRetention = 0;
let slowKd = 1;
let injectionTime = 0;
let detectorTime = 0;

/** Sets the mechanisms of the next dispersiveConcentration (only that one). */
export function setDispersionMechanisms(retention2: number, kd2: number, injection: number, detector: number): void {
  slowRetention = retention2;
  slowKd = kd2;
  injectionTime = injection;
  detectorTime = detector;
}

// Pressure ratio pL/p0 of the next call (MODEL.md §12.6): 1 is constant velocity (the closed form),
// below 1 the variable velocity with D ~ 1/p (the asymptotic transform, at the outlet only).
let pressureRatio = 1;

/** Sets the pressure ratio pL/p0 of the next dispersiveConcentration (only that one); 1: constant velocity. */
export function setDispersionColumn(ratio: number): void {
  pressureRatio = ratio;
}

function resetMechanisms(): void {
  setDispersionMechanisms(0, 1, 0, 0);
  pressureRatio = 1;
  normalisation = 0;
}

/** Hold-up time over L/u0 at the pressure ratio pi: 2 (1 - pi^3)/(3 (1 - pi^2)) (1 at pi = 1). */
function holdupFactor(ratio: number): number {
  return ratio < 1 ? (2 * (1 - ratio * ratio * ratio)) / (3 * (1 - ratio * ratio)) : 1;
}

/** Panels of the 10-point Gauss–Legendre rule over the column in variableTransfer. */
const PANELS = 3;

// mu(L) of the slow solution at the node last evaluated by slowRate, per unit of y = x/L.
let rateRe = 0;
let rateIm = 0;
// q and 1/Pe r1 + 1/Pe rho2 of the last node: the inlet needs them
let nodeQRe = 0;
let nodeQIm = 0;
let nodeCorrRe = 0;
let nodeCorrIm = 0;

/**
 * The log-derivative L c'/c of the slow (decaying) solution at reduced pressure P = p/p0, by the
 * WKB series in 1/Pe to second order (MODEL.md §12.6): with Q = sqrt(1 + w0 P), kappa L = beta/(2P^2),
 * m = (1 + Q)^2/(4 Q^2),
 *   L mu = -2 g tM0 P/(1 + Q) - kappa L m - (1/Pe) (kappa L)^2 m/Q (1 + (2Q^2 + Q - 1)/Q^2 - m).
 * gt = g L/u0 (complex), w0 = 4 gt/Pe, beta = 1 - pi^2.
 */
function slowRate(P: number, gtr: number, gti: number, w0r: number, w0i: number, beta: number, inversePeclet: number): void {
  csqrt(1 + w0r * P, w0i * P);
  const qr = re;
  const qi = im;
  nodeQRe = qr;
  nodeQIm = qi;
  const pr = 1 + qr;
  const pi = qi;
  cdiv(-2 * gtr * P, -2 * gti * P, pr, pi);
  const leadR = re;
  const leadI = im;
  const kL = beta / (2 * P * P);
  // m = (1 + Q)^2 / (4 Q^2)
  cdiv(pr * pr - pi * pi, 2 * pr * pi, 4 * (qr * qr - qi * qi), 8 * qr * qi);
  const mr = re;
  const mi = im;
  // (2Q^2 + Q - 1)/Q^2 = 2 + 1/Q - 1/Q^2
  cdiv(1, 0, qr, qi);
  const invR = re;
  const invI = im;
  const inv2R = invR * invR - invI * invI;
  const inv2I = 2 * invR * invI;
  const br = 1 + 2 + invR - inv2R - mr;
  const bi = invI - inv2I - mi;
  // (1/Pe) kL^2 m/Q (bracket)
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

/**
 * H(s) of the variable-velocity column with D ~ 1/p at its outlet (MODEL.md §12.6), as ratio e^{exponent}:
 * exponent = int_0^1 L mu dy (10-point Gauss–Legendre on PANELS panels, in y when the pressure drop
 * is small, in P = p/p0 otherwise, where the integrand is analytic on a wide ellipse), ratio =
 * u0/rho(0) (the Danckwerts inlet) times 1 - mu(L)/mu+(L) (the outlet's layer), mu+ the growing
 * solution's log-derivative (1 + Q)/(2 l) - kappa (1 - Q)^2/(4 Q^2).
 */
function variableTransfer(sr: number, si: number, holdup: number, inversePeclet: number, retention: number, kd: number): void {
  cdiv(sr, si, sr + kd, si);
  let gtr = sr * holdup + retention * re;
  let gti = si * holdup + retention * im;
  if (slowRetention > 0) {
    cdiv(sr, si, sr + slowKd, si);
    gtr += slowRetention * re;
    gti += slowRetention * im;
  }
  const w0r = 4 * inversePeclet * gtr;
  const w0i = 4 * inversePeclet * gti;
  const ratio = pressureRatio;
  const beta = 1 - ratio * ratio;
  const inP = beta > 0.5;
  const lo = inP ? ratio : 0;
  const width = (1 - lo) / PANELS;
  let sumR = 0;
  let sumI = 0;
  for (let panel = 0; panel < PANELS; panel++) {
    const mid = lo + (panel + 0.5) * width;
    for (let j = 0; j < 10; j++) {
      const z = mid + 0.5 * width * GAUSS10_NODES[j];
      const P = inP ? z : Math.sqrt(1 - beta * z);
      const weight = 0.5 * width * GAUSS10_WEIGHTS[j] * (inP ? (2 * P) / beta : 1);
      slowRate(P, gtr, gti, w0r, w0i, beta, inversePeclet);
      sumR += weight * rateRe;
      sumI += weight * rateIm;
    }
  }
  exponentRe = sumR;
  exponentIm = sumI;
  // inlet: u0/rho(0) = 1/[(1 + Q0)/2 + (1/Pe)(r1 L + rho2 L/D)]
  slowRate(1, gtr, gti, w0r, w0i, beta, inversePeclet);
  cdiv(1, 0, 0.5 * (1 + nodeQRe) + nodeCorrRe, 0.5 * nodeQIm + nodeCorrIm);
  let hr = re;
  let hi = im;
  if (inversePeclet > 0) {
    // outlet layer: 1 - mu(L)/mu+(L)
    slowRate(ratio, gtr, gti, w0r, w0i, beta, inversePeclet);
    const muR = rateRe;
    const muI = rateIm;
    const qr = nodeQRe;
    const qi = nodeQIm;
    // (1 - Q)^2/(4 Q^2) with 1 - Q = -w/(1 + Q), w = w0 P
    cdiv(-w0r * ratio, -w0i * ratio, 1 + qr, qi);
    const dr = re;
    const di = im;
    cdiv(dr * dr - di * di, 2 * dr * di, 4 * (qr * qr - qi * qi), 8 * qr * qi);
    const kL = beta / (2 * ratio * ratio);
    const upR = (1 + qr) / (2 * inversePeclet) - kL * re;
    const upI = qi / (2 * inversePeclet) - kL * im;
    cdiv(muR, muI, upR, upI);
    const or = 1 - re;
    const oi = -im;
    const t = hr * or - hi * oi;
    hi = hr * oi + hi * or;
    hr = t;
  }
  ratioRe = hr;
  ratioIm = hi;
  exponentRe += normalisation;
}

// ln(pL/p0) - ln H(0) of the series as computed: added to every exponent of the call, so that H(0) is
// pL/p0 exactly (the amount leaving, u0/u(L) of what entered: MODEL.md §12.6). The series' error at
// second order in 1/Pe does not depend on s, so this takes it out (third order remains, measured).
let normalisation = 0;

/** Sets `normalisation` for the current call's parameters (variable velocity), and the asymptotic error estimate. */
function normaliseTransfer(holdup: number, inversePeclet: number, retention: number, kd: number): void {
  normalisation = 0;
  variableTransfer(0, 0, holdup, inversePeclet, retention, kd);
  normalisation = Math.log(pressureRatio) - (exponentRe + Math.log(ratioRe));
}

/** Estimated relative error of the variable-velocity series, (1/Pe)^3 (1 + kappa_max L)^4 (measured bound). */
function asymptoticError(inversePeclet: number): number {
  if (!(pressureRatio < 1)) return 0;
  const kappa = (1 - pressureRatio * pressureRatio) / (2 * pressureRatio * pressureRatio);
  return inversePeclet * inversePeclet * inversePeclet * (1 + kappa) ** 4;
}

// Transfer function at a complex s: the ratio part into (ratioRe, ratioIm), the exponent E r.
let ratioRe = 0;
let ratioIm = 0;
let exponentRe = 0;
let exponentIm = 0;

/**
 * H(r, s) = ratio e^{exponent}: ratio = 2 [(1 + q) - (1 - q) e^{-q Pe (1 - r)}] / den, exponent = E r.
 */
function transfer(sr: number, si: number, holdup: number, inversePeclet: number, retention: number, kd: number,
  position: number): void {
  if (pressureRatio < 1) {
    variableTransfer(sr, si, holdup, inversePeclet, retention, kd);
    return;
  }
  // g tM = s tM + B s/(s + kd)
  cdiv(sr, si, sr + kd, si);
  let gr = sr * holdup + retention * re;
  let gi = si * holdup + retention * im;
  if (slowRetention > 0) {
    cdiv(sr, si, sr + slowKd, si);
    gr += slowRetention * re;
    gi += slowRetention * im;
  }
  const wr = 4 * inversePeclet * gr;
  const wi = 4 * inversePeclet * gi;
  csqrt(1 + wr, wi);
  const pr = 1 + re; // 1 + q
  const pi = im;
  const qr = re;
  const qi = im;
  cdiv(-wr, -wi, pr, pi); // m = 1 - q = -w/(1 + q)
  const mr = re;
  const mi = im;
  cdiv(-2 * gr, -2 * gi, pr, pi); // E = -2 g tM/(1 + q)
  exponentRe = re * position;
  exponentIm = im * position;
  // e^{-q Pe} and e^{-q Pe (1 - r)}; both vanish at 1/Pe = 0
  let zr = 0;
  let zi = 0;
  let yr = 0;
  let yi = 0;
  if (inversePeclet > 0) {
    cexpNeg(qr, qi, 1 / inversePeclet);
    zr = re;
    zi = im;
    cexpNeg(qr, qi, (1 - position) / inversePeclet);
    yr = re;
    yi = im;
  }
  // den = (1 + q)^2 - m^2 z
  const m2r = mr * mr - mi * mi;
  const m2i = 2 * mr * mi;
  const denr = pr * pr - pi * pi - (m2r * zr - m2i * zi);
  const deni = 2 * pr * pi - (m2r * zi + m2i * zr);
  // num = 2 [(1 + q) - m y]
  const numr = 2 * (pr - (mr * yr - mi * yi));
  const numi = 2 * (pi - (mr * yi + mi * yr));
  cdiv(numr, numi, denr, deni);
  ratioRe = re;
  ratioIm = im;
}

/**
 * ln H(r, s) at a real s > -kd with 1 + w >= Q2_FLOOR (then every factor is real and positive).
 */
export function logTransfer(s: number, holdup: number, inversePeclet: number, retention: number, kd: number,
  position: number): number {
  if (pressureRatio < 1) {
    variableTransfer(s, 0, holdup, inversePeclet, retention, kd);
    const lagsV = (injectionTime > 0 ? Math.log1p(s * injectionTime) : 0) + (detectorTime > 0 ? Math.log1p(s * detectorTime) : 0);
    return exponentRe + Math.log(ratioRe) - lagsV;
  }
  let g = s * holdup + (retention * s) / (s + kd);
  if (slowRetention > 0) g += (slowRetention * s) / (s + slowKd);
  const w = 4 * inversePeclet * g;
  const q = Math.sqrt(1 + w);
  const p = 1 + q;
  const m = -w / p;
  const e = (-2 * g) / p;
  let z = 0;
  let y = 0;
  if (inversePeclet > 0) {
    const a = q / inversePeclet;
    z = a < 745 ? Math.exp(-a) : 0;
    const b = a * (1 - position);
    y = b < 745 ? Math.exp(-b) : 0;
  }
  // the inlet's and the detector's exponentials, 1/(1 + s tau) each
  const lags = (injectionTime > 0 ? Math.log1p(s * injectionTime) : 0) + (detectorTime > 0 ? Math.log1p(s * detectorTime) : 0);
  return e * position + Math.log(2 * (p - m * y)) - Math.log(p * p - m * m * z) - lags;
}

// The plan of the last call: window [windowStart, windowStart + windowPeriod], terms, error estimate.
let windowStart = 0;
let windowPeriod = 0;
let lastError = 0;

/** Start (s) of the window of the last dispersiveConcentration. */
export function dispersionWindowStart(): number {
  return windowStart;
}

/** Length (s) of the window (the period of the series) of the last dispersiveConcentration. */
export function dispersionWindowPeriod(): number {
  return windowPeriod;
}

/** Estimated largest error of the last dispersiveConcentration, in units of its scale (c0). */
export function dispersionError(): number {
  return lastError;
}

/** A rough width (s) of the response, to place the Chernoff searches (any positive value is valid). */
function widthScale(holdup: number, inversePeclet: number, retention: number, kd: number, pulse: number,
  position: number): number {
  const k = retention / (kd * holdup) + slowRetention / (slowKd * holdup);
  const t = holdup * position * (1 + k);
  const v = (2 * retention * position) / (kd * kd) + (2 * slowRetention * position) / (slowKd * slowKd) +
    2 * inversePeclet * t * t + (pulse * pulse) / 12 + injectionTime * injectionTime + detectorTime * detectorTime;
  return Math.sqrt(v) + 1e-3 * t + 1e-300;
}

/**
 * Left end of the window: the largest t with P(T < t) <= eps by Chernoff's bound
 * P(T < t) <= e^{lambda t} H(lambda), lambda > 0 (the impulse response h is a probability density).
 */
function leftEdge(logEps: number, holdup: number, inversePeclet: number, retention: number, kd: number,
  position: number, sigma: number): number {
  let best = 0;
  for (let j = 0; j < SEARCH; j++) {
    const lambda = (1e-3 / sigma) * Math.pow(1e9, j / (SEARCH - 1));
    const t = (logEps - logTransfer(lambda, holdup, inversePeclet, retention, kd, position)) / lambda;
    if (t > best) best = t;
  }
  return best;
}

/**
 * Right end of the window of the impulse response: the smallest t with P(T > t) <= eps by
 * P(T > t) <= e^{-lambda t} H(-lambda), 0 < lambda < lambdaMax (H analytic there: below kd and
 * with 1 + w > 0 along the way, as w decreases with lambda).
 */
function rightEdge(logEps: number, holdup: number, inversePeclet: number, retention: number, kd: number,
  position: number): number {
  // lambdaMax: 1 + w(-lambda) = Q2_FLOOR, by bisection on (0, kd)
  // 1 + w(-lambda) >= Q2_FLOOR needs lambda tM < 1/(4/Pe): the bisection starts inside that bound
  // below the poles of g (-kd, -kd2) and of the exponentials (-1/tau)
  let limit = kd;
  if (slowRetention > 0) limit = Math.min(limit, slowKd);
  if (injectionTime > 0) limit = Math.min(limit, 1 / injectionTime);
  if (detectorTime > 0) limit = Math.min(limit, 1 / detectorTime);
  let a = 0;
  let b = inversePeclet > 0 ? Math.min(limit, 0.25 / (inversePeclet * holdup)) : limit;
  if (inversePeclet > 0) {
    for (let i = 0; i < 100; i++) {
      const mid = 0.5 * (a + b);
      let g = -mid * holdup - (retention * mid) / (kd - mid);
      if (slowRetention > 0) g -= (slowRetention * mid) / (slowKd - mid);
      if (1 + 4 * inversePeclet * g >= Q2_FLOOR) a = mid;
      else b = mid;
    }
  }
  const top = inversePeclet > 0 ? a : limit;
  let best = Infinity;
  for (let j = 0; j < SEARCH; j++) {
    // 48 points geometric from 1e-6 to 0.5 of lambdaMax, then 24 approaching it: 1 - 0.5 10^{-i/4}
    const x = j < 48 ? 1e-6 * Math.pow(5e5, j / 47) : 1 - 0.5 * Math.pow(10, -(j - 47) / 4);
    const lambda = top * x;
    if (!(lambda > 0 && lambda < limit)) continue;
    const t = (logTransfer(-lambda, holdup, inversePeclet, retention, kd, position) - logEps) / lambda;
    if (t < best) best = t;
  }
  return best;
}

/**
 * Concentration at position r = x/L (1: the outlet) at n ascending times, for a rectangular pulse
 * of length `pulse` (s): scale (c0, mol/m3) times the inverse of H(r, s) (1 - e^{-s t1})/s.
 * holdup tM = L/u (s), inversePeclet D/(u L) (0: no diffusion), retention B = alpha ka tM, kd (1/s).
 * tolerance: the series is cut where its terms stay below tolerance (fraction of c0) and the
 * window's tails hold less than tolerance of the injected amount. work: 2 (maxTerms + 1) f64.
 * Returns the number of transform evaluations, negated if the spectrum needed more than maxTerms
 * terms; dispersionError() then says how far it is off.
 */
export function dispersiveConcentrationWith(
  times: Float64Array, n: number, holdup: number, inversePeclet: number, retention: number, kd: number,
  pulse: number, position: number, scale: number, tolerance: number, maxTerms: number, work: Float64Array,
  out: Float64Array,
): number {
  if (pressureRatio < 1) normaliseTransfer(holdup, inversePeclet, retention, kd);
  const logEps = Math.log(tolerance);
  const sigma = widthScale(holdup, inversePeclet, retention, kd, pulse, position);
  const start = leftEdge(logEps, holdup, inversePeclet, retention, kd, position, sigma);
  const end = pulse + rightEdge(logEps, holdup, inversePeclet, retention, kd, position);
  const period = end - start;
  windowStart = start;
  windowPeriod = period;
  if (!(period > 0 && period < Infinity)) {
    // no window (the bounds failed: out of the range of numbers): nothing computed, error 100%
    out.fill(0, 0, n);
    lastError = 1;
    resetMechanisms();
    return -1;
  }
  // The Dirac part at 1/Pe = 0 (the fraction that never adsorbed), taken out of the series.
  // variable velocity: the Dirac part arrives at tM = holdupFactor L/u0, attenuated by e^{-B} and pL/p0
  const stretch = holdupFactor(pressureRatio);
  const plug = inversePeclet > 0 ? 0 : Math.exp(-(retention + slowRetention) * position * stretch) * pressureRatio;
  const delay = holdup * position * stretch;
  const step = (2 * Math.PI) / period;
  let quiet = 0;
  let previous = Infinity;
  let envelope = 0;
  let magnitudes = 0;
  let terms = 0;
  let converged = false;
  for (let k = 0; k <= maxTerms; k++) {
    const omega = step * k;
    transfer(0, omega, holdup, inversePeclet, retention, kd, position);
    // H e^{s start} = ratio e^{E r + i omega start}, minus the plug e^{-B r} e^{i omega (start - tM r)}
    const mag = Math.exp(exponentRe);
    const phase = exponentIm + omega * start;
    const c = Math.cos(phase);
    const s = Math.sin(phase);
    let hr = mag * (ratioRe * c - ratioIm * s);
    let hi = mag * (ratioRe * s + ratioIm * c);
    if (plug > 0) {
      const lag = omega * (start - delay);
      hr -= plug * Math.cos(lag);
      hi -= plug * Math.sin(lag);
    }
    // the pulse (1 - e^{-i omega t1})/(i omega) = [sin(omega t1) - 2i sin^2(omega t1/2)]/omega
    let pr = pulse;
    let pi = 0;
    if (k > 0) {
      const half = Math.sin(0.5 * omega * pulse);
      pr = Math.sin(omega * pulse) / omega;
      pi = (-2 * half * half) / omega;
    }
    let fr = hr * pr - hi * pi;
    let fi = hr * pi + hi * pr;
    let damping = 1;
    if (injectionTime > 0) {
      cdiv(fr, fi, 1, omega * injectionTime);
      fr = re;
      fi = im;
      damping *= Math.hypot(1, omega * injectionTime);
    }
    if (detectorTime > 0) {
      cdiv(fr, fi, 1, omega * detectorTime);
      fr = re;
      fi = im;
      damping *= Math.hypot(1, omega * detectorTime);
    }
    work[2 * k] = fr;
    work[2 * k + 1] = fi;
    terms = k;
    const size = Math.hypot(hr, hi) / damping;
    magnitudes += Math.hypot(fr, fi) * (64 + omega * (Math.abs(start) + period));
    if (k === 0) continue;
    envelope = size * Math.min(pulse, 2 / omega);
    if ((2 / period) * envelope <= tolerance) quiet++;
    else quiet = 0;
    if (quiet >= QUIET) {
      converged = true;
      break;
    }
    previous = envelope;
  }
  // Error estimate (fraction of c0): the window's tails (aliases on both sides, outputs outside
  // it), the cut series (the last envelope continued geometrically, or K times it when it does
  // not decay), rounding of the sum and of the phases.
  const ratio = envelope / previous;
  const rest = ratio < 1 ? envelope * Math.max(1, ratio / (1 - ratio)) : envelope * terms;
  const truncation = (2 / period) * rest;
  const rounding = (2 / period) * 2.2e-16 * magnitudes;
  lastError = 3 * tolerance + truncation + rounding + asymptoticError(inversePeclet);
  fourierSeries(times, n, start, period, terms, work, scale, out);
  // c >= 0: rounding of the sum leaves values of either sign near zero, which the estimate covers
  for (let j = 0; j < n; j++) {
    const tau = times[j] - delay;
    const v = out[j] + (plug > 0 ? scale * plug * (smoothedStep(tau) - smoothedStep(tau - pulse)) : 0);
    out[j] = v > 0 ? v : 0;
  }
  resetMechanisms();
  return converged ? terms + 1 : -(terms + 1);
}

/**
 * The unit step at 0 (0 at tau = 0, as the pulse is 1 on (0, t1]) through the inlet's and the
 * detector's exponentials: 1 - e^{-tau/a} with one, 1 - (a e^{-tau/a} - b e^{-tau/b})/(a - b) with
 * two, 1 - (1 + tau/a) e^{-tau/a} when they are (nearly) equal (relative difference below 6e-6,
 * where the general form would lose more to cancellation than this one errs).
 */
function smoothedStep(tau: number): number {
  if (!(tau > 0)) return 0;
  const a = Math.max(injectionTime, detectorTime);
  const b = Math.min(injectionTime, detectorTime);
  if (a === 0) return 1;
  if (b === 0) return -Math.expm1(-tau / a);
  if (a - b < 6e-6 * a) {
    const m = 0.5 * (a + b);
    return 1 - (1 + tau / m) * Math.exp(-tau / m);
  }
  return 1 - (a * Math.exp(-tau / a) - b * Math.exp(-tau / b)) / (a - b);
}

/** Work array of dispersiveConcentration, kept between calls (grown when a call allows more terms). */
let shared = new Float64Array(0);

/** dispersiveConcentrationWith on all of `times`, with a work array of its own (the kernel contract's form). */
export function dispersiveConcentration(
  times: Float64Array, holdup: number, inversePeclet: number, retention: number, kd: number, pulse: number,
  position: number, scale: number, tolerance: number, maxTerms: number, out: Float64Array,
): number {
  if (shared.length < 2 * (maxTerms + 1)) shared = new Float64Array(2 * (maxTerms + 1));
  const work = shared;
  return dispersiveConcentrationWith(times, times.length, holdup, inversePeclet, retention, kd, pulse, position, scale,
    tolerance, maxTerms, work, out);
}

/**
 * H(s) itself, [re, im], at the outlet (position 1) for the given pressure ratio pL/p0 (1: constant
 * velocity), without the pulse: what dispersiveConcentration inverts, for tests of the transfer function.
 */
export function dispersionTransfer(
  sr: number, si: number, holdup: number, inversePeclet: number, retention: number, kd: number, ratio: number,
): [number, number] {
  pressureRatio = ratio;
  if (ratio < 1) normaliseTransfer(holdup, inversePeclet, retention, kd);
  transfer(sr, si, holdup, inversePeclet, retention, kd, 1);
  resetMechanisms();
  const m = Math.exp(exponentRe);
  const c = Math.cos(exponentIm);
  const s = Math.sin(exponentIm);
  return [m * (ratioRe * c - ratioIm * s), m * (ratioRe * s + ratioIm * c)];
}
