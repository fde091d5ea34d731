/**
 * Plain-TypeScript twin of assembly/thomas.ts: the readable specification of the Thomas kernel
 * (Langmuir or anti-Langmuir kinetics without diffusion, rectangular pulse; MODEL.md §13).
 *
 * The solution is a ratio of three positive terms (13.6),
 *   c/c0 = C / (A + B + C),
 *   A = 1 - J(n, kd tau)                                  upper tail of the linear density
 *   B = e^{kappa t1} J(n, kd s0)                          (only once the pulse has ended, s0 > 0)
 *   C = e^{kappa tau - (n - n')} [J(n', b' tau) - J(n', b' s0)]   with n' = n kd/b', b' = kd + kappa,
 * each a J-function, i.e. an integral of the residence-time density of the linear model
 *   F_B(u) = 2 sqrt(B) e^{-(u - sqrt B)^2} I1e(2 sqrt(B) u),   u = sqrt(kd v),
 * that laplace.ts integrates. The terms span hundreds of orders of magnitude (e^{kappa t1} with
 * kappa t1 ~ 50 is common), so each is carried as its logarithm: every integral is taken relative
 * to the largest value of its integrand on the interval, which the Gaussian factor puts at the
 * point of the interval nearest sqrt B. Same tables and operation order as the kernel; the two
 * agree to rounding (Math.log and Math.log1p are not bit-identical between V8 and AssemblyScript).
 */
import { scaledBesselI1 } from './bessel.js';
import { GAUSS6_NODES, GAUSS6_WEIGHTS, GAUSS10_NODES, GAUSS10_WEIGHTS, LAGUERRE10_NODES, LAGUERRE10_WEIGHTS } from './tables.js';

/**
 * Drop of the exponent, from its largest value on the interval, beyond which F is neglected: e^-30
 * (9e-14). Tuned with STEP and GROWTH against the 40-digit references (test/thomas.test.ts): largest
 * error 9.5e-14 of the peak (8e-14 with the former 45, 2.6, 0.05), 39 density evaluations per time
 * on the BTEX benchmark instead of 74; at STEP 6 the error rises to 5e-13, at GROWTH 0.15 to 3e-12.
 * (With the skip of negligible times, the Gauss–Laguerre rule and 6-point short panels: 5.5e-14, 5.4 evaluations.)
 */
export const THOMAS_REACH = 30;
/** Gauss–Legendre 10-point panels: e^{-lambda h} across a panel with lambda h <= this at the top... */
const STEP = 5;
/** ...and allowed to grow as e^{drop/10} further out, where a panel's error weighs e^{-drop} less. */
const GROWTH = 0.1;

let evaluations = 0;

/** 10-point Gauss–Legendre of 2 sqrt(B) e^{-(u - sqrt B)^2 + shift} I1e(2 sqrt(B) u) over [a, b]. */
function panel(a: number, b: number, sqrtB: number, shift: number): number {
  const half = 0.5 * (b - a);
  const mid = 0.5 * (a + b);
  const twoSqrtB = 2 * sqrtB;
  const da = Math.abs(a - sqrtB);
  const db = Math.abs(b - sqrtB);
  // short panels (running-sum increments): 6 points where (2 max|u - sqrt B| + 5) h <= 1, the
  // error of the 6-point rule being 2e-16 (lambda h)^12 for e^{lambda u} and the Gaussian's own
  // curvature inside the margin 5; only where I1e is smooth on the panel (2 sqrt(B) a >= 32)
  const short = (2 * (da > db ? da : db) + 5) * (b - a) <= 1 && twoSqrtB * a >= 32;
  const n = short ? 6 : 10;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const u = mid + half * (short ? GAUSS6_NODES[i] : GAUSS10_NODES[i]);
    const d = u - sqrtB;
    const e = shift - d * d;
    s += (short ? GAUSS6_WEIGHTS[i] : GAUSS10_WEIGHTS[i]) * (twoSqrtB * Math.exp(e < 0 ? e : 0) * scaledBesselI1(twoSqrtB * u));
  }
  evaluations += n;
  return half * s;
}

/**
 * Width of the next panel at u, away from sqrt B: the exponent's slope there is 2|u - sqrt B|,
 * and its drop from the top `drop`; at most 1 (the width laplace.ts uses on the whole bump).
 */
function width(u: number, sqrtB: number, drop: number): number {
  const slope = 2 * Math.abs(u - sqrtB);
  const h = STEP * Math.exp(GROWTH * drop) / slope;
  return h < 1 ? h : 1;
}

