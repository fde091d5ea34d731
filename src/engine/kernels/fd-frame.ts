/**
 * Plain-TypeScript twin of assembly/fd-frame.ts: time stepping of the column model on a window of
 * cells that moves with the band (MODEL.md §10). Same algorithm and operation order as the wasm
 * kernel; see that file for the scheme.
 */

const BETA = 1.0 - 0.7071067811865476;
const GAMMA = 2.0 - 1.4142135623730951;
const W1 = 1.2071067811865475;
const W0 = 0.20710678118654752;
const STAGE_WEIGHT = 0.3535533905932738; // sqrt2/4
const END_WEIGHT = 1.0 - 0.7071067811865476;

/** f64 per step in `coefficients` (see fdFrameAdvance in assembly/fd-frame.ts). */
export const FRAME_COEFFICIENTS = 14;
/** f64 of scratch per cell (this twin's need; the wasm kernel, which fuses the loops, uses 14). */
export const FRAME_WORK_PER_CELL = 20;
/** f64 of scratch per cell that the wasm kernel uses. */
export const FRAME_KERNEL_WORK_PER_CELL = 14;
/** f64 of `state`. */
export const FRAME_STATE = 8;

/**
 * Value and slope at xi (m, window coordinate) of the cubic through the point values of the four
 * cells around it, the point values recovered from the cell averages to fourth order
 * (P_j = c_j - (c_{j+1} - 2 c_j + c_{j-1})/24); 0 where that needs cells outside the window. Writes [value, slope].
 */
function sample(c: Float64Array, m: number, h: number, xi: number, out: Float64Array, at: number): void {
  const s = xi / h - 0.5; // position in cell-centre units
  const j = Math.floor(s);
  if (j < 2 || j > m - 4) {
    out[at] = 0;
    out[at + 1] = 0;
    return;
  }
  const f = s - j;
  const p0 = c[j - 1] - (c[j] - 2 * c[j - 1] + c[j - 2]) / 24;
  const p1 = c[j] - (c[j + 1] - 2 * c[j] + c[j - 1]) / 24;
  const p2 = c[j + 1] - (c[j + 2] - 2 * c[j + 1] + c[j]) / 24;
  const p3 = c[j + 2] - (c[j + 3] - 2 * c[j + 2] + c[j + 1]) / 24;
  // Lagrange cubic on nodes -1, 0, 1, 2
  const a = -p0 / 6 + p1 / 2 - p2 / 2 + p3 / 6;
  const b = p0 / 2 - p1 + p2 / 2;
  const d = -p0 / 3 - p1 / 2 + p2 - p3 / 6;
  out[at] = ((a * f + b) * f + d) * f + p1;
  out[at + 1] = ((3 * a * f + 2 * b) * f + d) / h;
}

