/**
 * Plain-TypeScript twin of assembly/migration.ts: the migration and peak-variance equations of
 * MODEL.md §8.6 integrated along the column by Dormand–Prince 5(4) with error control,
 *
 *   dt/dz    = r(z, t) = (1 + k(T(t))) w(z, t),   w = 1/u
 *   dtau2/dz = H(z, t) r^2 + 2 tau2 dr/dt
 *
 * for each analyte, from its start (t0, tau2_0) at z = 0 to the outlet z = L. The variance is
 * carried as V = tau2/(1 + k)^2, for which the second equation reads
 *
 *   dV/dz = H w^2 + 2 V r d(ln w)/dt
 *
 * (the same equation along t(z): the part of dr/dt from k(T(t)) cancels). In tau2 that part,
 * 2 tau2 (1 + k)' w, compresses the peak so fast while k falls (a decay length of centimetres for a
 * heavy analyte early in a ramp) that an explicit method would be held to its stability limit;
 * in V it is gone, and the steps are set by accuracy alone (2.3 times fewer on programme A). The run conditions
 * arrive packed in one Float64Array (`plan`, layout below; src/solvers/migration.ts packs them):
 * every scheduled quantity (oven temperature, inlet pressure or flow, outlet pressure) is linear
 * between the breakpoints of one merged time grid. Within a step the piece of the programme is held
 * fixed (its linear formulas extended), and a step that would carry t past the next breakpoint is
 * shortened to end there (the root of the step's dense output), so the right-hand side is smooth
 * on every step and the error estimate means what it says.
 *
 * The kernel and this twin perform the same operations in the same order; they differ only where
 * the math libraries round differently (exp, log), which moves results by ~1e-15 relative and can
 * flip a step-size decision, so they agree to about the tolerance, not bit for bit.
 */

// --- plan layout (f64 indices) ---------------------------------------------------------------------
/** Column length L (m). */
export const P_LENGTH = 0;
/** Inner radius R (m). */
export const P_RADIUS = 1;
/** Film thickness delta (m). */
export const P_FILM = 2;
/** Carrier control: CONTROL_PRESSURE, CONTROL_FLOW, CONTROL_VELOCITY_VARIABLE, CONTROL_VELOCITY_CONSTANT. */
export const P_CONTROL = 3;
/** Velocity control: inlet velocity u0 (m/s), inlet and outlet pressures p0, pL (Pa). */
export const P_U0 = 4;
export const P_P0 = 5;
export const P_PL = 6;
/** Flow control: G in p0^2 = pL^2 + G eta(T) T F (Pa^2 per Pa s K m3/s), G = 16 L pref / (pi R^4 Tref). */
export const P_FLOW_FACTOR = 7;
/** Viscosity eta(T) = eta0 (T/T0)^(xi0 + xi1 (T - T0)/T0). */
export const P_ETA0 = 8;
export const P_T0 = 9;
export const P_XI0 = 10;
export const P_XI1 = 11;
/** Relative tolerance of a step. */
export const P_RTOL = 12;
/** Time scale (s) of the absolute tolerances: rtol * scale on t, rtol * (1e-6 scale)^2 on V. */
export const P_TIME_SCALE = 13;
/** Largest number of accepted steps per analyte. */
export const P_MAX_STEPS = 14;
/** Largest time (s) an analyte may take; beyond it the analyte is not eluted. */
export const P_MAX_TIME = 15;
/** Number of breakpoints nb of the merged programme (>= 1). */
export const P_BREAKPOINTS = 16;
/**
 * 1: integrate in xi = 1 - sqrt(1 - z/L) instead of z (z = L xi (2 - xi)). With a vacuum outlet
 * p ~ sqrt(1 - z/L), so r ~ sqrt(L - z) is not smooth at the outlet in z but is in xi.
 */
export const P_OUTLET_COORDINATE = 17;
/** First breakpoint array: times[nb], then T[nb] (K), A[nb] (inlet Pa or flow m3/s), P[nb] (outlet Pa). */
export const PLAN_HEADER = 20;

export const CONTROL_PRESSURE = 0;
export const CONTROL_FLOW = 1;
export const CONTROL_VELOCITY_VARIABLE = 2;
export const CONTROL_VELOCITY_CONSTANT = 3;

