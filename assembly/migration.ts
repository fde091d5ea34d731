// The migration and peak-variance equations under a programme (MODEL.md §8.6), allocation-free
// (twin: src/engine/kernels/migration.ts, which documents the plan, analyte and result layouts
// and the method). Dormand–Prince 5(4) along the column with error control; a step that would
// carry t past the next breakpoint of the programme is shortened to end on it (root of the step's
// dense output). The variance is carried as V = tau2/(1 + k)^2. Returns the largest status code.

// plan layout (f64 indices; see the twin)
const P_LENGTH = 0;
const P_RADIUS = 1;
const P_FILM = 2;
const P_CONTROL = 3;
const P_U0 = 4;
const P_P0 = 5;
const P_PL = 6;
const P_FLOW_FACTOR = 7;
const P_ETA0 = 8;
const P_T0 = 9;
const P_XI0 = 10;
const P_XI1 = 11;
const P_RTOL = 12;
const P_TIME_SCALE = 13;
const P_MAX_STEPS = 14;
const P_MAX_TIME = 15;
const P_BREAKPOINTS = 16;
const P_OUTLET_COORDINATE = 17;
const PLAN_HEADER = 20;

const CONTROL_PRESSURE = 0;
const CONTROL_FLOW = 1;
const CONTROL_VELOCITY_VARIABLE = 2;

const ANALYTE_STRIDE = 12;
const DESORPTION_FILM = 1;
const OUT_STRIDE = 8;

const MIGRATION_ELUTED = 0;
const MIGRATION_AFTER_PROGRAM = 1;
const MIGRATION_STEP_LIMIT = 2;
const MIGRATION_NOT_ELUTED = 3;

const C2: f64 = 1.0 / 5.0, C3: f64 = 3.0 / 10.0, C4: f64 = 4.0 / 5.0, C5: f64 = 8.0 / 9.0;
const A21: f64 = 1.0 / 5.0;
const A31: f64 = 3.0 / 40.0, A32: f64 = 9.0 / 40.0;
const A41: f64 = 44.0 / 45.0, A42: f64 = -56.0 / 15.0, A43: f64 = 32.0 / 9.0;
const A51: f64 = 19372.0 / 6561.0, A52: f64 = -25360.0 / 2187.0, A53: f64 = 64448.0 / 6561.0, A54: f64 = -212.0 / 729.0;
const A61: f64 = 9017.0 / 3168.0, A62: f64 = -355.0 / 33.0, A63: f64 = 46732.0 / 5247.0, A64: f64 = 49.0 / 176.0,
  A65: f64 = -5103.0 / 18656.0;
const A71: f64 = 35.0 / 384.0, A73: f64 = 500.0 / 1113.0, A74: f64 = 125.0 / 192.0, A75: f64 = -2187.0 / 6784.0,
  A76: f64 = 11.0 / 84.0;
const E1: f64 = 71.0 / 57600.0, E3: f64 = -71.0 / 16695.0, E4: f64 = 71.0 / 1920.0, E5: f64 = -17253.0 / 339200.0,
  E6: f64 = 22.0 / 525.0, E7: f64 = -1.0 / 40.0;
const D1: f64 = -12715105075.0 / 11282082432.0, D3: f64 = 87487479700.0 / 32700410799.0,
  D4: f64 = -10690763975.0 / 1880347072.0, D5: f64 = 701980252875.0 / 199316789632.0,
  D6: f64 = -1453857185.0 / 822651844.0, D7: f64 = 69997945.0 / 29380423.0;

// the column and carrier (set per call)
let L: f64 = 0, film: f64 = 0, control: i32 = 0, u0: f64 = 0, vp0: f64 = 0, vpL: f64 = 0, G: f64 = 0;
let eta0: f64 = 0, visT0: f64 = 0, xi0: f64 = 0, xi1: f64 = 0, lnT0: f64 = 0, poiseuille: f64 = 0, radialFactor: f64 = 0;
let planPtr: usize = 0, nb: i32 = 0, stretched: bool = false;
// the piece of the programme
let seg: i32 = 0, segStart: f64 = 0, segEnd: f64 = 0, segT: f64 = 0, segTs: f64 = 0, segA: f64 = 0, segAs: f64 = 0,
  segP: f64 = 0, segPs: f64 = 0;
// the analyte
let ra: f64 = 0, rb: f64 = 0, rc: f64 = 0, desorption: i32 = 0, d1: f64 = 0, d2: f64 = 0, diffusion: f64 = 0,
  exponent: f64 = 0, radial: bool = false;
// the right-hand side's results
let fr: f64 = 0, fv: f64 = 0, fk: f64 = 0;
let evaluations: i32 = 0;

