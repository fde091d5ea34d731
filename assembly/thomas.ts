// Thomas solution: Langmuir (or anti-Langmuir) kinetics without diffusion, rectangular pulse
// (MODEL.md §13), allocation-free. The readable specification is the twin,
// src/engine/kernels/thomas.ts; this kernel performs the same operations in the same order.
//
//   c/c0 = C / (A + B + C)                                                        (13.6)
//   A = 1 - J(n, kd tau),  B = e^{kappa t1} J(n, kd s0),  C = e^{kappa tau - (n - n')} [J(n', b' tau) - J(n', b' s0)]
//
// Each J is an integral of the residence-time density of laplace.ts in u = sqrt(kd v); the terms
// span hundreds of orders of magnitude, so each is carried as its logarithm and every integral is
// taken relative to the largest value of its integrand on its interval.
import { scaledBesselI1 } from "./bessel";
import { expNonPositive } from "./exponential";
import { GAUSS6_NODES, GAUSS6_WEIGHTS, GAUSS10_NODES, GAUSS10_WEIGHTS, LAGUERRE10_NODES, LAGUERRE10_WEIGHTS } from "./tables";

/**
 * Neglected: the integrand below e^-30 (9e-14) of its largest value on the interval. The terms of
 * (13.6) then carry a relative error of about 1e-13, far inside the 1e-10-of-peak contract; the
 * values of the twin's REACH, STEP and GROWTH are tuned against the 40-digit references.
 */
const REACH: f64 = 30.0;
/** Panel width: the exponent falls by at most STEP e^{GROWTH drop} across a 10-point panel. */
const STEP: f64 = 5.0;
const GROWTH: f64 = 0.1;

let evaluations: f64 = 0.0;

/** 10-point Gauss–Legendre of 2 sqrt(B) e^{-(u - sqrt B)^2 + shift} I1e(2 sqrt(B) u) over [a, b]. */
function panel(a: f64, b: f64, sqrtB: f64, shift: f64): f64 {
  const half = 0.5 * (b - a);
  const mid = 0.5 * (a + b);
  const twoSqrtB = 2.0 * sqrtB;
  const da = Math.abs(a - sqrtB);
  const db = Math.abs(b - sqrtB);
  // short panels: 6 points where (2 max|u - sqrt B| + 5) h <= 1 and I1e is smooth (see the twin)
  const short = (2.0 * (da > db ? da : db) + 5.0) * (b - a) <= 1.0 && twoSqrtB * a >= 32.0;
  let s = 0.0;
  if (short) {
    for (let i = 0; i < 6; i++) {
      const u = mid + half * unchecked(GAUSS6_NODES[i]);
      const d = u - sqrtB;
      const e = shift - d * d;
      s += unchecked(GAUSS6_WEIGHTS[i]) * (twoSqrtB * expNonPositive(e < 0.0 ? e : 0.0) * scaledBesselI1(twoSqrtB * u));
    }
    evaluations += 6.0;
  } else {
    for (let i = 0; i < 10; i++) {
      const u = mid + half * unchecked(GAUSS10_NODES[i]);
      const d = u - sqrtB;
      const e = shift - d * d;
      s += unchecked(GAUSS10_WEIGHTS[i]) * (twoSqrtB * expNonPositive(e < 0.0 ? e : 0.0) * scaledBesselI1(twoSqrtB * u));
    }
    evaluations += 10.0;
  }
  return half * s;
}

// @ts-ignore: decorator
@inline
function width(u: f64, sqrtB: f64, drop: f64): f64 {
  const slope = 2.0 * Math.abs(u - sqrtB);
  const h = STEP * Math.exp(GROWTH * drop) / slope;
  return h < 1.0 ? h : 1.0;
}

/** Gauss–Laguerre beyond an end whose exponent slope is at least this (and slope p >= LAGUERRE_REACH downwards). */
const LAGUERRE_SLOPE: f64 = 12.0;
const LAGUERRE_REACH: f64 = 60.0;