/**
 * Slope 2|p - sqrt B| of the exponent at an end p of the interval from which the integral beyond p
 * is one 10-point Gauss–Laguerre rule: in x = slope (u - p) the integrand is e^-x times
 * e^{-(x/slope)^2} I1e(2 sqrt(B) u), whose 20th derivative is below 1e-10 of it from slope 12 on
 * (error of the rule: (10!)^2/20! = 5e-6 times that derivative). The downward rule needs
 * slope p >= 60 (its last node, x = 29.9, at u >= p/2, far from the bend of I1e near 0).
 */
const LAGUERRE_SLOPE = 12;
const LAGUERRE_REACH = 60;

/**
 * e^shift times the integral of F_B beyond p (upwards for dir = 1, downwards for -1), p on the far
 * side of sqrt B: 10-point Gauss–Laguerre in x = 2|p - sqrt B| (u - p) dir.
 */
function laguerreTail(sqrtB: number, p: number, dir: number, shift: number): number {
  const d = p - sqrtB;
  const slope = 2 * Math.abs(d);
  const twoSqrtB = 2 * sqrtB;
  const base = shift - d * d;
  let s = 0;
  for (let i = 0; i < 10; i++) {
    const y = LAGUERRE10_NODES[i] / slope;
    const e = base - y * y;
    s += LAGUERRE10_WEIGHTS[i] * (twoSqrtB * Math.exp(e < 0 ? e : 0) * scaledBesselI1(twoSqrtB * (p + dir * y)));
  }
  evaluations += 10;
  return s / slope;
}

/**
 * The integral of F_B over [a, b] by Gauss–Laguerre when its top is an end p where the exponent's
 * slope is at least LAGUERRE_SLOPE: the tail beyond p, less the tail beyond the other end q unless
 * the exponent has fallen by THOMAS_REACH at q. Times e^shift; -1 where the rule does not apply
 * (slope too small, downward nodes near 0, or q so close that the difference would cancel: there
 * the marching panels need one or two panels anyway).
 */
function laguerreIntegral(sqrtB: number, a: number, b: number, shift: number): number {
  const up = a > sqrtB;
  const p = up ? a : b;
  const q = up ? b : a;
  const d = p - sqrtB;
  if (!(2 * Math.abs(d) >= LAGUERRE_SLOPE)) return -1;
  if (!up && !(2 * Math.abs(d) * p >= LAGUERRE_REACH)) return -1;
  const dq = q - sqrtB;
  const drop = q === Infinity ? Infinity : dq * dq - shift;
  if (drop > THOMAS_REACH) return laguerreTail(sqrtB, p, up ? 1 : -1, shift);
  if (!(drop >= STEP)) return -1;
  if (!up && !(2 * Math.abs(dq) * q >= LAGUERRE_REACH)) return -1;
  return laguerreTail(sqrtB, p, up ? 1 : -1, shift) - laguerreTail(sqrtB, q, up ? 1 : -1, shift);
}

/**
 * log of the integral of F_B over [a, b] in u (0 <= a < b, b may be Infinity), to about 1e-14
 * relative; -Infinity when the interval is empty. With the top at an end where the exponent is
 * steep, by Gauss–Laguerre (laguerreIntegral); otherwise panels march out from the top of the
 * integrand on the interval until its exponent has dropped by THOMAS_REACH.
 */
export function logDensityIntegral(sqrtB: number, a: number, b: number): number {
  if (!(b > a)) return -Infinity;
  const top = a > sqrtB ? a : b < sqrtB ? b : sqrtB;
  const gap = top - sqrtB;
  const shift = gap * gap;
  if (top !== sqrtB) {
    const l = laguerreIntegral(sqrtB, a, b, shift);
    if (l > 0) return Math.log(l) - shift;
  }
  let s = 0;
  // upwards from top to b
  let u = top;
  while (u < b) {
    const d = u - sqrtB;
    const drop = d * d - shift;
    if (drop > THOMAS_REACH) break;
    const h = width(u, sqrtB, drop);
    const next = u + h < b ? u + h : b;
    s += panel(u, next, sqrtB, shift);
    u = next;
  }
  // downwards from top to a
  u = top;
  while (u > a) {
    const d = u - sqrtB;
    const drop = d * d - shift;
    if (drop > THOMAS_REACH) break;
    const h = width(u, sqrtB, drop);
    const next = u - h > a ? u - h : a;
    s += panel(next, u, sqrtB, shift);
    u = next;
  }
  return Math.log(s) - shift;
}

/**
 * An upper bound of log of the integral of F_B over [a, b] (a < b finite): the width times the
 * largest value, with I1e <= 1. Running sums skip increments this bound puts below e^-30 of them.
 */
function logDensityBound(sqrtB: number, a: number, b: number): number {
  const top = a > sqrtB ? a : b < sqrtB ? b : sqrtB;
  const gap = top - sqrtB;
  return Math.log((b - a) * 2 * sqrtB) - gap * gap;
}

