// Time stepping of the full column model with diffusion (MODEL.md §1, §3), allocation-free.
//
// Both kernels advance one analyte on a uniform grid by a schedule of steps. The transport
// operator is a banded matrix built by the host (src/solvers/fd.ts; rows j-2..j+1 for the finite-volume
// scheme, tridiagonal for the paper's), so the kernels only loop:
//   dc/dt = (L c)_j + S_j - alpha (ka c_j - kd q_j),   dq/dt = ka c_j - kd q_j     (9), (2)
// with L the advection-diffusion operator (1/s) and S the inlet source (mol/m3/s, cell 0 only).

import { at, put, isNegligible } from './memory';

/** TR-BDF2 stage parameter gamma = 2 - sqrt 2: both stages then share the matrix I - beta dt J. */
const BETA: f64 = 1.0 - 0.7071067811865476; // gamma/2 = (1-gamma)/(2-gamma) = 1 - 1/sqrt 2
/** BDF2 stage weights: y_{n+1} - beta dt f(y_{n+1}) = W1 y* - W0 y_n. */
const W1: f64 = 1.2071067811865475; // (1 + sqrt 2)/2 = 1/(gamma (2 - gamma))
const W0: f64 = 0.20710678118654752; // (sqrt 2 - 1)/2 = (1 - gamma)^2/(gamma (2 - gamma))

/**
 * Back substitution x_j = y_j / m_j - (u_j / m_j) x_{j+1} over [first, last] (byte offsets),
 * fused with the film update q_j = (q_j + qc x_j) invq. Two rows per iteration, so that the
 * dependency chain is one multiply-add per two rows:
 *   x_{j-1} = (a_{j-1} - b_{j-1} a_j) + (b_{j-1} b_j) x_{j+1},   a = y/m, b = u/m.
 * Returns x at `first`.
 */
// @ts-ignore: decorator
@inline
function backSubstitute(x: usize, q: usize, invm: usize, cp: usize, first: usize, last: usize, qc: f64, invq: f64): f64 {
  let next = 0.0;
  let o = last + 8;
  if ((((last - first) >> 3) & 1) == 0) {
    o -= 8;
    next = load<f64>(x + o) * load<f64>(invm + o);
    store<f64>(x + o, next);
    store<f64>(q + o, (load<f64>(q + o) + qc * next) * invq);
  }
  while (o > first) {
    const oj = o - 8;
    const oi = o - 16;
    const aj = load<f64>(x + oj) * load<f64>(invm + oj);
    const bj = load<f64>(cp + oj);
    const ai = load<f64>(x + oi) * load<f64>(invm + oi);
    const bi = load<f64>(cp + oi);
    const xj = aj - bj * next;
    const xi = (ai - bi * aj) + (bi * bj) * next;
    store<f64>(x + oj, xj);
    store<f64>(q + oj, (load<f64>(q + oj) + qc * xj) * invq);
    store<f64>(x + oi, xi);
    store<f64>(q + oi, (load<f64>(q + oi) + qc * xi) * invq);
    next = xi;
    o = oi;
  }
  return next;
}

/**
 * Default scheme: finite volumes in space (operator L from the host: rows with entries at
 * j-2, j-1, j, j+1, from upwind-biased advective faces), TR-BDF2 in time (second order,
 * L-stable), the kinetics implicit and eliminated per cell so that each stage is one banded
 * solve in c (lower bandwidth 2, upper 1; Gaussian elimination without pivoting: the pivots carry
 * the identity and the film uptake, and a non-finite result is reported as a failed step, never
 * returned as numbers). Only the active window
 * [lo, hi) of cells is computed: cells outside it hold zero. Before every step the window is
 * widened by `margin` cells when any of its last `margin` cells is not negligible, and narrowed
 * from the left a whole margin at a time past negligible cells once the inlet source is off
 * (those cells are zeroed), so the LU factors are redone only then.
 *
 * n cells; lower2/lower/diag/upper: the n rows of L (1/s); alpha, ka (1/s), kd (1/s): phase
 * ratio and rate constants; c, q: state (mol/m3), updated in place; work: 6n f64 of scratch, also
 * the cached LU factors of the step matrix, valid while dt and lo stay the same; steps: number of
 * steps; dts, sources: per step, its length (s) and the inlet source in cell 0 (mol/m3/s,
 * constant within the step); outlet: 2 per step, c at x = L after its first stage and after the
 * step, from the zero-gradient reconstruction c_{n-1} + theta (c_{n-1} - c_{n-2}) (0 while the
 * window has not reached the outlet). With the TR-BDF2 weights (w, w, d) = (sqrt2/4, sqrt2/4,
 * 1 - 1/sqrt2) they give the eluted amount exactly as the scheme moves it; window: 6 f64 in and
 * out, [lo, hi, factoredLo, factoredHi, factoredDt, cellUpdates, factoredRows] (factoredHi <=
 * factoredLo: no valid factors; cellUpdates accumulates the window size of every step,
 * factoredRows the rows whose LU factors were computed);
 * negligible (mol/m3); margin (cells, 2 to n: the host checks it, so that hi + margin stays in i32).
 * Returns the number of steps done, or -1 - k if step k produced a non-finite value.
 */
