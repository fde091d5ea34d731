/**
 * Plain-TypeScript twin of assembly/fd.ts (time stepping of the column model with diffusion,
 * MODEL.md §1, §3). Same algorithm and operation order as the wasm kernels; see that file for
 * the scheme. Arrays are plain Float64Arrays indexed by cell (or node).
 */

/** gamma/2 = (1 - gamma)/(2 - gamma) for TR-BDF2 with gamma = 2 - sqrt 2. */
const BETA = 1.0 - 0.7071067811865476;
const W1 = 1.2071067811865475;
const W0 = 0.20710678118654752;

function isNegligible(c: Float64Array, q: Float64Array, j: number, alpha: number, negligible: number): boolean {
  return Math.abs(c[j]) + alpha * Math.abs(q[j]) <= negligible;
}

/** Back substitution fused with the film update, two rows per iteration (see assembly/fd.ts). */
function backSubstitute(
  x: Float64Array, q: Float64Array, invm: Float64Array, cp: Float64Array, lo: number, hi: number, qc: number, invq: number,
): number {
  let next = 0.0;
  let j = hi;
  if (((hi - 1 - lo) & 1) === 0) {
    j--;
    next = x[j] * invm[j];
    x[j] = next;
    q[j] = (q[j] + qc * next) * invq;
  }
  while (j > lo) {
    const jj = j - 1;
    const ii = j - 2;
    const aj = x[jj] * invm[jj];
    const bj = cp[jj];
    const ai = x[ii] * invm[ii];
    const bi = cp[ii];
    const xj = aj - bj * next;
    const xi = (ai - bi * aj) + (bi * bj) * next;
    x[jj] = xj;
    q[jj] = (q[jj] + qc * xj) * invq;
    x[ii] = xi;
    q[ii] = (q[ii] + qc * xi) * invq;
    next = xi;
    j = ii;
  }
  return next;
}

/** TR-BDF2 + finite volumes on the active window; see fdImplicitAdvance in assembly/fd.ts. */
export function fdImplicitAdvance(
  n: number, lower2: Float64Array, lower: Float64Array, diag: Float64Array, upper: Float64Array, alpha: number,
  ka: number, kd: number, c: Float64Array, q: Float64Array, work: Float64Array, steps: number, dts: Float64Array,
  sources: Float64Array, outlet: Float64Array, theta: number, window: Float64Array, negligible: number, margin: number,
): number {
  const cs = work.subarray(0, n);
  const qs = work.subarray(n, 2 * n);
  const g2 = work.subarray(2 * n, 3 * n);
  const g1 = work.subarray(3 * n, 4 * n);
  const invm = work.subarray(4 * n, 5 * n);
  const cp = work.subarray(5 * n, 6 * n);
  let lo = window[0];
  let hi = window[1];
  let fLo = window[2];
  let fHi = window[3];
  let fDt = window[4];
  const save = (): void => {
    window[0] = lo; window[1] = hi; window[2] = fLo; window[3] = fHi; window[4] = fDt;
  };
  let next = 0.0;
  for (let k = 0; k < steps; k++) {
    const dt = dts[k];
    const source = sources[k];
    let grow = false;
    for (let j = Math.max(lo, hi - margin); j < hi; j++) {
      if (!isNegligible(c, q, j, alpha, negligible)) { grow = true; break; }
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
    const invq = 1.0 / (1.0 + bdt * kd);
    const exchange = bdt * alpha * ka * invq;
    const release = bdt * alpha * kd * invq;
    const qc = bdt * ka;
    if (dt !== fDt || lo !== fLo || fHi <= lo) {
      fLo = lo;
      fHi = lo;
      fDt = dt;
    }
    for (let j = fHi; j < hi; j++) {
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
    if (hi > fHi) {
      window[6] += hi - fHi;
      fHi = hi;
    }
    window[5] += hi - lo;

    let y1 = 0.0;
    let y2 = 0.0;
    for (let j = lo; j < hi; j++) {
      const cj = c[j];
      const qj = q[j];
      const rate = ka * cj - kd * qj;
      const rq = qj + bdt * rate;
      let transport = diag[j] * cj;
      if (j > lo) transport += lower[j] * c[j - 1];
      if (j > lo + 1) transport += lower2[j] * c[j - 2];
      if (j + 1 < hi) transport += upper[j] * c[j + 1];
      let rc = cj + bdt * (transport - alpha * rate) + release * rq;
      if (j === 0) rc += 2.0 * bdt * source;
      const y = rc - g2[j] * y2 - g1[j] * y1;
      cs[j] = y;
      qs[j] = rq;
      y2 = y1;
      y1 = y;
    }
    next = backSubstitute(cs, qs, invm, cp, lo, hi, qc, invq);
    const stageLast = cs[n - 1];
    outlet[2 * k] = hi === n ? stageLast + theta * (stageLast - cs[n - 2]) : 0.0;
    y1 = 0.0;
    y2 = 0.0;
    for (let j = lo; j < hi; j++) {
      const rq = W1 * qs[j] - W0 * q[j];
      let rc = W1 * cs[j] - W0 * c[j] + release * rq;
      if (j === 0) rc += bdt * source;
      const y = rc - g2[j] * y2 - g1[j] * y1;
      c[j] = y;
      q[j] = rq;
      y2 = y1;
      y1 = y;
    }
    next = backSubstitute(c, q, invm, cp, lo, hi, qc, invq);
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

/** The paper's explicit scheme (53)-(63) on n + 1 nodes; see fdExplicitAdvance in assembly/fd.ts. */
export function fdExplicitAdvance(
  n: number, lower: Float64Array, diag: Float64Array, upper: Float64Array, alpha: number, ka: number, kd: number,
  c: Float64Array, q: Float64Array, scratch: Float64Array, steps: number, dts: Float64Array, sources: Float64Array,
  outlet: Float64Array, inletWeight: number, inletCoupling: number,
): number {
  for (let k = 0; k < steps; k++) {
    const dt = dts[k];
    for (let j = 1; j < n; j++) {
      const cj = c[j];
      const rate = ka * cj - kd * q[j];
      const change = lower[j] * c[j - 1] + diag[j] * cj + upper[j] * c[j + 1] - alpha * rate;
      scratch[j] = cj + dt * change;
      q[j] = q[j] + dt * rate;
    }
    q[0] = q[0] + dt * (ka * c[0] - kd * q[0]);
    q[n] = q[n] + dt * (ka * c[n] - kd * q[n]);
    for (let j = 1; j < n; j++) c[j] = scratch[j];
    c[0] = inletWeight * sources[k] + inletCoupling * (4.0 * c[1] - c[2]);
    const cn = (4.0 * c[n - 1] - c[n - 2]) / 3.0;
    c[n] = cn;
    outlet[k] = cn;
    if (!Number.isFinite(cn)) return -1 - k;
  }
  return steps;
}
