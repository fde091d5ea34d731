// Time stepping of the column model on a window of cells that moves with the band (MODEL.md §10),
// allocation-free. In the frame xi = x - s(t), moving at w = ds/dt,
//   c_t + ((u - w) c)_xi = (D c_xi)_xi - alpha (ka c - kd q),   q_t - w q_xi = ka c - kd q,
// finite volumes with central faces for both phases, TR-BDF2 in time with the coefficients of the
// step frozen at its midpoint. Mobile and film phase are coupled in 2x2 blocks: block-tridiagonal
// LU once per step, shared by both stages. When w follows the band the band barely moves on the
// grid, so the step is set by how fast the band changes, not by how fast it moves.

import { at, put } from './memory';

const BETA: f64 = 1.0 - 0.7071067811865476;
const GAMMA: f64 = 2.0 - 1.4142135623730951;
const W1: f64 = 1.2071067811865475;
const W0: f64 = 0.20710678118654752;
const STAGE_WEIGHT: f64 = 0.3535533905932738; // sqrt2/4
const END_WEIGHT: f64 = 1.0 - 0.7071067811865476;
const COEFFICIENTS: i32 = 14;

/** Point value (slot 0) and slope (slot 1) of the fourth-order reconstruction at xi; see the twin. */
function sample(c: usize, m: i32, h: f64, xi: f64, out: usize): void {
  const s = xi / h - 0.5;
  const j = <i32>Math.floor(s);
  if (s != s || j < 2 || j > m - 4) {
    put(out, 0, 0.0);
    put(out, 1, 0.0);
    return;
  }
  const f = s - <f64>j;
  const p0 = at(c, j - 1) - (at(c, j) - 2.0 * at(c, j - 1) + at(c, j - 2)) / 24.0;
  const p1 = at(c, j) - (at(c, j + 1) - 2.0 * at(c, j) + at(c, j - 1)) / 24.0;
  const p2 = at(c, j + 1) - (at(c, j + 2) - 2.0 * at(c, j + 1) + at(c, j)) / 24.0;
  const p3 = at(c, j + 2) - (at(c, j + 3) - 2.0 * at(c, j + 2) + at(c, j + 1)) / 24.0;
  const a = -p0 / 6.0 + p1 / 2.0 - p2 / 2.0 + p3 / 6.0;
  const b = p0 / 2.0 - p1 + p2 / 2.0;
  const d = -p0 / 3.0 - p1 / 2.0 + p2 - p3 / 6.0;
  put(out, 0, ((a * f + b) * f + d) * f + p1);
  put(out, 1, ((3.0 * a * f + 2.0 * b) * f + d) / h);
}

/** Block back substitution x_j = D'^-1_j (x_j - U_j x_{j+1}) over the forward-eliminated (x, y). Returns x_0. */
// @ts-ignore: decorator
@inline
function backSubstitute(m: i32, x: usize, y: usize, i11: usize, i12: usize, i21: usize, i22: usize, uc: usize, uq: usize): f64 {
  let nx = 0.0;
  let ny = 0.0;
  for (let j = m - 1; j >= 0; j--) {
    const rx = at(x, j) - at(uc, j) * nx;
    const ry = at(y, j) - at(uq, j) * ny;
    nx = at(i11, j) * rx + at(i12, j) * ry;
    ny = at(i21, j) * rx + at(i22, j) * ry;
    put(x, j, nx);
    put(y, j, ny);
  }
  return nx;
}

// @ts-ignore: decorator
@inline
function faceP(j: i32, h: f64, shift: f64, length: f64, p0sq: f64, drop: f64): f64 {
  const x = Math.min(Math.max(<f64>j * h + shift, 0.0), length);
  return Math.sqrt(p0sq - drop * x);
}

/**
 * m cells of width h (m) in the frame; length: column length L (m); alpha: phase ratio; c, q:
 * state (mol/m3), updated in place; work: 14 m f64 of scratch; steps; coefficients: 14 f64 per
 * step: dt (s), source (inlet source in cell 0, mol/m3/s), p0sq, drop (Pa^2), un (m/s Pa),
 * dd (m2/s Pa), K, kd0 (1/s), kd1 (Pa/s) as in assembly/fd-program.ts, then w (frame velocity,
 * m/s), the frame position s at the step's midpoint (m), the step's start time (s), s at its start
 * (m) and 1 when the window's left face is the column inlet (else 0: an open face with zero
 * concentration outside). Cell j covers x in [j h + s, (j + 1) h + s]; beyond x = L the column is
 * continued with the outlet's coefficients, so that the band leaves through the plane x = L.
 * times: the output times (s, ascending); values: c at x = L at those times, written as the
 * steps pass them: the flux concentration c - (D/u) c_x (the outlet concentration of the
 * Danckwerts condition), quadratic in time through the step's start, stage and end profiles;
 * state: 8 f64 in and out: [next output index, amount out of the left face, amount out of the
 * right face (mol/m2), cell updates, scratch...]. Returns steps done, or -1 - k if step k gave a non-finite value.
 */
