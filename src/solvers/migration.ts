/**
 * Retention times and peak widths under a temperature (and pressure or flow) programme from the
 * migration equation and its variance equation (MODEL.md §8.6), integrated along the column with
 * error control by the wasm kernel (default) or its plain-TypeScript twin:
 *
 *   dt/dz = r = (1 + k(T(t))) / u(z, t),   dtau2/dz = H r^2 + 2 tau2 dr/dt
 *
 * problem (RunConditions, src/model/conditions.ts) -> migrate(conditions, options) -> result
 * (per analyte retention time, sigma, status, steps; overall status; cost).
 */
import {
  holdupTimeAt, scheduleAt, type AnalyteConditions, type RunConditions, type Schedule,
} from '../model/conditions.js';
import {
  A_A, A_B, A_C, A_D1, A_D2, A_DESORPTION, A_DIFFUSION, A_EXPONENT, A_RADIAL, A_T0, A_TAU2, ANALYTE_STRIDE,
  CONTROL_FLOW, CONTROL_PRESSURE, CONTROL_VELOCITY_CONSTANT, CONTROL_VELOCITY_VARIABLE, DESORPTION_ARRHENIUS,
  DESORPTION_FILM,
  O_EVALUATIONS, O_POSITION, O_REJECTED, O_STATUS, O_STEPS, O_TAU2, O_TIME, OUT_STRIDE, P_BREAKPOINTS,
  P_CONTROL, P_ETA0, P_FILM, P_FLOW_FACTOR, P_LENGTH, P_MAX_STEPS, P_MAX_TIME, P_P0, P_PL, P_RADIUS, P_RTOL,
  P_OUTLET_COORDINATE, P_T0, P_TIME_SCALE, P_U0, P_XI0, P_XI1, PLAN_HEADER,
} from '../engine/kernels/migration.js';
import { selectKernels } from '../engine/wasm.js';
import { jsMigrationKernels, type MigrationKernels } from '../engine/kernels/index.js';
import { number, ProblemError, ProblemTypeError, solverOptions } from '../model/problem.js';
import { status, type SolveCost, type Status, type StatusCode } from './status.js';


/** Default relative tolerance of a step: retention times and widths to about 1e-10 relative. */
export const MIGRATION_DEFAULT_RTOL = 1e-10;
/** Default largest number of accepted steps per analyte. */
export const MIGRATION_DEFAULT_MAX_STEPS = 100000;

export interface MigrationOptions {
  /** Kernels to run: 'wasm' (default), 'js' (the plain-TypeScript twin) or a kernel object. */
  engine?: 'wasm' | 'js' | MigrationKernels;
  /** Relative tolerance of each step (default 1e-10, from 1e-14 to 1e-3). */
  rtol?: number;
  /** Largest number of accepted steps per analyte (default 100000). */
  maxSteps?: number;
  /** Largest retention time (s) accepted; an analyte still in the column then is 'not-eluted' (default: none). */
  maxTime?: number;
}

export interface MigrationAnalyte {
  name: string;
  /** Mean arrival time at the outlet (s); with a status other than eluted, the time at `position`. */
  retentionTime: number;
  /** Standard deviation of the arrival time (s), the peak width in time; likewise. */
  sigma: number;
  /** Position reached (m): the column length when eluted. */
  position: number;
  status: Status;
  /** Accepted steps. */
  steps: number;
  /** Rejected trial steps (error too large, or shortened to end on a breakpoint of the programme). */
  rejected: number;
  /** Evaluations of the right-hand side. */
  evaluations: number;
}

export interface MigrationResult {
  method: 'migration';
  analytes: MigrationAnalyte[];
  /** 'eluted' when every analyte eluted within the programme, else the first other status. */
  status: Status;
  /** Relative tolerance used. */
  rtol: number;
  cost: SolveCost & { steps: number; rejected: number };
}

const CODES: StatusCode[] = ['eluted', 'eluted-after-program', 'step-limit', 'not-eluted'];