/** e^shift times the integral of F_B beyond p (dir = 1 upwards, -1 downwards) by 10-point Gauss–Laguerre. */
function laguerreTail(sqrtB: f64, p: f64, dir: f64, shift: f64): f64 {
  const d = p - sqrtB;
  const slope = 2.0 * Math.abs(d);
  const twoSqrtB = 2.0 * sqrtB;
  const base = shift - d * d;
  let s = 0.0;
  for (let i = 0; i < 10; i++) {
    const y = unchecked(LAGUERRE10_NODES[i]) / slope;
    const e = base - y * y;
    s += unchecked(LAGUERRE10_WEIGHTS[i]) * (twoSqrtB * expNonPositive(e < 0.0 ? e : 0.0) * scaledBesselI1(twoSqrtB * (p + dir * y)));
  }
  evaluations += 10.0;
  return s / slope;
}

/** The integral over [a, b] (times e^shift) by Gauss–Laguerre from its top end; -1 where that does not apply. */
function laguerreIntegral(sqrtB: f64, a: f64, b: f64, shift: f64): f64 {
  const up = a > sqrtB;
  const p = up ? a : b;
  const q = up ? b : a;
  const d = p - sqrtB;
  if (!(2.0 * Math.abs(d) >= LAGUERRE_SLOPE)) return -1.0;
  if (!up && !(2.0 * Math.abs(d) * p >= LAGUERRE_REACH)) return -1.0;
  const dq = q - sqrtB;
  const drop = q == Infinity ? Infinity : dq * dq - shift;
  const dir: f64 = up ? 1.0 : -1.0;
  if (drop > REACH) return laguerreTail(sqrtB, p, dir, shift);
  if (!(drop >= STEP)) return -1.0;
  if (!up && !(2.0 * Math.abs(dq) * q >= LAGUERRE_REACH)) return -1.0;
  return laguerreTail(sqrtB, p, dir, shift) - laguerreTail(sqrtB, q, dir, shift);
}

/** log of the integral of F_B over [a, b] in u (0 <= a < b, b may be +inf); -inf when empty. */
function logDensityIntegral(sqrtB: f64, a: f64, b: f64): f64 {
  if (!(b > a)) return -Infinity;
  const top = a > sqrtB ? a : b < sqrtB ? b : sqrtB;
  const gap = top - sqrtB;
  const shift = gap * gap;
  if (top != sqrtB) {
    const l = laguerreIntegral(sqrtB, a, b, shift);
    if (l > 0.0) return Math.log(l) - shift;
  }
  let s = 0.0;
  let u = top;
  while (u < b) {
    const d = u - sqrtB;
    const drop = d * d - shift;
    if (drop > REACH) break;
    const h = width(u, sqrtB, drop);
    const next = u + h < b ? u + h : b;
    s += panel(u, next, sqrtB, shift);
    u = next;
  }
  u = top;
  while (u > a) {
    const d = u - sqrtB;
    const drop = d * d - shift;
    if (drop > REACH) break;
    const h = width(u, sqrtB, drop);
    const next = u - h > a ? u - h : a;
    s += panel(next, u, sqrtB, shift);
    u = next;
  }
  return Math.log(s) - shift;
}

/** Upper bound of log of the integral of F_B over [a, b] (finite): width times largest value, I1e <= 1. */
// @ts-ignore: decorator
@inline
function logDensityBound(sqrtB: f64, a: f64, b: f64): f64 {
  const top = a > sqrtB ? a : b < sqrtB ? b : sqrtB;
  const gap = top - sqrtB;
  return Math.log((b - a) * 2.0 * sqrtB) - gap * gap;
}

/** log(e^x + e^y). */
// @ts-ignore: decorator
@inline
function logAdd(x: f64, y: f64): f64 {
  if (x == -Infinity) return y;
  if (y == -Infinity) return x;
  return x > y ? x + Math.log1p(expNonPositive(y - x)) : y + Math.log1p(expNonPositive(x - y));
}

/** c/c0 proven below e^-NEGLIGIBLE (4e-18) is written as 0 (see the twin's THOMAS_NEGLIGIBLE). */
const NEGLIGIBLE = 40.0;