/** f64 per analyte record. */
export const ANALYTE_STRIDE = 12;
/** ln k = a + b/T + c ln T. */
export const A_A = 0;
export const A_B = 1;
export const A_C = 2;
/** DESORPTION_ARRHENIUS (k_d = exp(A_D1 + A_D2/T)) or DESORPTION_FILM (k_d = 3 D_M/(A_D1 delta^2)). */
export const A_DESORPTION = 3;
export const A_D1 = 4;
export const A_D2 = 5;
/** D_M = coefficient T^exponent / p; coefficient 0: no diffusion. */
export const A_DIFFUSION = 6;
export const A_EXPONENT = 7;
/** 1: Golay's radial term as axial dispersion. */
export const A_RADIAL = 8;
/** Start: time t0 (s) and variance tau2_0 (s^2) at z = 0. */
export const A_T0 = 9;
export const A_TAU2 = 10;

export const DESORPTION_ARRHENIUS = 0;
export const DESORPTION_FILM = 1;

/** f64 per analyte result. */
export const OUT_STRIDE = 8;
/** Time (s) at the position reached: the retention time when eluted. */
export const O_TIME = 0;
/** tau2 (s^2) there. */
export const O_TAU2 = 1;
/** Position reached (m): L when eluted. */
export const O_POSITION = 2;
export const O_STEPS = 3;
export const O_REJECTED = 4;
export const O_EVALUATIONS = 5;
/** One of the MIGRATION_* codes. */
export const O_STATUS = 6;

/** Reached the outlet within the programme (at or before its last breakpoint). */
export const MIGRATION_ELUTED = 0;
/** Reached the outlet after the programme's end, under its last conditions held. */
export const MIGRATION_AFTER_PROGRAM = 1;
/** Stopped at the step limit before the outlet. */
export const MIGRATION_STEP_LIMIT = 2;
/** Stopped: beyond the time limit, or the retention factor or velocity left the numbers. */
export const MIGRATION_NOT_ELUTED = 3;

// Dormand–Prince 5(4) (Dormand & Prince 1980; Hairer, Nørsett & Wanner, Solving ODEs I, II.5)
const C2 = 1 / 5, C3 = 3 / 10, C4 = 4 / 5, C5 = 8 / 9;
const A21 = 1 / 5;
const A31 = 3 / 40, A32 = 9 / 40;
const A41 = 44 / 45, A42 = -56 / 15, A43 = 32 / 9;
const A51 = 19372 / 6561, A52 = -25360 / 2187, A53 = 64448 / 6561, A54 = -212 / 729;
const A61 = 9017 / 3168, A62 = -355 / 33, A63 = 46732 / 5247, A64 = 49 / 176, A65 = -5103 / 18656;
const A71 = 35 / 384, A73 = 500 / 1113, A74 = 125 / 192, A75 = -2187 / 6784, A76 = 11 / 84;
// error estimate: 5th minus embedded 4th order weights
const E1 = 71 / 57600, E3 = -71 / 16695, E4 = 71 / 1920, E5 = -17253 / 339200, E6 = 22 / 525, E7 = -1 / 40;
// dense output (Hairer's dopri5 contd5)
const D1 = -12715105075 / 11282082432, D3 = 87487479700 / 32700410799, D4 = -10690763975 / 1880347072;
const D5 = 701980252875 / 199316789632, D6 = -1453857185 / 822651844, D7 = 69997945 / 29380423;

/**
 * Integrates every analyte of `analytes` (n records of ANALYTE_STRIDE) through the column of
 * `plan`, writing n records of OUT_STRIDE into `out`. Returns the largest status code.
 */