export function fdImplicitAdvance(
  n: i32, lower2: usize, lower: usize, diag: usize, upper: usize, alpha: f64, ka: f64, kd: f64,
  c: usize, q: usize, work: usize, steps: i32, dts: usize, sources: usize,
  outlet: usize, theta: f64, window: usize, negligible: f64, margin: i32,
): i32 {
  const cs = work;
  const qs = work + (<usize>n << 3);
  const g2 = work + (<usize>(2 * n) << 3); // elimination factor of the j-2 entry
  const g1 = work + (<usize>(3 * n) << 3); // elimination factor of the j-1 entry
  const invm = work + (<usize>(4 * n) << 3); // 1 / pivot
  const cp = work + (<usize>(5 * n) << 3); // upper entry of the row / pivot
  let lo = <i32>at(window, 0);
  let hi = <i32>at(window, 1);
  let fLo = <i32>at(window, 2);
  let fHi = <i32>at(window, 3);
  let fDt = at(window, 4);
  let next = 0.0;
  for (let k = 0; k < steps; k++) {
    const dt = at(dts, k);
    const source = at(sources, k);
    // Window: widen ahead of the band, drop the negligible tail behind it.
    let grow = false;
    for (let j = max(lo, hi - margin); j < hi; j++) {
      if (!isNegligible(c, q, j, alpha, negligible)) { grow = true; break; }
    }
    if (grow || hi - lo < 2) hi = hi + margin < n ? hi + margin : n;
    while (source == 0.0 && hi - lo > 2 * margin) {
      let empty = true;
      for (let j = lo; j < lo + margin; j++) {
        if (!isNegligible(c, q, j, alpha, negligible)) { empty = false; break; }
      }
      if (!empty) break;
      for (let j = lo; j < lo + margin; j++) {
        put(c, j, 0.0);
        put(q, j, 0.0);
      }
      lo += margin;
    }
    const bdt = BETA * dt;
    const invq = 1.0 / (1.0 + bdt * kd);
    const exchange = bdt * alpha * ka * invq; // film uptake folded into the diagonal
    const release = bdt * alpha * kd * invq; // film release folded into the right-hand side
    const qc = bdt * ka; // q-row coupling to c
    // LU factors of M = (1 + exchange) I - bdt L on [lo, hi): reuse the rows still valid.
    if (dt != fDt || lo != fLo || fHi <= lo) {
      fLo = lo;
      fHi = lo;
      fDt = dt;
    }
    for (let j = fHi; j < hi; j++) {
      const u1 = -bdt * at(upper, j);
      let a1 = j > lo ? -bdt * at(lower, j) : 0.0;
      let d = 1.0 + exchange - bdt * at(diag, j);
      let f2 = 0.0;
      if (j > lo + 1) {
        f2 = -bdt * at(lower2, j) * at(invm, j - 2);
        a1 -= f2 * (-bdt * at(upper, j - 2)); // the upper entries are never changed by elimination
      }
      let f1 = 0.0;
      if (j > lo) {
        f1 = a1 * at(invm, j - 1);
        d -= f1 * (-bdt * at(upper, j - 1));
      }
      const im = 1.0 / d;
      put(g2, j, f2);
      put(g1, j, f1);
      put(invm, j, im);
      put(cp, j, u1 * im);
    }
    if (hi > fHi) {
      put(window, 6, at(window, 6) + <f64>(hi - fHi));
      fHi = hi;
    }
    put(window, 5, at(window, 5) + <f64>(hi - lo));

    // Stage 1, trapezoid to t + gamma dt: right-hand side, fused with the forward sweep. The
    // neighbours c_{j-2}, c_{j-1}, c_{j+1} ride in registers (zero outside the window), and the
    // inlet source is added at cell 0 only; adding zeros elsewhere keeps the loop branch-free
    // and the result identical to the twin's.
    let y1 = 0.0; // forward-swept right-hand side of row j-1
    let y2 = 0.0; // and of row j-2
    let cm2 = 0.0;
    let cm1 = 0.0;
    let cj = at(c, lo);
    let inflow = lo == 0 ? 2.0 * bdt * source : 0.0;
    const last = <usize>(hi - 1) << 3;
    for (let o = <usize>lo << 3; o <= last; o += 8) {
      const cp1 = o < last ? load<f64>(c + o + 8) : 0.0;
      const qj = load<f64>(q + o);
      const rate = ka * cj - kd * qj;
      const rq = qj + bdt * rate;
      let flux = load<f64>(diag + o) * cj;
      flux += load<f64>(lower + o) * cm1;
      flux += load<f64>(lower2 + o) * cm2;
      flux += load<f64>(upper + o) * cp1;
      let rc = cj + bdt * (flux - alpha * rate) + release * rq;
      rc += inflow;
      inflow = 0.0;
      const y = rc - load<f64>(g2 + o) * y2 - load<f64>(g1 + o) * y1;
      store<f64>(cs + o, y);
      store<f64>(qs + o, rq);
      y2 = y1;
      y1 = y;
      cm2 = cm1;
      cm1 = cj;
      cj = cp1;
    }
    // Back substitution, fused with the film update q* = (rq + bdt ka c*) / (1 + bdt kd).
    const first = <usize>lo << 3;
    next = backSubstitute(cs, qs, invm, cp, first, last, qc, invq);
    const stageLast = at(cs, n - 1);
    put(outlet, 2 * k, hi == n ? stageLast + theta * (stageLast - at(cs, n - 2)) : 0.0);
    // Stage 2, BDF2 through t_n, t_n + gamma dt, t_{n+1}.
    y1 = 0.0;
    y2 = 0.0;
    inflow = lo == 0 ? bdt * source : 0.0;
    for (let o = first; o <= last; o += 8) {
      const rq = W1 * load<f64>(qs + o) - W0 * load<f64>(q + o);
      let rc = W1 * load<f64>(cs + o) - W0 * load<f64>(c + o) + release * rq;
      rc += inflow;
      inflow = 0.0;
      const y = rc - load<f64>(g2 + o) * y2 - load<f64>(g1 + o) * y1;
      store<f64>(c + o, y);
      store<f64>(q + o, rq);
      y2 = y1;
      y1 = y;
    }
    next = backSubstitute(c, q, invm, cp, first, last, qc, invq);
    const cLast = at(c, n - 1);
    const outletValue = hi == n ? cLast + theta * (cLast - at(c, n - 2)) : 0.0;
    put(outlet, 2 * k + 1, outletValue);
    if (!isFinite(outletValue) || !isFinite(next)) {
      put(window, 0, <f64>lo); put(window, 1, <f64>hi);
      put(window, 2, <f64>fLo); put(window, 3, <f64>fHi); put(window, 4, fDt);
      return -1 - k;
    }
  }
  put(window, 0, <f64>lo);
  put(window, 1, <f64>hi);
  put(window, 2, <f64>fLo);
  put(window, 3, <f64>fHi);
  put(window, 4, fDt);
  return steps;
}