/** Retention times and peak widths of every analyte of `conditions` (MODEL.md §8.6). */
export function migrate(conditions: RunConditions, options?: MigrationOptions): MigrationResult {
  const opts = solverOptions(options);
  const rtol = opts.rtol === undefined ? MIGRATION_DEFAULT_RTOL
    : number(opts.rtol, 'options.rtol', { atLeast: 1e-14, below: 1e-3 + 1e-18 });
  const maxSteps = opts.maxSteps === undefined ? MIGRATION_DEFAULT_MAX_STEPS
    : number(opts.maxSteps, 'options.maxSteps', { integer: true, atLeast: 1, below: 1e9 });
  const maxTime = opts.maxTime === undefined ? Infinity : number(opts.maxTime, 'options.maxTime', { above: 0, unit: 's' });
  const kernels = selectKernels<MigrationKernels>(opts.engine, jsMigrationKernels);
  const plan = packPlan(conditions, rtol, maxSteps, maxTime);
  const records = packAnalytes(conditions);
  const n = conditions.analytes.length;
  const out = new Float64Array(n * OUT_STRIDE);
  const started = performance.now();
  kernels.migrate(plan, records, n, out);
  const wallTimeMs = performance.now() - started;
  let steps = 0, rejected = 0, evaluations = 0;
  let overall: StatusCode = 'eluted';
  const analytes = conditions.analytes.map((a, i): MigrationAnalyte => {
    const o = i * OUT_STRIDE;
    const code = CODES[out[o + O_STATUS]] ?? 'not-eluted';
    if (CODES.indexOf(code) > CODES.indexOf(overall)) overall = code;
    steps += out[o + O_STEPS];
    rejected += out[o + O_REJECTED];
    evaluations += out[o + O_EVALUATIONS];
    const time = out[o + O_TIME];
    const position = out[o + O_POSITION];
    const detail = code === 'eluted' ? undefined
      : `${a.name} at ${fmt(position)} m of ${fmt(conditions.length)} m, t = ${fmt(time)} s`;
    return {
      name: a.name,
      retentionTime: time,
      sigma: Math.sqrt(Math.max(0, out[o + O_TAU2])),
      position,
      status: status(code, detail),
      steps: out[o + O_STEPS],
      rejected: out[o + O_REJECTED],
      evaluations: out[o + O_EVALUATIONS],
    };
  });
  const firstOther = analytes.find((a) => a.status.code === overall && overall !== 'eluted');
  return {
    method: 'migration',
    analytes,
    status: firstOther ? firstOther.status : status('eluted'),
    rtol,
    cost: { engine: kernels.name, evaluations, steps, rejected, wallTimeMs },
  };
}

function fmt(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(6))) : String(x);
}

/** A schedule: Float64Arrays of equal length >= 1, strictly increasing finite times, values in range. */
function checkSchedule(s: Schedule, path: string, rule: { above?: number; atLeast?: number; unit: string }): void {
  if (!(s?.times instanceof Float64Array) || !(s?.values instanceof Float64Array)) {
    throw new ProblemTypeError(path, 'must have times and values as Float64Arrays');
  }
  if (s.times.length < 1 || s.values.length !== s.times.length) {
    throw new ProblemError(path, `must have at least one breakpoint and as many values as times, got ${s.times.length} times and ${s.values.length} values`);
  }
  for (let i = 0; i < s.times.length; i++) {
    number(s.times[i], `${path}.times[${i}]`, { unit: 's' });
    if (i > 0 && !(s.times[i] > s.times[i - 1])) {
      throw new ProblemError(`${path}.times[${i}]`, `must be greater than the time before it (${s.times[i - 1]} s), got ${s.times[i]}`);
    }
    number(s.values[i], `${path}.values[${i}]`, rule);
  }
}

/** The merged breakpoints of the schedules (sorted union of their times). */
function mergedTimes(schedules: Schedule[]): number[] {
  const all = schedules.flatMap((s) => Array.from(s.times)).sort((a, b) => a - b);
  return all.filter((t, i) => i === 0 || t > all[i - 1]);
}

