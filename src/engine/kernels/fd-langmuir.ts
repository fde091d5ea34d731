/**
 * Plain-TypeScript twin of assembly/fd-langmuir.ts: time stepping of the column model with a
 * saturating film (Langmuir, anti-Langmuir or competitive Langmuir kinetics, MODEL.md §13.1, §14).
 * Same algorithm and operation order as the wasm kernel; see MODEL.md §14 for the scheme.
 *
 * m analytes of one group on n equal cells; state arrays hold analyte i at [i n, (i + 1) n).
 *   dc_i/dt = -(F_{j+1/2} - F_{j-1/2})/h - alpha r_i,   dq_i/dt = r_i,
 *   r_i = ka_i c_i (1 - s_i theta) - kd_i q_i,          theta = sum_k w_k q_k
 * with w_k = 1/qMax_k and s_i = +1 (Langmuir, shared sites) or -1 (anti-Langmuir, alone).
 * Faces: the inlet carries the Danckwerts flux u0 c0 while the pulse lasts; interior faces
 * u_f c_f - g_f (c_j - c_{j-1}) with the upwind MUSCL value c_f of the cell behind the face
 * (Koren's limited slope; first order out of cell 0); the outlet face u_L c_L without diffusion,
 * c_L = c_{n-1} + s/2 with the one-sided slope s = c_{n-1} - c_{n-2} clipped to |s| <= c_{n-1}.
 * Time: the three-stage strong-stability-preserving Runge-Kutta method (Shu-Osher form), a
 * convex combination of forward Euler steps, each of which keeps c, q >= 0 below the step bound
 * the host enforces (MODEL.md §14).
 */

/**
 * Koren's limited slope of a cell from its backward (a) and forward (b) differences: the
 * third-order face value (a + 2b)/3 of the kappa = 1/3 scheme where the profile is smooth, held
 * to at most 2a and 2b (so the face value lies between 0 and twice the cell's), none at an extremum.
 */
export function korenSlope(a: number, b: number): number {
  if (!(a * b > 0)) return 0.0;
  const third = (a + 2.0 * b) / 3.0;
  return a > 0 ? Math.min(2.0 * b, third, 2.0 * a) : Math.max(2.0 * b, third, 2.0 * a);
}

/**
 * One forward-Euler stage dst = wOld * (c, q) + wNew * (src + dt L(src)) for every analyte, with
 * the outlet value of `src` for each analyte in outletValues. flux: m (n + 1) scratch.
 */
function stage(
  n: number, m: number, h: number, alpha: number, faceU: Float64Array, faceG: Float64Array, rates: Float64Array,
  inflow: Float64Array, pulse: number, c: Float64Array, q: Float64Array, srcC: Float64Array, srcQ: Float64Array,
  dstC: Float64Array, dstQ: Float64Array, flux: Float64Array, dt: number, wOld: number, wNew: number,
  outletValues: Float64Array,
): void {
  const invh = 1.0 / h;
  for (let i = 0; i < m; i++) {
    const o = i * n;
    const fo = i * (n + 1);
    flux[fo] = pulse * inflow[i];
    // Face f between cells f - 1 and f: the upwind cell k = f - 1 with neighbours in registers.
    let cm = 0.0;
    let ck = srcC[o];
    for (let f = 1; f < n; f++) {
      const cp = srcC[o + f];
      const slope = f > 1 ? korenSlope(ck - cm, cp - ck) : 0.0;
      const face = ck + 0.5 * slope;
      flux[fo + f] = faceU[f] * face - faceG[f] * (cp - ck);
      cm = ck;
      ck = cp;
    }
    const last = srcC[o + n - 1];
    const d = last - srcC[o + n - 2];
    const s = d > last ? last : d < -last ? -last : d;
    const outletValue = last + 0.5 * s;
    flux[fo + n] = faceU[n] * outletValue;
    outletValues[i] = outletValue;
  }
  for (let j = 0; j < n; j++) {
    let theta = 0.0;
    for (let i = 0; i < m; i++) theta += rates[4 * i + 2] * srcQ[i * n + j];
    for (let i = 0; i < m; i++) {
      const o = i * n + j;
      const fo = i * (n + 1) + j;
      const ka = rates[4 * i];
      const kd = rates[4 * i + 1];
      const sign = rates[4 * i + 3];
      const cj = srcC[o];
      const qj = srcQ[o];
      const r = ka * cj * (1.0 - sign * theta) - kd * qj;
      const cn = cj + dt * (-(flux[fo + 1] - flux[fo]) * invh - alpha * r);
      const qn = qj + dt * r;
      dstC[o] = wOld * c[o] + wNew * cn;
      dstQ[o] = wOld * q[o] + wNew * qn;
    }
  }
}

