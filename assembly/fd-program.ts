// Time stepping of the column model under a temperature / pressure / flow program (MODEL.md §10),
// allocation-free. The scheme of fdImplicitAdvance (assembly/fd.ts: finite volumes with
// upwind-biased faces, TR-BDF2, film kinetics eliminated per cell, active window) with
// coefficients that change from step to step: each step carries the carrier and retention state
// at its midpoint, and the kernel builds the operator rows of the window from it, so that the
// host never touches O(cells) data per step.

import { at, put, isNegligible } from './memory';

const BETA: f64 = 1.0 - 0.7071067811865476; // gamma/2 for gamma = 2 - sqrt 2
const W1: f64 = 1.2071067811865475;
const W0: f64 = 0.20710678118654752;
/** f64 per step in `coefficients`. */
const COEFFICIENTS: i32 = 10;

/** x_j = y_j / m_j - (u_j / m_j) x_{j+1} over [lo, hi), fused with q_j = (q_j + qc_j x_j) invq_j. */
// @ts-ignore: decorator
@inline
function backSubstitute(x: usize, q: usize, invm: usize, cp: usize, lo: i32, hi: i32, qc: usize, invq: usize): f64 {
  let next = 0.0;
  for (let j = hi - 1; j >= lo; j--) {
    next = at(x, j) * at(invm, j) - at(cp, j) * next;
    put(x, j, next);
    put(q, j, (at(q, j) + at(qc, j) * next) * at(invq, j));
  }
  return next;
}

/**
 * n cells of width h (m) over a column of `length` (m); alpha: phase ratio; c, q: state
 * (mol/m3, updated in place); work: 12 n f64 of scratch; steps: number of steps;
 * coefficients: 10 f64 per step, the state at the step's midpoint:
 *   dt (s), source (inlet source in cell 0, mol/m3/s), p0sq (p0^2, Pa^2), drop (p0^2 - pL^2, Pa^2;
 *   p(x)^2 = p0sq - drop x/length, 0 for a uniform pressure), un (u = un/p, m/s Pa),
 *   dd (D = dd/p, m2/s Pa), K (ka = K kd), kd0 (1/s), kd1 (Pa/s; kd = kd0 + kd1/p at the cell
 *   centre), theta (outlet reconstruction weight, see outletWeight in src/solvers/fd.ts);
 * outlet: 2 per step, c at x = L after the first stage and after the step (0 while the window has
 * not reached the outlet); window: 7 f64 in and out, [lo, hi, -, -, -, cellUpdates, factoredRows];
 * negligible (mol/m3); margin (cells, >= 2).
 * Returns the number of steps done, or -1 - k if step k produced a non-finite value.
 */