/** TR-BDF2 steps of (c, q) on a moving window; see fdFrameAdvance in assembly/fd-frame.ts. */
export function fdFrameAdvance(
  m: number, h: number, length: number, alpha: number, c: Float64Array, q: Float64Array, work: Float64Array,
  steps: number, coefficients: Float64Array, times: Float64Array, values: Float64Array, state: Float64Array,
): number {
  const cs = work.subarray(0, m);
  const qs = work.subarray(m, 2 * m);
  const c0 = work.subarray(2 * m, 3 * m);
  // Block rows: lower (diagonal 2x2: lc, lq), diagonal (full 2x2), upper (diagonal: uc, uq)
  const lc = work.subarray(3 * m, 4 * m);
  const lq = work.subarray(4 * m, 5 * m);
  const uc = work.subarray(5 * m, 6 * m);
  const uq = work.subarray(6 * m, 7 * m);
  const d11 = work.subarray(7 * m, 8 * m);
  const d12 = work.subarray(8 * m, 9 * m);
  const d21 = work.subarray(9 * m, 10 * m);
  const d22 = work.subarray(10 * m, 11 * m);
  // Factors: inverse of the eliminated diagonal block (i11..i22), elimination block L (e11..e22)
  const i11 = work.subarray(11 * m, 12 * m);
  const i12 = work.subarray(12 * m, 13 * m);
  const i21 = work.subarray(13 * m, 14 * m);
  const i22 = work.subarray(14 * m, 15 * m);
  const e11 = work.subarray(15 * m, 16 * m);
  const e12 = work.subarray(16 * m, 17 * m);
  const e21 = work.subarray(17 * m, 18 * m);
  const e22 = work.subarray(18 * m, 19 * m);
  const q0 = work.subarray(19 * m, 20 * m);
  const probe = new Float64Array(6);
  let next = state[0];
  for (let k = 0; k < steps; k++) {
    const o = k * FRAME_COEFFICIENTS;
    const dt = coefficients[o];
    const source = coefficients[o + 1];
    const p0sq = coefficients[o + 2];
    const drop = coefficients[o + 3] / length;
    const un = coefficients[o + 4];
    const dd = coefficients[o + 5];
    const K = coefficients[o + 6];
    const kd0 = coefficients[o + 7];
    const kd1 = coefficients[o + 8];
    const w = coefficients[o + 9];
    const shift = coefficients[o + 10]; // frame position s at the step's midpoint (m)
    const start = coefficients[o + 11]; // time at the step's start (s)
    const sStart = coefficients[o + 12]; // s at the step's start (m)
    const inlet = coefficients[o + 13]; // 1: the window's left face is the column inlet
    const bdt = BETA * dt;
    // Rows. Face j (left of cell j) at x = j h + shift, clipped to the column (uniform beyond L).
    const invh = 1.0 / h;
    const invh2 = invh * invh;
    const faceP = (j: number): number => {
      const x = Math.min(Math.max(j * h + shift, 0.0), length);
      return Math.sqrt(p0sq - drop * x);
    };
    let pl = faceP(0);
    const rl = 1.0 / pl;
    let ul = un * rl - w;
    let gl = dd * rl * invh2;
    const qw = w * 0.5 * invh;
    for (let j = 0; j < m; j++) {
      const pr = faceP(j + 1);
      const rr = 1.0 / pr;
      const ur = un * rr - w;
      const gr = dd * rr * invh2;
      // k_d at the cell centre, the pressure there the mean of its faces'
      const kd = kd1 === 0 ? kd0 : kd0 + kd1 / (0.5 * (pl + pr));
      const ka = K * kd;
      // dc_j/dt = lower c_{j-1} + diag c_j + upper c_{j+1} + alpha kd q_j - alpha ka c_j
      const cl = j > 0 ? ul * 0.5 * invh + gl : 0.0;
      const cr = j < m - 1 ? -ur * 0.5 * invh + gr : 0.0;
      let cd = -ur * 0.5 * invh - gr;
      if (j > 0 || inlet === 0) cd += ul * 0.5 * invh - gl;
      // dq_j/dt = w (q_{j+1} - q_{j-1})/(2h) + ka c_j - kd q_j (the film moves back at -w in the frame)
      const ql = j > 0 ? -qw : 0.0;
      const qr = j < m - 1 ? qw : 0.0;
      lc[j] = -bdt * cl;
      lq[j] = -bdt * ql;
      uc[j] = -bdt * cr;
      uq[j] = -bdt * qr;
      d11[j] = 1.0 - bdt * (cd - alpha * ka);
      d12[j] = -bdt * alpha * kd;
      d21[j] = -bdt * ka;
      d22[j] = 1.0 + bdt * kd;
      pl = pr;
      ul = ur;
      gl = gr;
    }
    // Block LU: D'_j = D_j - E_j U_{j-1}, E_j = L_j D'_{j-1}^{-1}; store D'^{-1} and E.
    for (let j = 0; j < m; j++) {
      let a11 = d11[j];
      let a12 = d12[j];
      let a21 = d21[j];
      let a22 = d22[j];
      if (j > 0) {
        // E = diag(lc, lq) * inv(D'_{j-1})
        const f11 = lc[j] * i11[j - 1];
        const f12 = lc[j] * i12[j - 1];
        const f21 = lq[j] * i21[j - 1];
        const f22 = lq[j] * i22[j - 1];
        e11[j] = f11; e12[j] = f12; e21[j] = f21; e22[j] = f22;
        // D' = D - E diag(uc, uq)_{j-1}
        a11 -= f11 * uc[j - 1];
        a12 -= f12 * uq[j - 1];
        a21 -= f21 * uc[j - 1];
        a22 -= f22 * uq[j - 1];
      }
      const inv = 1.0 / (a11 * a22 - a12 * a21);
      i11[j] = a22 * inv;
      i12[j] = -a12 * inv;
      i21[j] = -a21 * inv;
      i22[j] = a11 * inv;
    }
    // Stage 1 right-hand side: z + bdt J z + 2 bdt S, with bdt J z = z - M z.
    for (let j = 0; j < m; j++) {
      c0[j] = c[j];
      q0[j] = q[j];
    }
    for (let j = 0; j < m; j++) {
      const cm = j > 0 ? c[j - 1] : 0;
      const cp = j < m - 1 ? c[j + 1] : 0;
      const qm = j > 0 ? q[j - 1] : 0;
      const qp = j < m - 1 ? q[j + 1] : 0;
      const mc = lc[j] * cm + d11[j] * c[j] + d12[j] * q[j] + uc[j] * cp;
      const mq = lq[j] * qm + d21[j] * c[j] + d22[j] * q[j] + uq[j] * qp;
      cs[j] = 2.0 * c[j] - mc + (j === 0 ? 2.0 * bdt * source : 0.0);
      qs[j] = 2.0 * q[j] - mq;
    }
    solve(m, cs, qs, e11, e12, e21, e22, i11, i12, i21, i22, uc, uq);
    // Stage 2: M z_{n+1} = W1 z* - W0 z_n + bdt S.
    for (let j = 0; j < m; j++) {
      c[j] = W1 * cs[j] - W0 * c0[j] + (j === 0 ? bdt * source : 0);
      q[j] = W1 * qs[j] - W0 * q0[j];
    }
    next = solve(m, c, q, e11, e12, e21, e22, i11, i12, i21, i22, uc, uq);
    // Window edge fluxes (mol/m2 out of the window), TR-BDF2 weights over c_n, c*, c_{n+1}.
    const pa = faceP(0);
    const ua = un / pa - w;
    const da = dd / pa * invh;
    const pb = faceP(m);
    const ub = un / pb - w;
    const db = dd / pb * invh;
    if (inlet === 0) {
      const l0 = -(ua * c0[0] * 0.5 - da * c0[0]) + alpha * w * q0[0] * 0.5;
      const l1 = -(ua * cs[0] * 0.5 - da * cs[0]) + alpha * w * qs[0] * 0.5;
      const l2 = -(ua * c[0] * 0.5 - da * c[0]) + alpha * w * q[0] * 0.5;
      state[1] += dt * (STAGE_WEIGHT * (l0 + l1) + END_WEIGHT * l2);
    }
    const r0 = ub * c0[m - 1] * 0.5 + db * c0[m - 1] - alpha * w * q0[m - 1] * 0.5;
    const r1 = ub * cs[m - 1] * 0.5 + db * cs[m - 1] - alpha * w * qs[m - 1] * 0.5;
    const r2 = ub * c[m - 1] * 0.5 + db * c[m - 1] - alpha * w * q[m - 1] * 0.5;
    state[2] += dt * (STAGE_WEIGHT * (r0 + r1) + END_WEIGHT * r2);
    state[3] += m;
    // Outlet samples at the output times inside (start, start + dt]: flux concentration
    // c - (D/u) c_x at x = L, quadratic in time through c_n, c*, c_{n+1}.
    const ratio = dd / un;
    let index = state[0];
    while (index < times.length && times[index] <= start + dt) {
      const t = times[index];
      if (t > start) {
        const xi = length - (sStart + w * (t - start));
        const th = (t - start) / dt;
        sample(c0, m, h, xi, probe, 0);
        sample(cs, m, h, xi, probe, 2);
        sample(c, m, h, xi, probe, 4);
        // Lagrange weights on nodes 0, gamma, 1
        const l0 = ((th - GAMMA) * (th - 1)) / GAMMA;
        const l1 = (th * (th - 1)) / (GAMMA * (GAMMA - 1));
        const l2 = (th * (th - GAMMA)) / (1 - GAMMA);
        values[index] = (l0 * probe[0] + l1 * probe[2] + l2 * probe[4]) - ratio * (l0 * probe[1] + l1 * probe[3] + l2 * probe[5]);
      }
      index++;
    }
    state[0] = index;
    if (!Number.isFinite(next) || !Number.isFinite(state[2])) return -1 - k;
  }
  return steps;
}

/** Block forward and back substitution with the factors; overwrites (x, y) with the solution. Returns x_0. */
function solve(
  m: number, x: Float64Array, y: Float64Array, e11: Float64Array, e12: Float64Array, e21: Float64Array,
  e22: Float64Array, i11: Float64Array, i12: Float64Array, i21: Float64Array, i22: Float64Array,
  uc: Float64Array, uq: Float64Array,
): number {
  for (let j = 1; j < m; j++) {
    const a = x[j - 1];
    const b = y[j - 1];
    x[j] -= e11[j] * a + e12[j] * b;
    y[j] -= e21[j] * a + e22[j] * b;
  }
  let nx = 0;
  let ny = 0;
  for (let j = m - 1; j >= 0; j--) {
    const rx = x[j] - uc[j] * nx;
    const ry = y[j] - uq[j] * ny;
    nx = i11[j] * rx + i12[j] * ry;
    ny = i21[j] * rx + i22[j] * ry;
    x[j] = nx;
    y[j] = ny;
  }
  return nx;
}
