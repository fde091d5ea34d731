/**
 * Plain-TypeScript twin of assembly/fd-program.ts: time stepping of the column model with
 * coefficients that change in time (MODEL.md §10). Same algorithm and operation order as the wasm
 * kernel; see that file for the scheme. Arrays are plain Float64Arrays indexed by cell.
 */

/** gamma/2 = (1 - gamma)/(2 - gamma) for TR-BDF2 with gamma = 2 - sqrt 2. */
const BETA = 1.0 - 0.7071067811865476;
const W1 = 1.2071067811865475;
const W0 = 0.20710678118654752;

/** f64 per step in `coefficients` (see fdProgramAdvance in assembly/fd-program.ts). */
export const PROGRAM_COEFFICIENTS = 10;
/** f64 of scratch per cell. */
export const PROGRAM_WORK_PER_CELL = 12;

function isNegligible(c: Float64Array, q: Float64Array, j: number, alpha: number, negligible: number): boolean {
  return Math.abs(c[j]) + alpha * Math.abs(q[j]) <= negligible;
}

/** Back substitution fused with the per-cell film update q_j = (q_j + qc_j x_j) invq_j. */
function backSubstitute(
  x: Float64Array, q: Float64Array, invm: Float64Array, cp: Float64Array, lo: number, hi: number,
  qc: Float64Array, invq: Float64Array,
): number {
  let next = 0.0;
  for (let j = hi - 1; j >= lo; j--) {
    next = x[j] * invm[j] - cp[j] * next;
    x[j] = next;
    q[j] = (q[j] + qc[j] * next) * invq[j];
  }
  return next;
}