/** logDensityBound with I1e(x) < 1/sqrt(2 pi x) at the lower end (0 <= a < b finite). */
// @ts-ignore: decorator
@inline
function logDensityCeiling(sqrtB: f64, a: f64, b: f64): f64 {
  const top = a > sqrtB ? a : b < sqrtB ? b : sqrtB;
  const gap = top - sqrtB;
  const x = 2.0 * Math.PI * 2.0 * sqrtB * a;
  return Math.log((b - a) * 2.0 * sqrtB) - gap * gap - (x > 1.0 ? 0.5 * Math.log(x) : 0.0);
}

/** c/c0 at tau proven below e^-NEGLIGIBLE: the bound of C over a lower bound of log(A + B + C). */
function negligible(
  tau: f64, s0: f64, sqrtNPrime: f64, nPrime: f64, kdPrime: f64, shiftC: f64, kappa: f64, logFloor: f64,
): bool {
  let logC = logDensityCeiling(sqrtNPrime, Math.sqrt(kdPrime * s0), Math.sqrt(kdPrime * tau));
  if (!(s0 > 0.0)) logC = logAdd(-nPrime, logC);
  return kappa * tau + shiftC + logC - logFloor < -NEGLIGIBLE;
}

/**
 * log C of (13.6): e^{kappa tau - (n - n')} [J(n', kd' tau) - J(n', kd' s0)], the atom e^{-n'}
 * included while the pulse lasts (s0 = 0).
 */
function logTermC(tau: f64, s0: f64, sqrtNPrime: f64, nPrime: f64, kdPrime: f64, shiftC: f64, kappa: f64): f64 {
  return kappa * tau + shiftC + (s0 > 0.0
    ? logDensityIntegral(sqrtNPrime, Math.sqrt(kdPrime * s0), Math.sqrt(kdPrime * tau))
    : logAdd(-nPrime, logDensityIntegral(sqrtNPrime, 0.0, Math.sqrt(kdPrime * tau))));
}

/** c/c0 = C/(A + B + C) from the logarithms of the three terms (13.6). */
// @ts-ignore: decorator
@inline
function ratio(logA: f64, logB: f64, logC: f64): f64 {
  const top = logA > logB ? (logA > logC ? logA : logC) : logB > logC ? logB : logC;
  const a = expNonPositive(logA - top);
  const b = expNonPositive(logB - top);
  const c = expNonPositive(logC - top);
  return c / (a + b + c);
}

/**
 * Ascending times: A and B as running sums along the grid (see the twin), A's logarithm kept in
 * out by a first pass from the last time down.
 */
function sortedConcentration(
  times: usize, n: i32, holdup: f64, retention: f64, kd: f64, kappa: f64, pulse: f64, scale: f64, out: usize,
): void {
  const sqrtN = Math.sqrt(retention);
  const kdPrime = kd + kappa;
  const nPrime = retention * (kd / kdPrime);
  const sqrtNPrime = Math.sqrt(nPrime);
  const shiftC = nPrime - retention;
  const floor = kappa < 0.0 ? kappa * pulse : 0.0; // log of min(1, e^{kappa t1}) <= log(A + B + C)
  let logA: f64 = -Infinity;
  let above: f64 = Infinity;
  for (let j = n - 1; j >= 0; j--) {
    const p = out + (<usize>j << 3);
    const tau = load<f64>(times + (<usize>j << 3)) - holdup;
    if (!(tau > 0.0)) {
      store<f64>(p, -Infinity);
      continue;
    }
    const ts = tau < pulse ? tau : pulse;
    if (negligible(tau, tau - ts, sqrtNPrime, nPrime, kdPrime, shiftC, kappa, floor)) {
      store<f64>(p, Infinity); // marks the time for the second pass; A is never above 1
      continue;
    }
    const u = Math.sqrt(kd * tau);
    if (!(above < Infinity && logDensityBound(sqrtN, u, above) < logA - REACH)) {
      logA = logAdd(logA, logDensityIntegral(sqrtN, u, above));
    }
    above = u;
    store<f64>(p, logA);
  }
  let logLower = -retention;
  let below = 0.0;
  for (let j = 0; j < n; j++) {
    const p = out + (<usize>j << 3);
    const tau = load<f64>(times + (<usize>j << 3)) - holdup;
    if (!(tau > 0.0)) {
      store<f64>(p, 0.0);
      continue;
    }
    const logAj = load<f64>(p);
    if (logAj == Infinity) {
      store<f64>(p, 0.0);
      continue;
    }
    const ts = tau < pulse ? tau : pulse;
    const s0 = tau - ts;
    let logB: f64 = -Infinity;
    if (s0 > 0.0) {
      const u = Math.sqrt(kd * s0);
      if (!(logDensityBound(sqrtN, below, u) < logLower - REACH)) {
        logLower = logAdd(logLower, logDensityIntegral(sqrtN, below, u));
      }
      below = u;
      logB = kappa * pulse + logLower;
    }
    const known = logAdd(logAj, logB);
    if (negligible(tau, s0, sqrtNPrime, nPrime, kdPrime, shiftC, kappa, known > floor ? known : floor)) {
      store<f64>(p, 0.0);
      continue;
    }
    const logC = logTermC(tau, s0, sqrtNPrime, nPrime, kdPrime, shiftC, kappa);
    store<f64>(p, scale * ratio(logAj, logB, logC));
  }
}

