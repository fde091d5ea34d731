// Time stepping of the column model with a saturating film (Langmuir, anti-Langmuir or
// competitive Langmuir kinetics, MODEL.md §13.1, §14), allocation-free. The readable
// specification is the twin src/engine/kernels/fd-langmuir.ts (same operations in the same
// order); MODEL.md §14 gives the scheme: MUSCL finite volumes with Koren's limiter, the
// three-stage SSP Runge-Kutta method, the film coupled per cell through theta = sum_k q_k/qMax_k.

import { at, put } from './memory';

/** Koren's limited slope from the backward (a) and forward (b) differences (see the twin). */
// @ts-ignore: decorator
@inline
function korenSlope(a: f64, b: f64): f64 {
  if (!(a * b > 0.0)) return 0.0;
  const third = (a + 2.0 * b) / 3.0;
  return a > 0.0 ? min(min(2.0 * b, third), 2.0 * a) : max(max(2.0 * b, third), 2.0 * a);
}

/** One forward-Euler stage dst = wOld (c, q) + wNew (src + dt L(src)); outlet values of src into values. */
function stage(
  n: i32, m: i32, h: f64, alpha: f64, faceU: usize, faceG: usize, rates: usize, inflow: usize, pulse: f64,
  c: usize, q: usize, srcC: usize, srcQ: usize, dstC: usize, dstQ: usize, flux: usize, dt: f64, wOld: f64, wNew: f64,
  values: usize,
): void {
  const invh = 1.0 / h;
  for (let i = 0; i < m; i++) {
    const src = srcC + (<usize>(i * n) << 3);
    const fx = flux + (<usize>(i * (n + 1)) << 3);
    store<f64>(fx, pulse * at(inflow, i));
    let cm = 0.0;
    let ck = load<f64>(src);
    // Face 1: first order out of cell 0.
    if (n > 1) {
      const cp = load<f64>(src + 8);
      store<f64>(fx + 8, load<f64>(faceU + 8) * ck - load<f64>(faceG + 8) * (cp - ck));
      cm = ck;
      ck = cp;
    }
    for (let f = 2; f < n; f++) {
      const o = <usize>f << 3;
      const cp = load<f64>(src + o);
      const slope = korenSlope(ck - cm, cp - ck);
      const face = ck + 0.5 * slope;
      store<f64>(fx + o, load<f64>(faceU + o) * face - load<f64>(faceG + o) * (cp - ck));
      cm = ck;
      ck = cp;
    }
    const last = at(src, n - 1);
    const d = last - at(src, n - 2);
    const s = d > last ? last : d < -last ? -last : d;
    const value = last + 0.5 * s;
    put(fx, n, at(faceU, n) * value);
    put(values, i, value);
  }
  if (m == 1) {
    // One analyte: the same operations without the loops over analytes.
    const ka = at(rates, 0);
    const kd = at(rates, 1);
    const w = at(rates, 2);
    const sign = at(rates, 3);
    let left = load<f64>(flux);
    const end = <usize>n << 3;
    for (let o: usize = 0; o < end; o += 8) {
      const cj = load<f64>(srcC + o);
      const qj = load<f64>(srcQ + o);
      const theta = 0.0 + w * qj;
      const right = load<f64>(flux + o + 8);
      const r = ka * cj * (1.0 - sign * theta) - kd * qj;
      const cn = cj + dt * (-(right - left) * invh - alpha * r);
      const qn = qj + dt * r;
      store<f64>(dstC + o, wOld * load<f64>(c + o) + wNew * cn);
      store<f64>(dstQ + o, wOld * load<f64>(q + o) + wNew * qn);
      left = right;
    }
    return;
  }
  for (let j = 0; j < n; j++) {
    let theta = 0.0;
    for (let i = 0; i < m; i++) theta += at(rates, 4 * i + 2) * at(srcQ, i * n + j);
    for (let i = 0; i < m; i++) {
      const o = i * n + j;
      const fo = i * (n + 1) + j;
      const ka = at(rates, 4 * i);
      const kd = at(rates, 4 * i + 1);
      const sign = at(rates, 4 * i + 3);
      const cj = at(srcC, o);
      const qj = at(srcQ, o);
      const r = ka * cj * (1.0 - sign * theta) - kd * qj;
      const cn = cj + dt * (-(at(flux, fo + 1) - at(flux, fo)) * invh - alpha * r);
      const qn = qj + dt * r;
      put(dstC, o, wOld * at(c, o) + wNew * cn);
      put(dstQ, o, wOld * at(q, o) + wNew * qn);
    }
  }
}

/**
 * Advances m coupled analytes on n >= 2 cells of width h (m) by `steps` steps. faceU, faceG: n + 1
 * face velocities (m/s) and diffusion conductances D_f/h (m/s; 0 at the inlet and outlet faces);
 * rates: 4 m (ka, kd (1/s), 1/qMax (m3/mol), +1 Langmuir or -1 anti-Langmuir); inflow: m inlet
 * fluxes u0 c0 (mol/m2/s); c, q: m n state values (mol/m3) in place, analyte i at [i n, (i + 1) n);
 * work: 2 m n + m (n + 1) + 3 m f64 of scratch; dts: step lengths (s); sources: per step 1 while
 * the pulse enters, else 0; outlet: 2 m per step: amount eluted in the step (mol/m2) and c at
 * x = L after it. Returns the steps done, or -1 - k if step k gave a non-finite value.
 */
export function fdLangmuirAdvance(
  n: i32, m: i32, h: f64, alpha: f64, faceU: usize, faceG: usize, rates: usize, inflow: usize,
  c: usize, q: usize, work: usize, steps: i32, dts: usize, sources: usize, outlet: usize,
): i32 {
  const size = <usize>(m * n) << 3;
  const c1 = work;
  const q1 = work + size;
  const flux = work + 2 * size;
  const o0 = flux + (<usize>(m * (n + 1)) << 3);
  const o1 = o0 + (<usize>m << 3);
  const o2 = o1 + (<usize>m << 3);
  const uL = at(faceU, n);
  for (let k = 0; k < steps; k++) {
    const dt = at(dts, k);
    const pulse = at(sources, k);
    stage(n, m, h, alpha, faceU, faceG, rates, inflow, pulse, c, q, c, q, c1, q1, flux, dt, 0.0, 1.0, o0);
    stage(n, m, h, alpha, faceU, faceG, rates, inflow, pulse, c, q, c1, q1, c1, q1, flux, dt, 0.75, 0.25, o1);
    stage(n, m, h, alpha, faceU, faceG, rates, inflow, pulse, c, q, c1, q1, c, q, flux, dt, 1.0 / 3.0, 2.0 / 3.0, o2);
    let finite = true;
    for (let i = 0; i < m; i++) {
      const eluted = dt * uL * ((at(o0, i) + at(o1, i)) / 6.0 + (2.0 / 3.0) * at(o2, i));
      const last = at(c, i * n + n - 1);
      const d = last - at(c, i * n + n - 2);
      const s = d > last ? last : d < -last ? -last : d;
      const value = last + 0.5 * s;
      put(outlet, 2 * (k * m + i), eluted);
      put(outlet, 2 * (k * m + i) + 1, value);
      if (!isFinite(value) || !isFinite(eluted)) finite = false;
    }
    if (!finite) return -1 - k;
  }
  return steps;
}