export function fdFrameAdvance(
  m: i32, h: f64, length: f64, alpha: f64, c: usize, q: usize, work: usize, steps: i32,
  coefficients: usize, times: usize, count: i32, values: usize, state: usize,
): i32 {
  const stride = <usize>m << 3;
  const cs = work;
  const qs = work + stride;
  const c0 = work + 2 * stride;
  const q0 = work + 3 * stride;
  const uc = work + 4 * stride;
  const uq = work + 5 * stride;
  const i11 = work + 6 * stride;
  const i12 = work + 7 * stride;
  const i21 = work + 8 * stride;
  const i22 = work + 9 * stride;
  const e11 = work + 10 * stride;
  const e12 = work + 11 * stride;
  const e21 = work + 12 * stride;
  const e22 = work + 13 * stride;
  const probe = state + 32; // state[4], state[5]: scratch of `sample`
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
    const w = at(coefficients, o + 9);
    const shift = at(coefficients, o + 10);
    const start = at(coefficients, o + 11);
    const sStart = at(coefficients, o + 12);
    const inlet = at(coefficients, o + 13) != 0.0;
    const bdt = BETA * dt;
    const qw = w * 0.5 * invh;
    // One pass: the rows of M = I - bdt J, their block LU, the stage-1 right-hand side
    // z + bdt J z = 2 z - M z and its forward elimination; the twin does these in separate loops
    // with the same arithmetic per value.
    let pl = faceP(0, h, shift, length, p0sq, drop);
    const rl = 1.0 / pl;
    let ul = un * rl - w;
    let gl = dd * rl * invh2;
    let pi11 = 0.0;
    let pi12 = 0.0;
    let pi21 = 0.0;
    let pi22 = 0.0;
    let puc = 0.0;
    let puq = 0.0;
    let xa = 0.0;
    let xb = 0.0;
    let cm = 0.0;
    let qm = 0.0;
    let cj = at(c, 0);
    let qj = at(q, 0);
    for (let j = 0; j < m; j++) {
      const pr = faceP(j + 1, h, shift, length, p0sq, drop);
      const rr = 1.0 / pr;
      const ur = un * rr - w;
      const gr = dd * rr * invh2;
      const kd = kd1 == 0.0 ? kd0 : kd0 + kd1 / (0.5 * (pl + pr));
      const ka = K * kd;
      const last = j == m - 1;
      const cl = j > 0 ? ul * 0.5 * invh + gl : 0.0;
      const cr = !last ? -ur * 0.5 * invh + gr : 0.0;
      let cd = -ur * 0.5 * invh - gr;
      if (j > 0 || !inlet) cd += ul * 0.5 * invh - gl;
      const ql = j > 0 ? -qw : 0.0;
      const qr = !last ? qw : 0.0;
      const lc = -bdt * cl;
      const lq = -bdt * ql;
      const ucj = -bdt * cr;
      const uqj = -bdt * qr;
      const d11 = 1.0 - bdt * (cd - alpha * ka);
      const d12 = -bdt * alpha * kd;
      const d21 = -bdt * ka;
      const d22 = 1.0 + bdt * kd;
      const cp = !last ? at(c, j + 1) : 0.0;
      const qp = !last ? at(q, j + 1) : 0.0;
      const mc = lc * cm + d11 * cj + d12 * qj + ucj * cp;
      const mq = lq * qm + d21 * cj + d22 * qj + uqj * qp;
      let x = 2.0 * cj - mc + (j == 0 ? 2.0 * bdt * source : 0.0);
      let y = 2.0 * qj - mq;
      let a11 = d11;
      let a12 = d12;
      let a21 = d21;
      let a22 = d22;
      if (j > 0) {
        const f11 = lc * pi11;
        const f12 = lc * pi12;
        const f21 = lq * pi21;
        const f22 = lq * pi22;
        put(e11, j, f11); put(e12, j, f12); put(e21, j, f21); put(e22, j, f22);
        a11 -= f11 * puc;
        a12 -= f12 * puq;
        a21 -= f21 * puc;
        a22 -= f22 * puq;
        x = x - (f11 * xa + f12 * xb);
        y = y - (f21 * xa + f22 * xb);
      }
      const inv = 1.0 / (a11 * a22 - a12 * a21);
      pi11 = a22 * inv;
      pi12 = -a12 * inv;
      pi21 = -a21 * inv;
      pi22 = a11 * inv;
      put(i11, j, pi11); put(i12, j, pi12); put(i21, j, pi21); put(i22, j, pi22);
      put(uc, j, ucj);
      put(uq, j, uqj);
      puc = ucj;
      puq = uqj;
      put(cs, j, x);
      put(qs, j, y);
      put(c0, j, cj);
      put(q0, j, qj);
      xa = x;
      xb = y;
      cm = cj;
      qm = qj;
      cj = cp;
      qj = qp;
      pl = pr;
      ul = ur;
      gl = gr;
    }
    backSubstitute(m, cs, qs, i11, i12, i21, i22, uc, uq);
    // Stage 2: M z_{n+1} = W1 z* - W0 z_n + bdt S, fused with its forward elimination.
    xa = W1 * at(cs, 0) - W0 * at(c0, 0) + bdt * source;
    xb = W1 * at(qs, 0) - W0 * at(q0, 0);
    put(c, 0, xa);
    put(q, 0, xb);
    for (let j = 1; j < m; j++) {
      const x = W1 * at(cs, j) - W0 * at(c0, j) - (at(e11, j) * xa + at(e12, j) * xb);
      const y = W1 * at(qs, j) - W0 * at(q0, j) - (at(e21, j) * xa + at(e22, j) * xb);
      put(c, j, x);
      put(q, j, y);
      xa = x;
      xb = y;
    }
    next = backSubstitute(m, c, q, i11, i12, i21, i22, uc, uq);
    // Window edge fluxes out (mol/m2), with the TR-BDF2 weights.
    const pa = faceP(0, h, shift, length, p0sq, drop);
    const ua = un / pa - w;
    const da = dd / pa * invh;
    const pb = faceP(m, h, shift, length, p0sq, drop);
    const ub = un / pb - w;
    const db = dd / pb * invh;
    if (!inlet) {
      const l0 = -(ua * at(c0, 0) * 0.5 - da * at(c0, 0)) + alpha * w * at(q0, 0) * 0.5;
      const l1 = -(ua * at(cs, 0) * 0.5 - da * at(cs, 0)) + alpha * w * at(qs, 0) * 0.5;
      const l2 = -(ua * at(c, 0) * 0.5 - da * at(c, 0)) + alpha * w * at(q, 0) * 0.5;
      put(state, 1, at(state, 1) + dt * (STAGE_WEIGHT * (l0 + l1) + END_WEIGHT * l2));
    }
    const r0 = ub * at(c0, m - 1) * 0.5 + db * at(c0, m - 1) - alpha * w * at(q0, m - 1) * 0.5;
    const r1 = ub * at(cs, m - 1) * 0.5 + db * at(cs, m - 1) - alpha * w * at(qs, m - 1) * 0.5;
    const r2 = ub * at(c, m - 1) * 0.5 + db * at(c, m - 1) - alpha * w * at(q, m - 1) * 0.5;
    put(state, 2, at(state, 2) + dt * (STAGE_WEIGHT * (r0 + r1) + END_WEIGHT * r2));
    put(state, 3, at(state, 3) + <f64>m);
    // Outlet samples inside (start, start + dt].
    const ratio = dd / un;
    let index = <i32>at(state, 0);
    while (index < count && at(times, index) <= start + dt) {
      const t = at(times, index);
      if (t > start) {
        const xi = length - (sStart + w * (t - start));
        const th = (t - start) / dt;
        sample(c0, m, h, xi, probe);
        const v0 = at(probe, 0);
        const s0 = at(probe, 1);
        sample(cs, m, h, xi, probe);
        const v1 = at(probe, 0);
        const s1 = at(probe, 1);
        sample(c, m, h, xi, probe);
        const v2 = at(probe, 0);
        const s2 = at(probe, 1);
        const w0 = ((th - GAMMA) * (th - 1.0)) / GAMMA;
        const w1 = (th * (th - 1.0)) / (GAMMA * (GAMMA - 1.0));
        const w2 = (th * (th - GAMMA)) / (1.0 - GAMMA);
        put(values, index, (w0 * v0 + w1 * v1 + w2 * v2) - ratio * (w0 * s0 + w1 * s1 + w2 * s2));
      }
      index++;
    }
    put(state, 0, <f64>index);
    if (!isFinite(next) || !isFinite(at(state, 2))) return -1 - k;
  }
  return steps;
}