/** Checks `c` and packs it (with the options) into the kernel's plan (layout: kernels/migration.ts). */
export function packPlan(c: RunConditions, rtol: number, maxSteps: number, maxTime: number): Float64Array {
  if (typeof c !== 'object' || c === null) throw new ProblemTypeError('conditions', 'must be a RunConditions object');
  const L = number(c.length, 'conditions.length', { above: 0, unit: 'm' });
  const R = number(c.radius, 'conditions.radius', { above: 0, unit: 'm' });
  number(c.filmThickness, 'conditions.filmThickness', { atLeast: 0, unit: 'm' });
  checkSchedule(c.temperature, 'conditions.temperature', { above: 0, unit: 'K' });
  const v = c.gas?.viscosity;
  if (typeof v !== 'object' || v === null) throw new ProblemTypeError('conditions.gas.viscosity', 'must be an object');
  number(v.eta0, 'conditions.gas.viscosity.eta0', { above: 0, unit: 'Pa s' });
  number(v.T0, 'conditions.gas.viscosity.T0', { above: 0, unit: 'K' });
  number(v.xi0, 'conditions.gas.viscosity.xi0', {});
  number(v.xi1, 'conditions.gas.viscosity.xi1', {});
  number(c.injection?.duration, 'conditions.injection.duration', { atLeast: 0, unit: 's' });
  const k = c.control;
  let schedules: Schedule[];
  let main: Schedule | null = null;
  let outlet: Schedule | null = null;
  if (k?.kind === 'pressure') {
    checkSchedule(k.inlet, 'conditions.control.inlet', { above: 0, unit: 'Pa' });
    checkSchedule(k.outlet, 'conditions.control.outlet', { atLeast: 0, unit: 'Pa' });
    main = k.inlet;
    outlet = k.outlet;
    schedules = [c.temperature, k.inlet, k.outlet];
  } else if (k?.kind === 'flow') {
    checkSchedule(k.flow, 'conditions.control.flow', { above: 0, unit: 'm3/s' });
    checkSchedule(k.outlet, 'conditions.control.outlet', { atLeast: 0, unit: 'Pa' });
    number(k.referenceTemperature, 'conditions.control.referenceTemperature', { above: 0, unit: 'K' });
    number(k.referencePressure, 'conditions.control.referencePressure', { above: 0, unit: 'Pa' });
    main = k.flow;
    outlet = k.outlet;
    schedules = [c.temperature, k.flow, k.outlet];
  } else if (k?.kind === 'velocity') {
    number(k.inletVelocity, 'conditions.control.inletVelocity', { above: 0, unit: 'm/s' });
    const p0 = number(k.inletPressure, 'conditions.control.inletPressure', { above: 0, unit: 'Pa' });
    number(k.outletPressure, 'conditions.control.outletPressure', { above: 0, below: p0, unit: 'Pa (below the inlet pressure)' });
    if (k.profile !== 'variable' && k.profile !== 'constant') {
      throw new ProblemError('conditions.control.profile', `must be "variable" or "constant", got ${String(k.profile)}`);
    }
    schedules = [c.temperature];
  } else {
    throw new ProblemError('conditions.control.kind', `must be "pressure", "flow" or "velocity", got ${String((k as { kind?: unknown })?.kind)}`);
  }
  const times = mergedTimes(schedules);
  const nb = times.length;
  const plan = new Float64Array(PLAN_HEADER + 4 * nb);
  plan[P_LENGTH] = L;
  plan[P_RADIUS] = R;
  plan[P_FILM] = c.filmThickness;
  plan[P_ETA0] = v.eta0;
  plan[P_T0] = v.T0;
  plan[P_XI0] = v.xi0;
  plan[P_XI1] = v.xi1;
  plan[P_RTOL] = rtol;
  plan[P_MAX_STEPS] = maxSteps;
  plan[P_MAX_TIME] = maxTime;
  plan[P_BREAKPOINTS] = nb;
  // a vacuum outlet at some time: integrate in xi = 1 - sqrt(1 - z/L), smooth where p -> 0
  plan[P_OUTLET_COORDINATE] = outlet && outlet.values.some((p) => p === 0) ? 1 : 0;
  for (let i = 0; i < nb; i++) {
    const t = times[i];
    plan[PLAN_HEADER + i] = t;
    plan[PLAN_HEADER + nb + i] = scheduleAt(c.temperature, t);
    plan[PLAN_HEADER + 2 * nb + i] = main ? scheduleAt(main, t) : 0;
    plan[PLAN_HEADER + 3 * nb + i] = outlet ? scheduleAt(outlet, t) : 0;
  }
  if (k.kind === 'velocity') {
    plan[P_CONTROL] = k.profile === 'variable' ? CONTROL_VELOCITY_VARIABLE : CONTROL_VELOCITY_CONSTANT;
    plan[P_U0] = k.inletVelocity;
    plan[P_P0] = k.inletPressure;
    plan[P_PL] = k.outletPressure;
  } else {
    plan[P_CONTROL] = k.kind === 'pressure' ? CONTROL_PRESSURE : CONTROL_FLOW;
    if (k.kind === 'flow') plan[P_FLOW_FACTOR] = (16 * L * k.referencePressure) / (Math.PI * R ** 4 * k.referenceTemperature);
    if (k.kind === 'pressure') {
      // the inlet above the outlet at every breakpoint, hence (both linear between) at all times
      for (let i = 0; i < nb; i++) {
        const p0 = plan[PLAN_HEADER + 2 * nb + i];
        const pL = plan[PLAN_HEADER + 3 * nb + i];
        if (!(p0 > pL)) {
          throw new ProblemError('conditions.control.inlet',
            `must be above the outlet pressure at every time; at t = ${times[i]} s the inlet is ${p0} Pa and the outlet ${pL} Pa`);
        }
      }
    }
  }
  const scale = holdupTimeAt(c, times[0]);
  if (!(scale > 0 && Number.isFinite(scale))) {
    throw new ProblemError('conditions', `give a hold-up time that is a positive number at t = ${times[0]} s, got ${scale}`);
  }
  plan[P_TIME_SCALE] = scale;
  return plan;
}