/** TR-BDF2 finite-volume steps with per-step coefficients; see fdProgramAdvance in assembly/fd-program.ts. */
export function fdProgramAdvance(
  n: number, h: number, length: number, alpha: number, c: Float64Array, q: Float64Array, work: Float64Array,
  steps: number, coefficients: Float64Array, outlet: Float64Array, window: Float64Array, negligible: number,
  margin: number,
): number {
  const cs = work.subarray(0, n);
  const qs = work.subarray(n, 2 * n);
  const g2 = work.subarray(2 * n, 3 * n);
  const g1 = work.subarray(3 * n, 4 * n);
  const invm = work.subarray(4 * n, 5 * n);
  const cp = work.subarray(5 * n, 6 * n);
  const lower2 = work.subarray(6 * n, 7 * n);
  const lower = work.subarray(7 * n, 8 * n);
  const diag = work.subarray(8 * n, 9 * n);
  const upper = work.subarray(9 * n, 10 * n);
  const kdv = work.subarray(10 * n, 11 * n);
  const invqv = work.subarray(11 * n, 12 * n);
  let lo = window[0];
  let hi = window[1];
  const save = (): void => {
    window[0] = lo; window[1] = hi;
  };
  const invh = 1.0 / h;
  const invh2 = invh * invh;
  let next = 0.0;
  for (let k = 0; k < steps; k++) {
    const o = k * PROGRAM_COEFFICIENTS;
    const dt = coefficients[o];
    const source = coefficients[o + 1];
    const p0sq = coefficients[o + 2];
    const drop = coefficients[o + 3] / length;
    const un = coefficients[o + 4];
    const dd = coefficients[o + 5];
    const K = coefficients[o + 6];
    const kd0 = coefficients[o + 7];
    const kd1 = coefficients[o + 8];
    const theta = coefficients[o + 9];
    let grow = false;
    for (let j = hi - margin; j < hi; j++) {
      if (j >= lo && !isNegligible(c, q, j, alpha, negligible)) { grow = true; break; }
    }
    if (grow || hi - lo < 2) hi = hi + margin < n ? hi + margin : n;
    while (source === 0 && hi - lo > 2 * margin) {
      let empty = true;
      for (let j = lo; j < lo + margin; j++) {
        if (!isNegligible(c, q, j, alpha, negligible)) { empty = false; break; }
      }
      if (!empty) break;
      for (let j = lo; j < lo + margin; j++) {
        c[j] = 0;
        q[j] = 0;
      }
      lo += margin;
    }
    const bdt = BETA * dt;
    // Operator rows of [lo, hi) from the face fluxes F = fa c_{j-1} + fb c_j + fe c_{j+1} (see
    // finiteVolumeOperator in src/solvers/fd.ts), with u = un/p and D = dd/p at the faces.
    let la = 0.0;
    let lb = 0.0;
    let le = 0.0;
    if (lo > 0) {
      const p = Math.sqrt(p0sq - drop * (lo * h));
      const u = un / p;
      const g = (dd / p) * invh2;
      if (lo === 1) { la = 0.0; lb = u * 0.5 * invh + g; le = u * 0.5 * invh - g; } else { la = -u * 0.5 * invh; lb = 1.5 * u * invh + g; le = -g; }
    }
    const uL = un / Math.sqrt(p0sq - drop * length);
    for (let j = lo; j < hi; j++) {
      let ra: number;
      let rb: number;
      let re: number;
      if (j === n - 1) {
        ra = -theta * uL * invh;
        rb = (1.0 + theta) * uL * invh;
        re = 0.0;
      } else {
        const p = Math.sqrt(p0sq - drop * ((j + 1) * h));
        const u = un / p;
        const g = (dd / p) * invh2;
        if (j === 0) { ra = 0.0; rb = u * 0.5 * invh + g; re = u * 0.5 * invh - g; } else { ra = -u * 0.5 * invh; rb = 1.5 * u * invh + g; re = -g; }
      }
      lower2[j] = la;
      lower[j] = lb - ra;
      diag[j] = le - rb;
      upper[j] = -re;
      la = ra;
      lb = rb;
      le = re;
      // Film kinetics of the cell: kd = kd0 + kd1/p at its centre, ka = K kd.
      const kd = kd1 === 0 ? kd0 : kd0 + kd1 / Math.sqrt(p0sq - drop * ((j + 0.5) * h));
      kdv[j] = kd;
      invqv[j] = 1.0 / (1.0 + bdt * kd);
    }
    // LU factors of M = (1 + exchange_j) - bdt L on [lo, hi).
    for (let j = lo; j < hi; j++) {
      const kd = kdv[j];
      const exchange = bdt * alpha * K * kd * invqv[j];
      const u1 = -bdt * upper[j];
      let a1 = j > lo ? -bdt * lower[j] : 0.0;
      let d = 1.0 + exchange - bdt * diag[j];
      let f2 = 0.0;
      if (j > lo + 1) {
        f2 = -bdt * lower2[j] * invm[j - 2];
        a1 -= f2 * (-bdt * upper[j - 2]);
      }
      let f1 = 0.0;
      if (j > lo) {
        f1 = a1 * invm[j - 1];
        d -= f1 * (-bdt * upper[j - 1]);
      }
      const im = 1.0 / d;
      g2[j] = f2;
      g1[j] = f1;
      invm[j] = im;
      cp[j] = u1 * im;
    }
    window[6] += hi - lo;
    window[5] += hi - lo;

    // Stage 1 (trapezoid to t + gamma dt).
    let y1 = 0.0;
    let y2 = 0.0;
    for (let j = lo; j < hi; j++) {
      const cj = c[j];
      const qj = q[j];
      const kd = kdv[j];
      const ka = K * kd;
      const rate = ka * cj - kd * qj;
      const rq = qj + bdt * rate;
      let transport = diag[j] * cj;
      if (j > lo) transport += lower[j] * c[j - 1];
      if (j > lo + 1) transport += lower2[j] * c[j - 2];
      if (j + 1 < hi) transport += upper[j] * c[j + 1];
      const release = bdt * alpha * kd * invqv[j];
      let rc = cj + bdt * (transport - alpha * rate) + release * rq;
      if (j === 0) rc += 2.0 * bdt * source;
      const y = rc - g2[j] * y2 - g1[j] * y1;
      cs[j] = y;
      qs[j] = rq;
      y2 = y1;
      y1 = y;
    }
    // qc_j = bdt ka_j, into the row array lower2 (no longer needed this step).
    for (let j = lo; j < hi; j++) lower2[j] = bdt * K * kdv[j];
    next = backSubstitute(cs, qs, invm, cp, lo, hi, lower2, invqv);
    const stageLast = cs[n - 1];
    outlet[2 * k] = hi === n ? stageLast + theta * (stageLast - cs[n - 2]) : 0.0;
    // Stage 2 (BDF2).
    y1 = 0.0;
    y2 = 0.0;
    for (let j = lo; j < hi; j++) {
      const rq = W1 * qs[j] - W0 * q[j];
      const release = bdt * alpha * kdv[j] * invqv[j];
      let rc = W1 * cs[j] - W0 * c[j] + release * rq;
      if (j === 0) rc += bdt * source;
      const y = rc - g2[j] * y2 - g1[j] * y1;
      c[j] = y;
      q[j] = rq;
      y2 = y1;
      y1 = y;
    }
    next = backSubstitute(c, q, invm, cp, lo, hi, lower2, invqv);
    const last = c[n - 1];
    const outletValue = hi === n ? last + theta * (last - c[n - 2]) : 0.0;
    outlet[2 * k + 1] = outletValue;
    if (!Number.isFinite(outletValue) || !Number.isFinite(next)) {
      save();
      return -1 - k;
    }
  }
  save();
  return steps;
}