/**
 * Times whose concentration is proven below e^-40 (4e-18) of c0 are written as 0 without
 * evaluating A, B or C. The bound (MODEL.md §13.4): A + B + C = Phi >= min(1, e^{kappa t1}), and
 * C is at most e^{kappa tau - (n - n')} times (the atom e^{-n'} during the pulse plus) the width of
 * its interval in u' times the largest value of F_{n'} there, with I1e(x) <= min(1, 1/sqrt(2 pi x)).
 */
export const THOMAS_NEGLIGIBLE = 40;

/**
 * An upper bound of log of the integral of F_B over [a, b] (0 <= a < b finite), tighter than
 * logDensityBound by the asymptotic bound of I1e at the lower end: I1e(x) < 1/sqrt(2 pi x), as
 * I_1 <= I_{1/2} and I_{1/2}(x) = sqrt(2/(pi x)) sinh x.
 */
function logDensityCeiling(sqrtB: number, a: number, b: number): number {
  const top = a > sqrtB ? a : b < sqrtB ? b : sqrtB;
  const gap = top - sqrtB;
  const x = 2 * Math.PI * 2 * sqrtB * a;
  return Math.log((b - a) * 2 * sqrtB) - gap * gap - (x > 1 ? 0.5 * Math.log(x) : 0);
}

/**
 * True when c/c0 at tau (s0 = tau - min(tau, t1)) is proven below e^-THOMAS_NEGLIGIBLE: the bound
 * of C over a lower bound `logFloor` of log(A + B + C), min(0, kappa t1) or, once A and B are
 * known, the larger of that and log(A + B).
 */
function negligible(
  tau: number, s0: number, sqrtNPrime: number, nPrime: number, kdPrime: number, shiftC: number, kappa: number,
  logFloor: number,
): boolean {
  let logC = logDensityCeiling(sqrtNPrime, Math.sqrt(kdPrime * s0), Math.sqrt(kdPrime * tau));
  if (!(s0 > 0)) logC = logAdd(-nPrime, logC);
  return kappa * tau + shiftC + logC - logFloor < -THOMAS_NEGLIGIBLE;
}

/** log(e^x + e^y). */
function logAdd(x: number, y: number): number {
  if (x === -Infinity) return y;
  if (y === -Infinity) return x;
  return x > y ? x + Math.log1p(Math.exp(y - x)) : y + Math.log1p(Math.exp(x - y));
}

/**
 * log C of (13.6): e^{kappa tau - (n - n')} [J(n', kd' tau) - J(n', kd' s0)], the atom e^{-n'}
 * included while the pulse lasts (s0 = 0).
 */
function logTermC(tau: number, s0: number, sqrtNPrime: number, nPrime: number, kdPrime: number, shiftC: number,
  kappa: number): number {
  return kappa * tau + shiftC + (s0 > 0
    ? logDensityIntegral(sqrtNPrime, Math.sqrt(kdPrime * s0), Math.sqrt(kdPrime * tau))
    : logAdd(-nPrime, logDensityIntegral(sqrtNPrime, 0, Math.sqrt(kdPrime * tau))));
}

/** c/c0 = C/(A + B + C) from the logarithms of the three terms (13.6). */
function ratio(logA: number, logB: number, logC: number): number {
  const top = logA > logB ? (logA > logC ? logA : logC) : logB > logC ? logB : logC;
  const a = Math.exp(logA - top);
  const b = Math.exp(logB - top);
  const c = Math.exp(logC - top);
  return c / (a + b + c);
}

/**
 * c(t_j) (mol/m3) of the Thomas solution at one position for times (s): hold-up tM (s),
 * retention n = alpha ka tM (ka the linear slope ka_L qmax, 1/s), kd (1/s), kappa = ka_L c0 (1/s;
 * negative for the anti-Langmuir form, then kappa > -kd), pulse t1 (s), scale c0 (mol/m3).
 * Writes out[0..n); returns density evaluations. Times where c/c0 is proven below e^-40 are
 * written as 0 without evaluation (THOMAS_NEGLIGIBLE); ascending times take the running sums of
 * sortedConcentration (about 50 evaluations per time where the peak is, instead of about 200).
 */