export function migrate(plan: Float64Array, analytes: Float64Array, n: number, out: Float64Array): number {
  const L = plan[P_LENGTH];
  const radius = plan[P_RADIUS];
  const film = plan[P_FILM];
  const control = plan[P_CONTROL] | 0;
  const u0 = plan[P_U0];
  const vp0 = plan[P_P0];
  const vpL = plan[P_PL];
  const G = plan[P_FLOW_FACTOR];
  const eta0 = plan[P_ETA0];
  const visT0 = plan[P_T0];
  const xi0 = plan[P_XI0];
  const xi1 = plan[P_XI1];
  const lnT0 = Math.log(visT0);
  const rtol = plan[P_RTOL];
  const atolT = rtol * plan[P_TIME_SCALE];
  const atolV = rtol * (1e-6 * plan[P_TIME_SCALE]) * (1e-6 * plan[P_TIME_SCALE]);
  const maxSteps = plan[P_MAX_STEPS];
  const maxTime = plan[P_MAX_TIME];
  const nb = plan[P_BREAKPOINTS] | 0;
  const stretched = plan[P_OUTLET_COORDINATE] !== 0;
  /** End of the independent variable: L (z) or 1 (xi). */
  const sEnd = stretched ? 1 : L;
  const TIMES = PLAN_HEADER;
  const TEMPS = PLAN_HEADER + nb;
  const MAINS = PLAN_HEADER + 2 * nb;
  const OUTS = PLAN_HEADER + 3 * nb;
  /** 16 L / R^2: the gas residency 1/u = poiseuille * eta p / (p0^2 - pL^2). */
  const poiseuille = (16 * L) / (radius * radius);
  /** d^2/96 with d = 2R: Golay's radial term (d^2/96)(1 + 6k + 11k^2)/(1 + k)^2 u/D_M. */
  const radialFactor = (4 * radius * radius) / 96;
  let worst = 0;

  // the piece of the programme: start time, values there and slopes; its end time
  let segStart = 0, segEnd = 0, segT = 0, segTs = 0, segA = 0, segAs = 0, segP = 0, segPs = 0;
  let seg = 0;
  function setPiece(j: number): void {
    seg = j;
    if (j < 0) {
      segStart = plan[TIMES];
      segEnd = nb > 0 ? plan[TIMES] : Infinity;
      segT = plan[TEMPS]; segA = plan[MAINS]; segP = plan[OUTS];
      segTs = 0; segAs = 0; segPs = 0;
    } else if (j >= nb - 1) {
      segStart = plan[TIMES + nb - 1];
      segEnd = Infinity;
      segT = plan[TEMPS + nb - 1]; segA = plan[MAINS + nb - 1]; segP = plan[OUTS + nb - 1];
      segTs = 0; segAs = 0; segPs = 0;
    } else {
      segStart = plan[TIMES + j];
      segEnd = plan[TIMES + j + 1];
      const w = 1 / (segEnd - segStart);
      segT = plan[TEMPS + j]; segTs = (plan[TEMPS + j + 1] - segT) * w;
      segA = plan[MAINS + j]; segAs = (plan[MAINS + j + 1] - segA) * w;
      segP = plan[OUTS + j]; segPs = (plan[OUTS + j + 1] - segP) * w;
    }
  }

  // the analyte's parameters
  let ra = 0, rb = 0, rc = 0, desorption = 0, d1 = 0, d2 = 0, diffusion = 0, exponent = 0, radial = false;
  // the right-hand side's results
  let fr = 0, fv = 0, fk = 0;
  let evaluations = 0;

  /** dt/ds, dV/ds and k at (s, t, V) on the current piece, s = z or xi (dz/dxi = 2 L (1 - xi)). */
  function rhs(sv: number, t: number, vv: number): void {
    evaluations++;
    const z = stretched ? L * sv * (2 - sv) : sv;
    const dzds = stretched ? 2 * L * (1 - sv) : 1;
    const s = t - segStart;
    const T = segT + segTs * s;
    const lnT = Math.log(T);
    const iT = 1 / T;
    // gas residency w = 1/u (s/m) and its logarithmic time derivative; q = D_M w (m)
    let w: number, dlnw: number, q: number;
    const dm = diffusion > 0 ? diffusion * (exponent === 0 ? 1 : Math.exp(exponent * lnT)) : 0;
    if (control <= CONTROL_FLOW) {
      const lnr = lnT - lnT0;
      const e = xi0 + xi1 * (T / visT0 - 1);
      const eta = eta0 * Math.exp(e * lnr);
      const dlnEta = (xi1 / visT0) * lnr + e * iT; // d ln eta / dT
      const pL = segP + segPs * s;
      const pL2 = pL * pL;
      const dpL2 = 2 * pL * segPs;
      let p02: number, dp02: number;
      if (control === CONTROL_PRESSURE) {
        const p0 = segA + segAs * s;
        p02 = p0 * p0;
        dp02 = 2 * p0 * segAs;
      } else {
        const F = segA + segAs * s;
        const etaT = eta * T;
        p02 = pL2 + G * etaT * F;
        dp02 = dpL2 + G * (etaT * (dlnEta + iT) * segTs * F + etaT * segAs);
      }
      const delta = p02 - pL2;
      const x = z / L;
      let p2 = p02 - delta * x;
      if (p2 < 0) p2 = 0;
      const p = Math.sqrt(p2);
      const a = poiseuille * eta / delta;
      w = a * p;
      q = dm * a;
      const dp2 = dp02 * (1 - x) + dpL2 * x;
      // p = 0 only at a vacuum outlet, where dp2/p2 -> dp02/p02 along the column
      const dlnp = p2 > 0 ? (0.5 * dp2) / p2 : (0.5 * dp02) / p02;
      dlnw = dlnEta * segTs + dlnp - (dp02 - dpL2) / delta;
    } else if (control === CONTROL_VELOCITY_VARIABLE) {
      const p02 = vp0 * vp0;
      let p2 = p02 - (p02 - vpL * vpL) * (z / L);
      if (p2 < 0) p2 = 0;
      const a = 1 / (u0 * vp0);
      w = a * Math.sqrt(p2);
      q = dm * a;
      dlnw = 0;
    } else {
      w = 1 / u0;
      q = (dm / vp0) * w; // u p constant: p = p0 everywhere
      dlnw = 0;
    }
    const k = Math.exp(ra + rb * iT + rc * lnT);
    const k1 = 1 + k;
    const r = k1 * w;
    // H r^2 with H = 2 D_eff/u + 2 k u/((1 + k)^2 k_d), written so that p = 0 (vacuum outlet, w = 0)
    // stays finite: 2 D_M/u = 2 q, the radial term (d^2/96) g(k) u/D_M = (d^2/96) g(k)/q, and
    // u/k_d = delta^2 ratio/(3 q) (film) or 1/(w k_d) (Arrhenius)
    let hr2 = 0;
    if (q > 0) {
      let gas = 2 * q;
      if (radial) gas += (radialFactor * (1 + 6 * k + 11 * k * k)) / (k1 * k1 * q);
      hr2 = gas * k1 * k1 * w * w;
    }
    if (desorption === DESORPTION_FILM) {
      if (q > 0) hr2 += (2 * k * d1 * film * film * w * w) / (3 * q);
    } else {
      hr2 += (2 * k * w) / Math.exp(d1 + d2 * iT);
    }
    fr = r * dzds;
    fk = k;
    // V = tau2/(1 + k)^2: dV/dz = H r^2/(1 + k)^2 + 2 V r d ln w/dt (MODEL.md §8.6)
    fv = (hr2 / (k1 * k1) + 2 * vv * r * dlnw) * dzds;
  }

  for (let i = 0; i < n; i++) {
    const rec = i * ANALYTE_STRIDE;
    ra = analytes[rec + A_A]; rb = analytes[rec + A_B]; rc = analytes[rec + A_C];
    desorption = analytes[rec + A_DESORPTION] | 0;
    d1 = analytes[rec + A_D1]; d2 = analytes[rec + A_D2];
    diffusion = analytes[rec + A_DIFFUSION]; exponent = analytes[rec + A_EXPONENT];
    radial = analytes[rec + A_RADIAL] !== 0;
    let t = analytes[rec + A_T0];
    let v = 0;
    let z = 0;
    evaluations = 0;
    // the piece holding t: -1 before the first breakpoint, nb - 1 after the last
    let j = -1;
    while (j < nb - 1 && plan[TIMES + j + 1] <= t) j++;
    setPiece(j);
    rhs(z, t, v);
    v = analytes[rec + A_TAU2] / ((1 + fk) * (1 + fk));
    rhs(z, t, v);
    let kr1 = fr, kv1 = fv;
    let h = 0.1 * sEnd * Math.pow(rtol, 0.2);
    let steps = 0, rejected = 0;
    let status = MIGRATION_ELUTED;
    let landing = false;
    let lastRejected = false;
    if (!(Number.isFinite(kr1) && Number.isFinite(kv1))) status = MIGRATION_NOT_ELUTED;
    while (status === MIGRATION_ELUTED && z < sEnd) {
      if (steps >= maxSteps) {
        status = MIGRATION_STEP_LIMIT;
        break;
      }
      const last = h >= sEnd - z;
      if (last) h = sEnd - z;
      rhs(z + C2 * h, t + h * (A21 * kr1), v + h * (A21 * kv1));
      const kr2 = fr, kv2 = fv;
      rhs(z + C3 * h, t + h * (A31 * kr1 + A32 * kr2), v + h * (A31 * kv1 + A32 * kv2));
      const kr3 = fr, kv3 = fv;
      rhs(z + C4 * h, t + h * (A41 * kr1 + A42 * kr2 + A43 * kr3), v + h * (A41 * kv1 + A42 * kv2 + A43 * kv3));
      const kr4 = fr, kv4 = fv;
      rhs(z + C5 * h, t + h * (A51 * kr1 + A52 * kr2 + A53 * kr3 + A54 * kr4),
        v + h * (A51 * kv1 + A52 * kv2 + A53 * kv3 + A54 * kv4));
      const kr5 = fr, kv5 = fv;
      const zEnd = last ? sEnd : z + h;
      rhs(zEnd, t + h * (A61 * kr1 + A62 * kr2 + A63 * kr3 + A64 * kr4 + A65 * kr5),
        v + h * (A61 * kv1 + A62 * kv2 + A63 * kv3 + A64 * kv4 + A65 * kv5));
      const kr6 = fr, kv6 = fv;
      const tNew = t + h * (A71 * kr1 + A73 * kr3 + A74 * kr4 + A75 * kr5 + A76 * kr6);
      const vNew = v + h * (A71 * kv1 + A73 * kv3 + A74 * kv4 + A75 * kv5 + A76 * kv6);
      rhs(zEnd, tNew, vNew);
      const kr7 = fr, kv7 = fv;
      const et = h * (E1 * kr1 + E3 * kr3 + E4 * kr4 + E5 * kr5 + E6 * kr6 + E7 * kr7);
      const ev = h * (E1 * kv1 + E3 * kv3 + E4 * kv4 + E5 * kv5 + E6 * kv6 + E7 * kv7);
      const st = atolT + rtol * Math.max(Math.abs(t), Math.abs(tNew));
      const sv = atolV + rtol * Math.max(Math.abs(v), Math.abs(vNew));
      const err = Math.max(Math.abs(et) / st, Math.abs(ev) / sv);
      if (!(err <= 1)) {
        // rejected (or not a number: the step went where the formulas fail; shrink hard)
        rejected++;
        h *= err === err ? Math.max(0.2, 0.9 * Math.pow(err, -0.2)) : 0.2;
        landing = false;
        lastRejected = true;
        if (rejected > maxSteps) {
          status = MIGRATION_STEP_LIMIT;
          break;
        }
        continue;
      }
      if (!landing && tNew > segEnd) {
        // the step passes the next breakpoint: end it there, at the root of the dense output
        // t(theta) = t + theta (dt + (1 - theta)(b3 + theta (b4 + (1 - theta) b5))) = segEnd
        const dt = tNew - t;
        const b3 = h * kr1 - dt;
        const b4 = dt - h * kr7 - b3;
        const b5 = h * (D1 * kr1 + D3 * kr3 + D4 * kr4 + D5 * kr5 + D6 * kr6 + D7 * kr7);
        let lo = 0, hi = 1;
        let flo = t - segEnd, fhi = tNew - segEnd;
        let theta = 1;
        // Illinois (regula falsi): f(0) < 0 < f(1)
        for (let it = 0; it < 60 && hi - lo > 1e-15; it++) {
          theta = lo - (flo * (hi - lo)) / (fhi - flo);
          const u = 1 - theta;
          const f = t + theta * (dt + u * (b3 + theta * (b4 + u * b5))) - segEnd;
          if (f > 0) {
            hi = theta; fhi = f;
            flo *= 0.5;
          } else {
            lo = theta; flo = f;
            fhi *= 0.5;
          }
          if (f === 0) break;
        }
        h *= theta;
        landing = true;
        rejected++;
        continue;
      }
      steps++;
      z = zEnd;
      t = tNew;
      v = vNew;
      kr1 = kr7;
      kv1 = kv7;
      if (landing) {
        // on the breakpoint: the next piece's formulas from here (dT/dt changes, so does dr/dt)
        setPiece(seg + 1);
        rhs(z, t, v);
        kr1 = fr;
        kv1 = fv;
        landing = false;
      }
      if (!(t <= maxTime) || !Number.isFinite(kr1) || !Number.isFinite(kv1)) {
        if (z < sEnd || !(t <= maxTime)) status = MIGRATION_NOT_ELUTED;
        break;
      }
      const grow = err > 0 ? 0.9 * Math.pow(err, -0.2) : 5;
      h *= Math.min(lastRejected ? 1 : 5, Math.max(0.2, grow));
      lastRejected = false;
    }
    // tau2 = V (1 + k)^2 with k where the analyte is
    rhs(z, t, v);
    const tau2 = v * (1 + fk) * (1 + fk);
    if (status === MIGRATION_ELUTED && nb > 1 && t > plan[TIMES + nb - 1]) status = MIGRATION_AFTER_PROGRAM;
    const o = i * OUT_STRIDE;
    out[o + O_TIME] = t;
    out[o + O_TAU2] = tau2;
    out[o + O_POSITION] = stretched ? (z >= 1 ? L : L * z * (2 - z)) : z;
    out[o + O_STEPS] = steps;
    out[o + O_REJECTED] = rejected;
    out[o + O_EVALUATIONS] = evaluations;
    out[o + O_STATUS] = status;
    if (status > worst) worst = status;
  }
  return worst;
}