export function fdProgramAdvance(
  n: i32, h: f64, length: f64, alpha: f64, c: usize, q: usize, work: usize, steps: i32,
  coefficients: usize, outlet: usize, window: usize, negligible: f64, margin: i32,
): i32 {
  const stride = <usize>n << 3;
  const cs = work;
  const qs = work + stride;
  const g2 = work + 2 * stride;
  const g1 = work + 3 * stride;
  const invm = work + 4 * stride;
  const cp = work + 5 * stride;
  const lower2 = work + 6 * stride;
  const lower = work + 7 * stride;
  const diag = work + 8 * stride;
  const upper = work + 9 * stride;
  const kdv = work + 10 * stride;
  const invqv = work + 11 * stride;
  let lo = <i32>at(window, 0);
  let hi = <i32>at(window, 1);
  const invh = 1.0 / h;
  const invh2 = invh * invh;
  let next = 0.0;
  for (let k = 0; k < steps; k++) {
    const o = k * COEFFICIENTS;
    const dt = at(coefficients, o);
    const source = at(coefficients, o + 1);
    const p0sq = at(coefficients, o + 2);
    const drop = at(coefficients, o + 3) / length;
    const un = at(coefficients, o + 4);
    const dd = at(coefficients, o + 5);
    const K = at(coefficients, o + 6);
    const kd0 = at(coefficients, o + 7);
    const kd1 = at(coefficients, o + 8);
    const theta = at(coefficients, o + 9);
    let grow = false;
    for (let j = hi - margin; j < hi; j++) {
      if (j >= lo && !isNegligible(c, q, j, alpha, negligible)) { grow = true; break; }
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
    // Operator rows from the face fluxes with u = un/p, D = dd/p at the faces.
    let la = 0.0;
    let lb = 0.0;
    let le = 0.0;
    if (lo > 0) {
      const p = Math.sqrt(p0sq - drop * (<f64>lo * h));
      const u = un / p;
      const g = (dd / p) * invh2;
      if (lo == 1) { la = 0.0; lb = u * 0.5 * invh + g; le = u * 0.5 * invh - g; } else { la = -u * 0.5 * invh; lb = 1.5 * u * invh + g; le = -g; }
    }
    const uL = un / Math.sqrt(p0sq - drop * length);
    for (let j = lo; j < hi; j++) {
      let ra = 0.0;
      let rb = 0.0;
      let re = 0.0;
      if (j == n - 1) {
        ra = -theta * uL * invh;
        rb = (1.0 + theta) * uL * invh;
      } else {
        const p = Math.sqrt(p0sq - drop * (<f64>(j + 1) * h));
        const u = un / p;
        const g = (dd / p) * invh2;
        if (j == 0) { rb = u * 0.5 * invh + g; re = u * 0.5 * invh - g; } else { ra = -u * 0.5 * invh; rb = 1.5 * u * invh + g; re = -g; }
      }
      put(lower2, j, la);
      put(lower, j, lb - ra);
      put(diag, j, le - rb);
      put(upper, j, -re);
      la = ra;
      lb = rb;
      le = re;
      const kd = kd1 == 0.0 ? kd0 : kd0 + kd1 / Math.sqrt(p0sq - drop * ((<f64>j + 0.5) * h));
      put(kdv, j, kd);
      put(invqv, j, 1.0 / (1.0 + bdt * kd));
    }
    for (let j = lo; j < hi; j++) {
      const kd = at(kdv, j);
      const exchange = bdt * alpha * K * kd * at(invqv, j);
      const u1 = -bdt * at(upper, j);
      let a1 = j > lo ? -bdt * at(lower, j) : 0.0;
      let d = 1.0 + exchange - bdt * at(diag, j);
      let f2 = 0.0;
      if (j > lo + 1) {
        f2 = -bdt * at(lower2, j) * at(invm, j - 2);
        a1 -= f2 * (-bdt * at(upper, j - 2));
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
    put(window, 6, at(window, 6) + <f64>(hi - lo));
    put(window, 5, at(window, 5) + <f64>(hi - lo));

    // Stage 1, trapezoid to t + gamma dt, fused with the forward sweep.
    let y1 = 0.0;
    let y2 = 0.0;
    let cm2 = 0.0;
    let cm1 = 0.0;
    let cj = at(c, lo);
    for (let j = lo; j < hi; j++) {
      const cp1 = j + 1 < hi ? at(c, j + 1) : 0.0;
      const qj = at(q, j);
      const kd = at(kdv, j);
      const ka = K * kd;
      const rate = ka * cj - kd * qj;
      const rq = qj + bdt * rate;
      let transport = at(diag, j) * cj;
      transport += at(lower, j) * cm1;
      transport += at(lower2, j) * cm2;
      transport += at(upper, j) * cp1;
      const release = bdt * alpha * kd * at(invqv, j);
      let rc = cj + bdt * (transport - alpha * rate) + release * rq;
      if (j == 0) rc += 2.0 * bdt * source;
      const y = rc - at(g2, j) * y2 - at(g1, j) * y1;
      put(cs, j, y);
      put(qs, j, rq);
      y2 = y1;
      y1 = y;
      cm2 = cm1;
      cm1 = cj;
      cj = cp1;
    }
    for (let j = lo; j < hi; j++) put(lower2, j, bdt * K * at(kdv, j));
    next = backSubstitute(cs, qs, invm, cp, lo, hi, lower2, invqv);
    const stageLast = at(cs, n - 1);
    put(outlet, 2 * k, hi == n ? stageLast + theta * (stageLast - at(cs, n - 2)) : 0.0);
    // Stage 2, BDF2.
    y1 = 0.0;
    y2 = 0.0;
    for (let j = lo; j < hi; j++) {
      const rq = W1 * at(qs, j) - W0 * at(q, j);
      const release = bdt * alpha * at(kdv, j) * at(invqv, j);
      let rc = W1 * at(cs, j) - W0 * at(c, j) + release * rq;
      if (j == 0) rc += bdt * source;
      const y = rc - at(g2, j) * y2 - at(g1, j) * y1;
      put(c, j, y);
      put(q, j, rq);
      y2 = y1;
      y1 = y;
    }
    next = backSubstitute(c, q, invm, cp, lo, hi, lower2, invqv);
    const cLast = at(c, n - 1);
    const outletValue = hi == n ? cLast + theta * (cLast - at(c, n - 2)) : 0.0;
    put(outlet, 2 * k + 1, outletValue);
    if (!isFinite(outletValue) || !isFinite(next)) {
      put(window, 0, <f64>lo);
      put(window, 1, <f64>hi);
      return -1 - k;
    }
  }
  put(window, 0, <f64>lo);
  put(window, 1, <f64>hi);
  return steps;
}