/**
 * The paper's explicit scheme (57)-(63) on n + 1 nodes x_j = j dx: forward Euler, central
 * differences, kinetics (59) explicit, inlet (53) and outlet (54) conditions. Stable only for
 * steps below the bound the host checks (src/solvers/fd.ts). Operator rows j = 1..n-1 of
 * dc/dt = lower c_{j-1} + diag c_j + upper c_{j+1} - alpha R_j as built by the host.
 *
 * (53) in dimensional form: c_0 = inletWeight flux + inletCoupling (4 c_1 - c_2), with
 * inletWeight = 2 dx / (2 dx u0 + 3 D0) (s/m) and inletCoupling = D0 / (2 dx u0 + 3 D0).
 * scratch: n + 1 f64. sources: per step, the inlet flux u0 c0 (H(t) - H(t - t1)) (mol/m2/s).
 * Returns steps done, or -1 - k if step k produced a non-finite value.
 */
export function fdExplicitAdvance(
  n: i32, lower: usize, diag: usize, upper: usize, alpha: f64, ka: f64, kd: f64,
  c: usize, q: usize, scratch: usize, steps: i32, dts: usize, sources: usize, outlet: usize,
  inletWeight: f64, inletCoupling: f64,
): i32 {
  for (let k = 0; k < steps; k++) {
    const dt = at(dts, k);
    // (59)-(61) from the old values, into scratch (new c) and q (in place).
    for (let j = 1; j < n; j++) {
      const cj = at(c, j);
      const rate = ka * cj - kd * at(q, j);
      const change = at(lower, j) * at(c, j - 1) + at(diag, j) * cj + at(upper, j) * at(c, j + 1) - alpha * rate;
      put(scratch, j, cj + dt * change);
      put(q, j, at(q, j) + dt * rate);
    }
    // The boundary nodes exchange with the film too (59).
    put(q, 0, at(q, 0) + dt * (ka * at(c, 0) - kd * at(q, 0)));
    put(q, n, at(q, n) + dt * (ka * at(c, n) - kd * at(q, n)));
    for (let j = 1; j < n; j++) put(c, j, at(scratch, j));
    // (53) second-order inlet flux condition, (54) zero-gradient outlet.
    put(c, 0, inletWeight * at(sources, k) + inletCoupling * (4.0 * at(c, 1) - at(c, 2)));
    const cn = (4.0 * at(c, n - 1) - at(c, n - 2)) / 3.0;
    put(c, n, cn);
    put(outlet, k, cn);
    if (!isFinite(cn)) return -1 - k;
  }
  return steps;
}