/**
 * c(t_j) of the Thomas solution for n times (pointer `times`, s, any order) into out: hold-up
 * tM (s), retention n = alpha ka tM (ka the linear slope, 1/s), kd (1/s), kappa = ka c0/qmax
 * (1/s; negative for anti-Langmuir, kappa > -kd), pulse t1 (s), scale c0. Times where c/c0 is
 * proven below e^-40 are written as 0 unevaluated; ascending times take running sums (about 50
 * density evaluations per time where the peak is), others one set of tail integrals per time
 * (about 200). Returns density evaluations.
 */
export function thomasConcentration(
  times: usize, n: i32, holdup: f64, retention: f64, kd: f64, kappa: f64, pulse: f64, scale: f64, out: usize,
): f64 {
  evaluations = 0.0;
  let ascending = true;
  for (let j = 1; j < n; j++) {
    if (!(load<f64>(times + (<usize>j << 3)) >= load<f64>(times + (<usize>(j - 1) << 3)))) ascending = false;
  }
  if (ascending) {
    sortedConcentration(times, n, holdup, retention, kd, kappa, pulse, scale, out);
    return evaluations;
  }
  const sqrtN = Math.sqrt(retention);
  const kdPrime = kd + kappa;
  const nPrime = retention * (kd / kdPrime);
  const sqrtNPrime = Math.sqrt(nPrime);
  const shiftC = nPrime - retention;
  const floor = kappa < 0.0 ? kappa * pulse : 0.0; // log of min(1, e^{kappa t1}) <= log(A + B + C)
  for (let j = 0; j < n; j++) {
    const p = out + (<usize>j << 3);
    const tau = load<f64>(times + (<usize>j << 3)) - holdup;
    if (!(tau > 0.0)) {
      store<f64>(p, 0.0);
      continue;
    }
    const ts = tau < pulse ? tau : pulse;
    const s0 = tau - ts;
    if (negligible(tau, s0, sqrtNPrime, nPrime, kdPrime, shiftC, kappa, floor)) {
      store<f64>(p, 0.0);
      continue;
    }
    const logA = logDensityIntegral(sqrtN, Math.sqrt(kd * tau), Infinity);
    const logB: f64 = s0 > 0.0
      ? kappa * pulse + logAdd(-retention, logDensityIntegral(sqrtN, 0.0, Math.sqrt(kd * s0)))
      : -Infinity;
    const known = logAdd(logA, logB);
    if (negligible(tau, s0, sqrtNPrime, nPrime, kdPrime, shiftC, kappa, known > floor ? known : floor)) {
      store<f64>(p, 0.0);
      continue;
    }
    const logC = logTermC(tau, s0, sqrtNPrime, nPrime, kdPrime, shiftC, kappa);
    store<f64>(p, scale * ratio(logA, logB, logC));
  }
  return evaluations;
}