// @ts-ignore: decorator
@inline
function at(i: i32): f64 {
  return load<f64>(planPtr + (<usize>i << 3));
}

function setPiece(j: i32): void {
  seg = j;
  const TIMES = PLAN_HEADER, TEMPS = PLAN_HEADER + nb, MAINS = PLAN_HEADER + 2 * nb, OUTS = PLAN_HEADER + 3 * nb;
  if (j < 0) {
    segStart = at(TIMES);
    segEnd = nb > 0 ? at(TIMES) : Infinity;
    segT = at(TEMPS); segA = at(MAINS); segP = at(OUTS);
    segTs = 0; segAs = 0; segPs = 0;
  } else if (j >= nb - 1) {
    segStart = at(TIMES + nb - 1);
    segEnd = Infinity;
    segT = at(TEMPS + nb - 1); segA = at(MAINS + nb - 1); segP = at(OUTS + nb - 1);
    segTs = 0; segAs = 0; segPs = 0;
  } else {
    segStart = at(TIMES + j);
    segEnd = at(TIMES + j + 1);
    const w = 1 / (segEnd - segStart);
    segT = at(TEMPS + j); segTs = (at(TEMPS + j + 1) - segT) * w;
    segA = at(MAINS + j); segAs = (at(MAINS + j + 1) - segA) * w;
    segP = at(OUTS + j); segPs = (at(OUTS + j + 1) - segP) * w;
  }
}