/**
 * Advances m coupled analytes by `steps` steps. faceU, faceG: n + 1 face velocities (m/s) and
 * diffusion conductances D_f/h (m/s, 0 at the inlet and outlet faces); rates: 4 m values
 * (ka, kd, w = 1/qMax (m3/mol), s = +1 or -1); inflow: m Danckwerts fluxes u0 c0 (mol/m2/s);
 * c, q: m n state values (mol/m3), updated in place; work: m n (stage c) + m n (stage q) +
 * m (n + 1) (face fluxes) + 3 m (stage outlet values) scratch; dts: step lengths (s); sources:
 * per step 1 while the pulse enters, else 0; outlet: 2 m per step: the amount eluted in the step
 * (mol/m2, with the stage weights 1/6, 1/6, 2/3) and c at x = L after it. Returns the steps done,
 * or -1 - k if step k gave a non-finite value.
 */
export function fdLangmuirAdvance(
  n: number, m: number, h: number, alpha: number, faceU: Float64Array, faceG: Float64Array, rates: Float64Array,
  inflow: Float64Array, c: Float64Array, q: Float64Array, work: Float64Array, steps: number, dts: Float64Array,
  sources: Float64Array, outlet: Float64Array,
): number {
  const size = m * n;
  const c1 = work.subarray(0, size);
  const q1 = work.subarray(size, 2 * size);
  const flux = work.subarray(2 * size, 2 * size + m * (n + 1));
  const o0 = work.subarray(2 * size + m * (n + 1), 2 * size + m * (n + 1) + m);
  const o1 = work.subarray(2 * size + m * (n + 2), 2 * size + m * (n + 3));
  const o2 = work.subarray(2 * size + m * (n + 3), 2 * size + m * (n + 4));
  const uL = faceU[n];
  for (let k = 0; k < steps; k++) {
    const dt = dts[k];
    const pulse = sources[k];
    stage(n, m, h, alpha, faceU, faceG, rates, inflow, pulse, c, q, c, q, c1, q1, flux, dt, 0.0, 1.0, o0);
    stage(n, m, h, alpha, faceU, faceG, rates, inflow, pulse, c, q, c1, q1, c1, q1, flux, dt, 0.75, 0.25, o1);
    stage(n, m, h, alpha, faceU, faceG, rates, inflow, pulse, c, q, c1, q1, c, q, flux, dt, 1.0 / 3.0, 2.0 / 3.0, o2);
    let finite = true;
    for (let i = 0; i < m; i++) {
      const eluted = dt * uL * ((o0[i] + o1[i]) / 6.0 + (2.0 / 3.0) * o2[i]);
      const last = c[i * n + n - 1];
      const d = last - c[i * n + n - 2];
      const s = d > last ? last : d < -last ? -last : d;
      const value = last + 0.5 * s;
      outlet[2 * (k * m + i)] = eluted;
      outlet[2 * (k * m + i) + 1] = value;
      if (!Number.isFinite(value) || !Number.isFinite(eluted)) finite = false;
    }
    if (!finite) return -1 - k;
  }
  return steps;
}

/** Scratch f64 of fdLangmuirAdvance for m analytes on n cells. */
export function fdLangmuirWork(n: number, m: number): number {
  return 2 * m * n + m * (n + 1) + 3 * m;
}