/** Checks each analyte and packs the records of the kernel (layout: kernels/migration.ts). */
export function packAnalytes(c: RunConditions): Float64Array {
  if (!Array.isArray(c.analytes)) throw new ProblemTypeError('conditions.analytes', 'must be an array');
  const t1 = c.injection.duration;
  const records = new Float64Array(c.analytes.length * ANALYTE_STRIDE);
  c.analytes.forEach((a: AnalyteConditions, i) => {
    const path = `conditions.analytes[${i}]`;
    const o = i * ANALYTE_STRIDE;
    records[o + A_A] = number(a?.retention?.a, `${path}.retention.a`, {});
    records[o + A_B] = number(a.retention.b, `${path}.retention.b`, { unit: 'K' });
    records[o + A_C] = number(a.retention.c, `${path}.retention.c`, {});
    if (a.diffusion !== undefined) {
      records[o + A_DIFFUSION] = number(a.diffusion.coefficient, `${path}.diffusion.coefficient`, { above: 0 });
      records[o + A_EXPONENT] = number(a.diffusion.exponent, `${path}.diffusion.exponent`, {});
    }
    const d = a.desorption;
    if (d?.kind === 'arrhenius') {
      records[o + A_DESORPTION] = DESORPTION_ARRHENIUS;
      records[o + A_D1] = number(d.a, `${path}.desorption.a`, {});
      records[o + A_D2] = number(d.b, `${path}.desorption.b`, { unit: 'K' });
    } else if (d?.kind === 'film') {
      records[o + A_DESORPTION] = DESORPTION_FILM;
      records[o + A_D1] = number(d.ratio, `${path}.desorption.ratio`, { above: 0 });
      if (a.diffusion === undefined) {
        throw new ProblemError(`${path}.desorption`, 'film desorption (k_d = 3 D_S/delta^2) needs the analyte\'s diffusion');
      }
      if (!(c.filmThickness > 0)) {
        throw new ProblemError('conditions.filmThickness', `film desorption needs a film thicker than 0 m, got ${c.filmThickness}`);
      }
    } else {
      throw new ProblemError(`${path}.desorption.kind`, `must be "arrhenius" or "film", got ${String((d as { kind?: unknown })?.kind)}`);
    }
    if (typeof a.radialDispersion !== 'boolean') {
      throw new ProblemTypeError(`${path}.radialDispersion`, `must be true or false, got ${String(a.radialDispersion)}`);
    }
    if (a.radialDispersion && a.diffusion === undefined) {
      throw new ProblemError(`${path}.radialDispersion`, 'the radial term (d^2/96)(1 + 6k + 11k^2)/(1 + k)^2 u/D_M needs the analyte\'s diffusion');
    }
    records[o + A_RADIAL] = a.radialDispersion ? 1 : 0;
    // the rectangular pulse's mean and variance: exact starting moments under constant conditions
    records[o + A_T0] = t1 / 2;
    records[o + A_TAU2] = (t1 * t1) / 12;
  });
  return records;
}

