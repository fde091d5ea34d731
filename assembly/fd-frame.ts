// Time stepping of the column model on a window of cells that moves with the band (MODEL.md §10),
// allocation-free. In the frame xi = x - s(t), moving at w = ds/dt,
//   c_t + ((u - w) c)_xi = (D c_xi)_xi - alpha (ka c - kd q),   q_t - w q_xi = ka c - kd q,
// finite volumes with central faces for both phases, TR-BDF2 in time with the coefficients of the
// step frozen at its midpoint. Mobile and film phase are coupled in 2x2 blocks: block-tridiagonal
// LU once per step, shared by both stages. When w follows the band the band barely moves on the
// grid, so the step is set by how fast the band changes, not by how fast it moves.

const BETA: f64 = 1.0 - 0.7071067811865476;
const GAMMA: f64 = 2.0 - 1.4142135623730951;
const W1: f64 = 1.2071067811865475;
const W0: f64 = 0.20710678118654752;
const STAGE_WEIGHT: f64 = 0.3535533905932738; // sqrt2/4
const END_WEIGHT: f64 = 1.0 - 0.7071067811865476;
const COEFFICIENTS: i32 = 14;

// @ts-ignore: decorator
@inline
function at(p: usize, j: i32): f64 {
  return load<f64>(p + (<usize>j << 3));
}

// @ts-ignore: decorator
@inline
function put(p: usize, j: i32, v: f64): void {
  store<f64>(p + (<usize>j << 3), v);
}

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

/** Block forward and back substitution; overwrites (x, y). Returns x_0. */
// @ts-ignore: decorator
@inline
function solve(m: i32, x: usize, y: usize, e11: usize, e12: usize, e21: usize, e22: usize,
  i11: usize, i12: usize, i21: usize, i22: usize, uc: usize, uq: usize): f64 {
  let a = at(x, 0);
  let b = at(y, 0);
  for (let j = 1; j < m; j++) {
    const xj = at(x, j) - (at(e11, j) * a + at(e12, j) * b);
    const yj = at(y, j) - (at(e21, j) * a + at(e22, j) * b);
    put(x, j, xj);
    put(y, j, yj);
    a = xj;
    b = yj;
  }
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
 * state (mol/m3), updated in place; work: 22 m f64 of scratch; steps; coefficients: 14 f64 per
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
  const lc = work + 3 * stride;
  const lq = work + 4 * stride;
  const uc = work + 5 * stride;
  const uq = work + 6 * stride;
  const d11 = work + 7 * stride;
  const d12 = work + 8 * stride;
  const d21 = work + 9 * stride;
  const d22 = work + 10 * stride;
  const i11 = work + 11 * stride;
  const i12 = work + 12 * stride;
  const i21 = work + 13 * stride;
  const i22 = work + 14 * stride;
  const e11 = work + 15 * stride;
  const e12 = work + 16 * stride;
  const e21 = work + 17 * stride;
  const e22 = work + 18 * stride;
  const kav = work + 19 * stride;
  const kdv = work + 20 * stride;
  const q0 = work + 21 * stride;
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
    let pl = faceP(0, h, shift, length, p0sq, drop);
    let ul = un / pl - w;
    let gl = dd / pl * invh2;
    const qw = w * 0.5 * invh;
    for (let j = 0; j < m; j++) {
      const pr = faceP(j + 1, h, shift, length, p0sq, drop);
      const ur = un / pr - w;
      const gr = dd / pr * invh2;
      const pc = Math.sqrt(p0sq - drop * Math.min(Math.max((<f64>j + 0.5) * h + shift, 0.0), length));
      const kd = kd0 + kd1 / pc;
      const ka = K * kd;
      put(kav, j, ka);
      put(kdv, j, kd);
      const cl = j > 0 ? ul * 0.5 * invh + gl : 0.0;
      const cr = j < m - 1 ? -ur * 0.5 * invh + gr : 0.0;
      let cd = -ur * 0.5 * invh - gr;
      if (j > 0 || !inlet) cd += ul * 0.5 * invh - gl;
      const ql = j > 0 ? -qw : 0.0;
      const qr = j < m - 1 ? qw : 0.0;
      put(lc, j, -bdt * cl);
      put(lq, j, -bdt * ql);
      put(uc, j, -bdt * cr);
      put(uq, j, -bdt * qr);
      put(d11, j, 1.0 - bdt * (cd - alpha * ka));
      put(d12, j, -bdt * alpha * kd);
      put(d21, j, -bdt * ka);
      put(d22, j, 1.0 + bdt * kd);
      ul = ur;
      gl = gr;
    }
    for (let j = 0; j < m; j++) {
      let a11 = at(d11, j);
      let a12 = at(d12, j);
      let a21 = at(d21, j);
      let a22 = at(d22, j);
      if (j > 0) {
        const f11 = at(lc, j) * at(i11, j - 1);
        const f12 = at(lc, j) * at(i12, j - 1);
        const f21 = at(lq, j) * at(i21, j - 1);
        const f22 = at(lq, j) * at(i22, j - 1);
        put(e11, j, f11); put(e12, j, f12); put(e21, j, f21); put(e22, j, f22);
        a11 -= f11 * at(uc, j - 1);
        a12 -= f12 * at(uq, j - 1);
        a21 -= f21 * at(uc, j - 1);
        a22 -= f22 * at(uq, j - 1);
      }
      const inv = 1.0 / (a11 * a22 - a12 * a21);
      put(i11, j, a22 * inv);
      put(i12, j, -a12 * inv);
      put(i21, j, -a21 * inv);
      put(i22, j, a11 * inv);
    }
    for (let j = 0; j < m; j++) {
      put(c0, j, at(c, j));
      put(q0, j, at(q, j));
    }
    for (let j = 0; j < m; j++) {
      const cm = j > 0 ? at(c, j - 1) : 0.0;
      const cp = j < m - 1 ? at(c, j + 1) : 0.0;
      const qm = j > 0 ? at(q, j - 1) : 0.0;
      const qp = j < m - 1 ? at(q, j + 1) : 0.0;
      const cj = at(c, j);
      const qj = at(q, j);
      const mc = at(lc, j) * cm + at(d11, j) * cj + at(d12, j) * qj + at(uc, j) * cp;
      const mq = at(lq, j) * qm + at(d21, j) * cj + at(d22, j) * qj + at(uq, j) * qp;
      put(cs, j, 2.0 * cj - mc + (j == 0 ? 2.0 * bdt * source : 0.0));
      put(qs, j, 2.0 * qj - mq);
    }
    solve(m, cs, qs, e11, e12, e21, e22, i11, i12, i21, i22, uc, uq);
    for (let j = 0; j < m; j++) {
      put(c, j, W1 * at(cs, j) - W0 * at(c0, j) + (j == 0 ? bdt * source : 0.0));
      put(q, j, W1 * at(qs, j) - W0 * at(q0, j));
    }
    next = solve(m, c, q, e11, e12, e21, e22, i11, i12, i21, i22, uc, uq);
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
