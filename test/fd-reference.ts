/**
 * Exact reference solutions of the model WITH diffusion for the finite-difference tests, by
 * numerical inversion of the Laplace transform (fixed Talbot contour, Abate & Valkó 2004).
 *
 * Constant velocity u and diffusivity D, linear kinetics, so the transform in t of (9) + (2) is
 *   D c'' - u c' - g(s) c = 0,   g(s) = s (1 + alpha ka / (s + kd)),
 * with roots lambda± = (u ± sqrt(u^2 + 4 D g)) / (2D). On a finite column with the Danckwerts
 * inlet u c - D c' = u c0 F(s) at x = 0 and c'(L) = 0:
 *   c(x, s) = B [ e^{lambda- x} - (lambda-/lambda+) e^{lambda- L + lambda+ (x - L)} ],
 *   B = u c0 F / [ (u - D lambda-) - (lambda-/lambda+) e^{(lambda- - lambda+) L} (u - D lambda+) ],
 * written so that no exponential grows (Re lambda- < 0 < Re lambda+). A unit step F = 1/s is
 * inverted; a rectangular pulse of length t1 is S(t) - S(t - t1) (the shift would defeat
 * Talbot's contour, whose Re s -> -inf). Talbot with M nodes converges like 10^{-0.6 M} in exact
 * arithmetic; in double precision the nodes' e^{st} ~ e^{0.4 M} cost ~1e-16 e^{0.4 M}, so
 * M = 32 gives ~1e-10 relative, far below the 1e-4 the tests need. `talbot` is checked against
 * the closed-form Ogata–Banks values of MODEL.md §7.
 */

type C = [number, number];

const add = (a: C, b: C): C => [a[0] + b[0], a[1] + b[1]];
const sub = (a: C, b: C): C => [a[0] - b[0], a[1] - b[1]];
const mul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const scale = (a: C, k: number): C => [a[0] * k, a[1] * k];
function div(a: C, b: C): C {
  const d = b[0] * b[0] + b[1] * b[1];
  return [(a[0] * b[0] + a[1] * b[1]) / d, (a[1] * b[0] - a[0] * b[1]) / d];
}
function exp(a: C): C {
  const m = Math.exp(a[0]);
  return [m * Math.cos(a[1]), m * Math.sin(a[1])];
}
function sqrt(a: C): C {
  const r = Math.hypot(a[0], a[1]);
  const re = Math.sqrt((r + a[0]) / 2);
  const im = Math.sqrt(Math.max(0, (r - a[0]) / 2));
  return [re, a[1] < 0 ? -im : im];
}

/** Inverse Laplace transform of F at t > 0 by the fixed Talbot method with M nodes. */
export function talbot(F: (s: C) => C, t: number, M = 32): number {
  const r = (2 * M) / (5 * t);
  let sum = 0.5 * Math.exp(r * t) * F([r, 0])[0];
  for (let k = 1; k < M; k++) {
    const th = (k * Math.PI) / M;
    const cot = Math.cos(th) / Math.sin(th);
    const s: C = [r * th * cot, r * th];
    const sigma = th + (th * cot - 1) * cot;
    const term = mul(mul(exp(scale(s, t)), F(s)), [1, sigma]);
    sum += term[0];
  }
  return (r / M) * sum;
}

export interface ColumnModel {
  /** Velocity u (m/s), diffusivity D (m2/s), phase ratio alpha, ka, kd (1/s), length L (m). */
  u: number;
  D: number;
  alpha: number;
  ka: number;
  kd: number;
  L: number;
}

/** Transform of the unit-step response c(x, s)/c0 of the finite column (Danckwerts inlet). */
export function stepTransform(m: ColumnModel, x: number): (s: C) => C {
  return (s) => {
    const g = mul(s, add([1, 0], div([m.alpha * m.ka, 0], add(s, [m.kd, 0]))));
    const root = sqrt(add([m.u * m.u, 0], scale(g, 4 * m.D)));
    const lp = scale(add([m.u, 0], root), 1 / (2 * m.D));
    const lm = scale(sub([m.u, 0], root), 1 / (2 * m.D));
    const ratio = div(lm, lp);
    const far = mul(ratio, exp(scale(sub(lm, lp), m.L)));
    const denom = sub(sub([m.u, 0], scale(lm, m.D)), mul(far, sub([m.u, 0], scale(lp, m.D))));
    const B = div(div([m.u, 0], s), denom);
    const shape = sub(exp(scale(lm, x)), mul(ratio, exp(add(scale(lm, m.L), scale(lp, x - m.L)))));
    return mul(B, shape);
  };
}

/**
 * Inverse Laplace transform on the Bromwich line Re s = a by the trapezoid rule (Fourier series
 * of period 2T, Dubner & Abate 1968): f(t) + sum_{n>=1} e^{-2anT} f(t + 2nT) for 0 < t < 2T.
 * For a response that has died out long before 2T the alias terms vanish; the transforms here
 * decay like exp(-L sqrt(|s|/2D)), so K terms reach the rounding level quickly.
 */
export function fourierInvert(F: (s: C) => C, t: number, T: number, a: number, K: number): number {
  let sum = 0.5 * F([a, 0])[0];
  for (let k = 1; k <= K; k++) {
    const w = (k * Math.PI) / T;
    const v = mul(F([a, w]), [Math.cos(w * t), Math.sin(w * t)]);
    sum += v[0];
  }
  return (Math.exp(a * t) / T) * sum;
}

/**
 * c(x, t)/c0 for a rectangular inlet pulse of length t1, by `fourierInvert` of
 * S(s) (1 - e^{-s t1}). Talbot's contour cannot take the delay, and for long times it passes
 * within ~0.3 of the pole s = -kd and the branch points near -u^2/(4D), which costs it accuracy;
 * the Bromwich line keeps away from both. `horizon` (s): the response is negligible after it.
 */
export function pulseResponse(m: ColumnModel, x: number, t: number, t1: number, horizon: number): number {
  const F = stepTransform(m, x);
  const pulse = (s: C): C => mul(F(s), sub([1, 0], exp(scale(s, -t1))));
  const T = 2 * horizon;
  // K: |F| ~ exp(-x sqrt(w / 2D)) below 1e-17 (with a floor for the pulse factor's slow decay).
  const wMax = (2 * m.D * 40 * 40) / (x * x);
  const K = Math.max(200, Math.ceil((wMax * T) / Math.PI));
  return fourierInvert(pulse, t, T, 5 / T, K);
}

/** Transform of the Ogata–Banks step response (Dirichlet inlet, semi-infinite, equilibrium). */
export function ogataBanksTransform(u: number, D: number, retentionFactor: number, x: number): (s: C) => C {
  return (s) => {
    const g = scale(s, 1 + retentionFactor);
    const lm = scale(sub([u, 0], sqrt(add([u * u, 0], scale(g, 4 * D)))), 1 / (2 * D));
    return div(exp(scale(lm, x)), s);
  };
}