/** r = dt/dz, dV/dz and k at (z, t, V) on the current piece (the twin's rhs, operation for operation). */
function rhs(sv: f64, t: f64, vv: f64): void {
  evaluations++;
  const z = stretched ? L * sv * (2 - sv) : sv;
  const dzds = stretched ? 2 * L * (1 - sv) : 1.0;
  const s = t - segStart;
  const T = segT + segTs * s;
  const lnT = Math.log(T);
  const iT = 1 / T;
  let w: f64, dlnw: f64, q: f64;
  const dm = diffusion > 0 ? diffusion * (exponent == 0 ? 1.0 : Math.exp(exponent * lnT)) : 0.0;
  if (control <= CONTROL_FLOW) {
    const lnr = lnT - lnT0;
    const e = xi0 + xi1 * (T / visT0 - 1);
    const eta = eta0 * Math.exp(e * lnr);
    const dlnEta = (xi1 / visT0) * lnr + e * iT;
    const pL = segP + segPs * s;
    const pL2 = pL * pL;
    const dpL2 = 2 * pL * segPs;
    let p02: f64, dp02: f64;
    if (control == CONTROL_PRESSURE) {
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
    const dlnp = p2 > 0 ? (0.5 * dp2) / p2 : (0.5 * dp02) / p02;
    dlnw = dlnEta * segTs + dlnp - (dp02 - dpL2) / delta;
  } else if (control == CONTROL_VELOCITY_VARIABLE) {
    const p02 = vp0 * vp0;
    let p2 = p02 - (p02 - vpL * vpL) * (z / L);
    if (p2 < 0) p2 = 0;
    const a = 1 / (u0 * vp0);
    w = a * Math.sqrt(p2);
    q = dm * a;
    dlnw = 0;
  } else {
    w = 1 / u0;
    q = (dm / vp0) * w;
    dlnw = 0;
  }
  const k = Math.exp(ra + rb * iT + rc * lnT);
  const k1 = 1 + k;
  const r = k1 * w;
  let hr2: f64 = 0;
  if (q > 0) {
    let gas = 2 * q;
    if (radial) gas += (radialFactor * (1 + 6 * k + 11 * k * k)) / (k1 * k1 * q);
    hr2 = gas * k1 * k1 * w * w;
  }
  if (desorption == DESORPTION_FILM) {
    if (q > 0) hr2 += (2 * k * d1 * film * film * w * w) / (3 * q);
  } else {
    hr2 += (2 * k * w) / Math.exp(d1 + d2 * iT);
  }
  fr = r * dzds;
  fk = k;
  fv = (hr2 / (k1 * k1) + 2 * vv * r * dlnw) * dzds;
}

/**
 * Integrates n analytes (records at `analytes`) through the column of `plan`, writing n result
 * records at `out`. Returns the largest status code (0 eluted, 1 after the programme, 2 step
 * limit, 3 not eluted).
 */
export function migrate(plan: usize, analytes: usize, n: i32, out: usize): i32 {
  planPtr = plan;
  L = at(P_LENGTH);
  const radius = at(P_RADIUS);
  film = at(P_FILM);
  control = <i32>at(P_CONTROL);
  u0 = at(P_U0);
  vp0 = at(P_P0);
  vpL = at(P_PL);
  G = at(P_FLOW_FACTOR);
  eta0 = at(P_ETA0);
  visT0 = at(P_T0);
  xi0 = at(P_XI0);
  xi1 = at(P_XI1);
  lnT0 = Math.log(visT0);
  const rtol = at(P_RTOL);
  const atolT = rtol * at(P_TIME_SCALE);
  const atolV = rtol * (1e-6 * at(P_TIME_SCALE)) * (1e-6 * at(P_TIME_SCALE));
  const maxSteps = at(P_MAX_STEPS);
  const maxTime = at(P_MAX_TIME);
  nb = <i32>at(P_BREAKPOINTS);
  stretched = at(P_OUTLET_COORDINATE) != 0;
  const sEnd = stretched ? 1.0 : L;
  poiseuille = (16 * L) / (radius * radius);
  radialFactor = (4 * radius * radius) / 96;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const rec = analytes + ((<usize>i * ANALYTE_STRIDE) << 3);
    ra = load<f64>(rec); rb = load<f64>(rec, 8); rc = load<f64>(rec, 16);
    desorption = <i32>load<f64>(rec, 24);
    d1 = load<f64>(rec, 32); d2 = load<f64>(rec, 40);
    diffusion = load<f64>(rec, 48); exponent = load<f64>(rec, 56);
    radial = load<f64>(rec, 64) != 0;
    let t = load<f64>(rec, 72);
    let v: f64 = 0;
    let z: f64 = 0;
    evaluations = 0;
    let j = -1;
    while (j < nb - 1 && at(PLAN_HEADER + j + 1) <= t) j++;
    setPiece(j);
    rhs(z, t, v);
    v = load<f64>(rec, 80) / ((1 + fk) * (1 + fk));
    rhs(z, t, v);
    let kr1 = fr, kv1 = fv;
    let h = 0.1 * sEnd * Math.pow(rtol, 0.2);
    let steps = 0, rejected = 0;
    let status = MIGRATION_ELUTED;
    let landing = false;
    let lastRejected = false;
    if (!(isFinite<f64>(kr1) && isFinite<f64>(kv1))) status = MIGRATION_NOT_ELUTED;
    while (status == MIGRATION_ELUTED && z < sEnd) {
      if (<f64>steps >= maxSteps) {
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
        rejected++;
        h *= err == err ? Math.max(0.2, 0.9 * Math.pow(err, -0.2)) : 0.2;
        landing = false;
        lastRejected = true;
        if (<f64>rejected > maxSteps) {
          status = MIGRATION_STEP_LIMIT;
          break;
        }
        continue;
      }
      if (!landing && tNew > segEnd) {
        const dt = tNew - t;
        const b3 = h * kr1 - dt;
        const b4 = dt - h * kr7 - b3;
        const b5 = h * (D1 * kr1 + D3 * kr3 + D4 * kr4 + D5 * kr5 + D6 * kr6 + D7 * kr7);
        let lo: f64 = 0, hi: f64 = 1;
        let flo = t - segEnd, fhi = tNew - segEnd;
        let theta: f64 = 1;
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
          if (f == 0) break;
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
        setPiece(seg + 1);
        rhs(z, t, v);
        kr1 = fr;
        kv1 = fv;
        landing = false;
      }
      if (!(t <= maxTime) || !isFinite<f64>(kr1) || !isFinite<f64>(kv1)) {
        if (z < sEnd || !(t <= maxTime)) status = MIGRATION_NOT_ELUTED;
        break;
      }
      const grow = err > 0 ? 0.9 * Math.pow(err, -0.2) : 5.0;
      h *= Math.min(lastRejected ? 1.0 : 5.0, Math.max(0.2, grow));
      lastRejected = false;
    }
    rhs(z, t, v);
    const tau2 = v * (1 + fk) * (1 + fk);
    if (status == MIGRATION_ELUTED && nb > 1 && t > at(PLAN_HEADER + nb - 1)) status = MIGRATION_AFTER_PROGRAM;
    const o = out + ((<usize>i * OUT_STRIDE) << 3);
    store<f64>(o, t);
    store<f64>(o, tau2, 8);
    store<f64>(o, stretched ? (z >= 1 ? L : L * z * (2 - z)) : z, 16);
    store<f64>(o, <f64>steps, 24);
    store<f64>(o, <f64>rejected, 32);
    store<f64>(o, <f64>evaluations, 40);
    store<f64>(o, <f64>status, 48);
    if (status > worst) worst = status;
  }
  return worst;
}