export function thomasConcentration(
  times: Float64Array, holdup: number, retention: number, kd: number, kappa: number, pulse: number, scale: number,
  out: Float64Array,
): number {
  evaluations = 0;
  let ascending = true;
  for (let j = 1; j < times.length; j++) if (!(times[j] >= times[j - 1])) ascending = false;
  if (ascending) {
    sortedConcentration(times, holdup, retention, kd, kappa, pulse, scale, out);
    return evaluations;
  }
  const sqrtN = Math.sqrt(retention);
  const kdPrime = kd + kappa;
  const nPrime = retention * (kd / kdPrime);
  const sqrtNPrime = Math.sqrt(nPrime);
  const shiftC = nPrime - retention;
  const floor = kappa < 0 ? kappa * pulse : 0; // log of min(1, e^{kappa t1}) <= log(A + B + C)
  for (let j = 0; j < times.length; j++) {
    const tau = times[j] - holdup;
    if (!(tau > 0)) {
      out[j] = 0;
      continue;
    }
    const ts = tau < pulse ? tau : pulse;
    const s0 = tau - ts;
    if (negligible(tau, s0, sqrtNPrime, nPrime, kdPrime, shiftC, kappa, floor)) {
      out[j] = 0;
      continue;
    }
    // (13.6) A: the upper tail 1 - J(n, kd tau)
    const logA = logDensityIntegral(sqrtN, Math.sqrt(kd * tau), Infinity);
    // B: e^{kappa t1} J(n, kd s0), J = e^{-n} (never adsorbed) + the density up to s0
    const logB = s0 > 0 ? kappa * pulse + logAdd(-retention, logDensityIntegral(sqrtN, 0, Math.sqrt(kd * s0))) : -Infinity;
    const known = logAdd(logA, logB);
    if (negligible(tau, s0, sqrtNPrime, nPrime, kdPrime, shiftC, kappa, known > floor ? known : floor)) {
      out[j] = 0;
      continue;
    }
    const logC = logTermC(tau, s0, sqrtNPrime, nPrime, kdPrime, shiftC, kappa);
    out[j] = scale * ratio(logA, logB, logC);
  }
  return evaluations;
}

/**
 * Ascending times: A and B as running sums along the grid instead of one tail integral per time
 * (each step adds the integral between neighbouring times, a positive term accurate to rounding
 * relative to itself, so the sums keep their relative accuracy however small). A is summed from
 * the last time down, into out (as its logarithm) before the second pass reads it.
 */
function sortedConcentration(
  times: Float64Array, holdup: number, retention: number, kd: number, kappa: number, pulse: number, scale: number,
  out: Float64Array,
): void {
  const n = times.length;
  const sqrtN = Math.sqrt(retention);
  const kdPrime = kd + kappa;
  const nPrime = retention * (kd / kdPrime);
  const sqrtNPrime = Math.sqrt(nPrime);
  const shiftC = nPrime - retention;
  const floor = kappa < 0 ? kappa * pulse : 0; // log of min(1, e^{kappa t1}) <= log(A + B + C)
  // pass 1: log A_j = log of the density above u_j = sqrt(kd tau_j), from the last time down
  let logA = -Infinity;
  let above = Infinity;
  for (let j = n - 1; j >= 0; j--) {
    const tau = times[j] - holdup;
    if (!(tau > 0)) {
      out[j] = -Infinity;
      continue;
    }
    const ts = tau < pulse ? tau : pulse;
    if (negligible(tau, tau - ts, sqrtNPrime, nPrime, kdPrime, shiftC, kappa, floor)) {
      out[j] = Infinity; // marks the time for pass 2; A is never above 1
      continue;
    }
    const u = Math.sqrt(kd * tau);
    if (!(above < Infinity && logDensityBound(sqrtN, u, above) < logA - THOMAS_REACH)) {
      logA = logAdd(logA, logDensityIntegral(sqrtN, u, above));
    }
    above = u;
    out[j] = logA;
  }
  // pass 2: log of J(n, kd s0) summed upwards from the atom e^{-n} at s0 = 0
  let logLower = -retention;
  let below = 0;
  for (let j = 0; j < n; j++) {
    const tau = times[j] - holdup;
    if (!(tau > 0)) {
      out[j] = 0;
      continue;
    }
    const logAj = out[j];
    if (logAj === Infinity) {
      out[j] = 0;
      continue;
    }
    const ts = tau < pulse ? tau : pulse;
    const s0 = tau - ts;
    let logB = -Infinity;
    if (s0 > 0) {
      const u = Math.sqrt(kd * s0);
      if (!(logDensityBound(sqrtN, below, u) < logLower - THOMAS_REACH)) {
        logLower = logAdd(logLower, logDensityIntegral(sqrtN, below, u));
      }
      below = u;
      logB = kappa * pulse + logLower;
    }
    // with A and B known, A + B is a closer floor of A + B + C (the rear, where B ~ e^{kappa t1})
    const known = logAdd(logAj, logB);
    if (negligible(tau, s0, sqrtNPrime, nPrime, kdPrime, shiftC, kappa, known > floor ? known : floor)) {
      out[j] = 0;
      continue;
    }
    const logC = logTermC(tau, s0, sqrtNPrime, nPrime, kdPrime, shiftC, kappa);
    out[j] = scale * ratio(logAj, logB, logC);
  }
}
