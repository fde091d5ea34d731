/**
 * Problem JSON -> RunConditions (CONFIG.md "Run conditions", MODEL.md §8). Two forms are read:
 *
 * * the paper's problem (`column` with inletPressure, outletPressure, inletVelocity; analytes with
 *   ka, kd): isothermal, the `velocity` control, constant k and k_d; it keeps its meaning exactly;
 * * the run form: `column` geometry only, `carrier` (gas; pressure or flow control), `oven` (a
 *   program) and per analyte `retention`, `desorption`, `diffusion`, `radialDispersion`.
 *
 * A run that is isothermal with constant pressures and constant k_d is also given as a problem of
 * the paper's model (`RunProblem.problem`), so the Laplace and finite-difference solvers of the
 * paper's model serve it unchanged.
 */
import {
  diffusivityAt, desorptionRateAt, holdupTimeAt, inletPressureAt, outletPressureAt, retentionFactorAt, scheduleAt,
  temperatureAt, velocityAt, viscosityAt,
  type AnalyteConditions, type CarrierControl, type CarrierGas, type Desorption, type RunConditions, type Schedule,
} from './conditions.js';
import { ATMOSPHERE, carrierGas, constantViscosity, formulaProperties, fullerCoefficient, FULLER_EXPONENT, GAS_NAMES, isGasName } from './gases.js';
import { phaseRatio } from './flow.js';
import {
  number, object, onlyKeys, own, parseAnalyte, parseOutput, parseProblem, ProblemError, ProblemTypeError, required, show,
  type Json, type OutputGrid, type Problem,
} from './problem.js';
import { constantSchedule, ovenSchedule, positiveQuantity, quantitySchedule, type Quantity } from './program.js';
import {
  arrheniusDesorption, constantDesorption, dimensionlessFilmThickness, filmDesorption,
  kCentricRetention, maxLogOver, vantHoffRetention, type RetentionCoefficients,
} from './retention.js';

/** Reference conditions of a column flow: 25 °C and one standard atmosphere, as GC software states flows. */
export const FLOW_REFERENCE = { temperature: 298.15, pressure: ATMOSPHERE } as const;

/** 1 mL/min in m3/s. */
export const ML_PER_MIN = 1e-6 / 60;

/** Temperature (K) given to a paper-form problem that states none (it is informational there). */
export const DEFAULT_TEMPERATURE = 298.15;

/** Largest |ln k| and |ln k_d| accepted over the oven's temperatures: exp stays finite. */
const MAX_LOG = 700;

/** A validated problem of either form: its run conditions and what the solvers need beside them. */
export interface RunProblem {
  /** 'paper': the paper's keys (column.inletVelocity, ka, kd); 'run': carrier/oven keys. */
  readonly form: 'paper' | 'run';
  readonly conditions: RunConditions;
  /** The output grid when given (a paper-form problem always has one, defaulted as parseProblem does). */
  readonly output?: OutputGrid;
  readonly detector?: { readonly baseline: number };
  /**
   * The same run as a problem of the paper's model, when it is one: isothermal, constant inlet and
   * outlet pressure (outlet > 0), constant k_d (not `film`), no radial term. Undefined otherwise.
   */
  readonly problem?: Problem;
}

/** True when `input` is written in the run form (has `carrier` or `oven`). */
export function isRunForm(input: unknown): boolean {
  return typeof input === 'object' && input !== null && !Array.isArray(input) &&
    (Object.hasOwn(input, 'carrier') || Object.hasOwn(input, 'oven'));
}

/**
 * Validates a problem of either form (CONFIG.md) and returns its run conditions. Throws
 * ProblemError / ProblemTypeError naming the key, the value and what is allowed.
 */
export function parseRunProblem(input: unknown): RunProblem {
  if (!isRunForm(input)) {
    const problem = parseProblem(input);
    return own({ form: 'paper' as const, conditions: runConditions(problem), output: problem.output,
      detector: problem.detector, problem });
  }
  const p = object(input, 'problem');
  onlyKeys(p, '', ['column', 'carrier', 'oven', 'injection', 'analytes', 'detector', 'output']);
  const col = object(required(p, 'column', 'problem'), 'column');
  for (const key of ['inletPressure', 'outletPressure', 'inletVelocity', 'viscosity', 'temperature', 'velocity']) {
    if (col[key] !== undefined) {
      throw new ProblemError(`column.${key}`, `belongs to the paper's form; with carrier and oven the column is ` +
        'length, radius, filmThickness (pressures and viscosity go in carrier, the temperature in oven)');
    }
  }
  onlyKeys(col, 'column', ['length', 'radius', 'filmThickness']);
  const pos = (o: Json, key: string, path: string, unit: string) => number(required(o, key, path), `${path}.${key}`, { above: 0, unit });
  const length = pos(col, 'length', 'column', 'm');
  const radius = pos(col, 'radius', 'column', 'm');
  const filmThickness = pos(col, 'filmThickness', 'column', 'm');
  if (filmThickness >= radius) {
    throw new ProblemError('column.filmThickness', `must be < column.radius (${radius} m), got ${filmThickness}`);
  }
  const temperature = ovenSchedule(required(p, 'oven', 'problem'), 'oven');
  const { gas, control } = parseCarrier(required(p, 'carrier', 'problem'));
  const inj = object(required(p, 'injection', 'problem'), 'injection');
  onlyKeys(inj, 'injection', ['duration']);
  const injection = { duration: pos(inj, 'duration', 'injection', 's') };
  const list = required(p, 'analytes', 'problem');
  if (!Array.isArray(list) || list.length === 0) {
    throw new ProblemError('analytes', `must be a non-empty array of analytes, got ${show(list)}`);
  }
  const geometry = { length, radius, filmThickness };
  const context: AnalyteContext = { ...geometry, gas, control, temperature };
  const analytes = Array.from(list, (a, i) => parseRunAnalyte(a, i, context));
  const seen = new Set<string>();
  analytes.forEach((a, i) => {
    if (seen.has(a.name)) throw new ProblemError(`analytes[${i}].name`, `duplicate name ${show(a.name)}`);
    seen.add(a.name);
  });
  const conditions: RunConditions = { ...geometry, temperature, gas, control, injection, analytes };
  checkFlow(conditions);
  let detector: { baseline: number } | undefined;
  if (p.detector !== undefined) {
    const d = object(p.detector, 'detector');
    onlyKeys(d, 'detector', ['baseline']);
    detector = { baseline: number(required(d, 'baseline', 'detector'), 'detector.baseline', { unit: 'signal units' }) };
  }
  checkSizes(conditions, detector);
  const output = p.output === undefined ? undefined : parseOutput(p.output);
  const run: RunProblem = own({ form: 'run' as const, conditions, output, detector });
  const problem = paperProblem(conditions, output, detector);
  return problem === undefined ? run : own({ ...run, problem });
}

/** Pulse variance t1^2/12, peak areas c0 t1 and the detector signal must be finite (as for the paper's form). */
function checkSizes(c: RunConditions, detector: { baseline: number } | undefined): void {
  const t1 = c.injection.duration;
  if (!Number.isFinite(t1 * t1)) {
    throw new ProblemError('injection.duration', `gives a pulse variance duration^2/12 that overflows; must be below ` +
      `${Math.sqrt(Number.MAX_VALUE).toExponential(3)} s, got ${t1}`);
  }
  let signal = Math.abs(detector?.baseline ?? 0);
  c.analytes.forEach((a, i) => {
    if (!Number.isFinite(a.c0 * Math.max(t1, 1))) {
      throw new ProblemError(`analytes[${i}].c0`, `gives a peak area c0*duration that overflows, got ${a.c0}`);
    }
    signal += (a.response ?? 0) * a.c0;
    if (!Number.isFinite(signal)) {
      throw new ProblemError(`analytes[${i}].${a.response === undefined ? 'c0' : 'response'}`,
        `makes the detector signal baseline + sum response*c0 overflow (response ${a.response}, c0 ${a.c0})`);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// The carrier

const PRESSURE = positiveQuantity('Pa');
const OUTLET: Quantity = { unit: 'Pa', check: (v) => (v >= 0 ? undefined : 'must be >= 0 (0 is a vacuum)') };
const FLOW = positiveQuantity('m3/s');

function parseCarrier(value: unknown): { gas: CarrierGas; control: CarrierControl } {
  const c = object(value, 'carrier');
  onlyKeys(c, 'carrier', ['gas', 'viscosity', 'inletPressure', 'flow', 'pressureScale', 'outletPressure',
    'ambientPressure', 'flowReference']);
  let gas: CarrierGas | undefined;
  if (c.gas !== undefined) {
    if (!isGasName(c.gas)) {
      const Err = typeof c.gas === 'string' ? ProblemError : ProblemTypeError;
      throw new Err('carrier.gas', `must be one of ${GAS_NAMES.map((g) => `"${g}"`).join(', ')}, got ${show(c.gas)}`);
    }
    gas = carrierGas(c.gas);
  }
  if (c.viscosity !== undefined) {
    const viscosity = parseViscosity(c.viscosity);
    gas = gas === undefined ? { name: 'custom', viscosity } : { ...gas, viscosity };
  }
  if (gas === undefined) {
    throw new ProblemError('carrier.gas', `is required (${GAS_NAMES.join(', ')}) unless carrier.viscosity is given`);
  }
  const ambient = c.ambientPressure === undefined ? ATMOSPHERE
    : number(c.ambientPressure, 'carrier.ambientPressure', { above: 0, unit: 'Pa' });
  const scale = c.pressureScale ?? 'absolute';
  if (scale !== 'absolute' && scale !== 'gauge') {
    const Err = typeof scale === 'string' ? ProblemError : ProblemTypeError;
    throw new Err('carrier.pressureScale', `must be "absolute" or "gauge", got ${show(scale)}`);
  }
  const toAbsolute = scale === 'gauge' ? (v: number) => v + ambient : (v: number) => v;
  const o = c.outletPressure ?? 'atmospheric';
  const outlet = o === 'atmospheric' ? constantSchedule(ambient) : o === 'vacuum' ? constantSchedule(0)
    : typeof o === 'string'
      ? (() => { throw new ProblemError('carrier.outletPressure', `must be "atmospheric", "vacuum", a pressure (Pa) or a program, got ${show(o)}`); })()
      : quantitySchedule(o, 'carrier.outletPressure', OUTLET, toAbsolute);
  if ((c.inletPressure === undefined) === (c.flow === undefined)) {
    throw new ProblemError('carrier', c.flow === undefined
      ? 'needs inletPressure (pressure control) or flow (flow control, m3/s at flowReference)'
      : 'has both inletPressure and flow; give one (pressure control or flow control)');
  }
  if (c.inletPressure !== undefined) {
    if (c.flowReference !== undefined) {
      throw new ProblemError('carrier.flowReference', 'applies to flow control only (carrier.flow)');
    }
    const inlet = quantitySchedule(c.inletPressure, 'carrier.inletPressure', PRESSURE, toAbsolute);
    checkAbove(inlet, outlet);
    return { gas, control: { kind: 'pressure', inlet, outlet } };
  }
  const flow = quantitySchedule(c.flow, 'carrier.flow', FLOW);
  let referenceTemperature: number = FLOW_REFERENCE.temperature;
  let referencePressure: number = FLOW_REFERENCE.pressure;
  if (c.flowReference !== undefined) {
    const r = object(c.flowReference, 'carrier.flowReference');
    onlyKeys(r, 'carrier.flowReference', ['temperature', 'pressure']);
    if (r.temperature !== undefined) referenceTemperature = number(r.temperature, 'carrier.flowReference.temperature', { above: 0, unit: 'K' });
    if (r.pressure !== undefined) referencePressure = number(r.pressure, 'carrier.flowReference.pressure', { above: 0, unit: 'Pa' });
  }
  return { gas, control: { kind: 'flow', flow, outlet, referenceTemperature, referencePressure } };
}

function parseViscosity(value: unknown): CarrierGas['viscosity'] {
  if (typeof value === 'number') return constantViscosity(number(value, 'carrier.viscosity', { above: 0, unit: 'Pa s' }));
  const v = object(value, 'carrier.viscosity');
  onlyKeys(v, 'carrier.viscosity', ['eta0', 'T0', 'xi0', 'xi1']);
  return {
    eta0: number(required(v, 'eta0', 'carrier.viscosity'), 'carrier.viscosity.eta0', { above: 0, unit: 'Pa s' }),
    T0: number(required(v, 'T0', 'carrier.viscosity'), 'carrier.viscosity.T0', { above: 0, unit: 'K' }),
    xi0: v.xi0 === undefined ? 0 : number(v.xi0, 'carrier.viscosity.xi0', {}),
    xi1: v.xi1 === undefined ? 0 : number(v.xi1, 'carrier.viscosity.xi1', {}),
  };
}

/** The union of two schedules' breakpoint times: both are linear between them. */
function unionTimes(a: Schedule, b: Schedule): number[] {
  return [...new Set([...a.times, ...b.times])].sort((x, y) => x - y);
}

/** Inlet above outlet at every time; both are linear between the union of their breakpoints, so those suffice. */
function checkAbove(inlet: Schedule, outlet: Schedule): void {
  for (const t of unionTimes(inlet, outlet)) {
    const p0 = scheduleAt(inlet, t);
    const pL = scheduleAt(outlet, t);
    if (!(p0 > pL)) {
      throw new ProblemError('carrier.inletPressure', `is ${p0} Pa (absolute) at t = ${t} s, not above the outlet ` +
        `pressure ${pL} Pa; the inlet pressure must exceed the outlet pressure at every time`);
    }
  }
}

/**
 * The carrier flow must be finite at every time: the hold-up time and the inlet pressure are
 * evaluated at every breakpoint of the programs (between them they change monotonically with
 * the linear T and p, so extremes of these smooth functions lie at breakpoints or stay bounded).
 */
function checkFlow(c: RunConditions): void {
  const k = c.control;
  const schedules = [c.temperature, ...(k.kind === 'pressure' ? [k.inlet, k.outlet] : k.kind === 'flow' ? [k.flow, k.outlet] : [])];
  const times = [...new Set(schedules.flatMap((s) => Array.from(s.times)))];
  for (const t of times) {
    const p0 = inletPressureAt(c, t);
    const tM = holdupTimeAt(c, t);
    if (!(Number.isFinite(p0) && tM > 0 && Number.isFinite(tM))) {
      throw new ProblemError(k.kind === 'flow' ? 'carrier.flow' : 'carrier.inletPressure', `gives at t = ${t} s ` +
        `(T = ${temperatureAt(c, t)} K) an inlet pressure ${p0} Pa and a hold-up time ${tM} s; both must be finite and ` +
        `> 0 (check column.length, column.radius and carrier.viscosity too)`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Analytes

interface AnalyteContext {
  readonly length: number;
  readonly radius: number;
  readonly filmThickness: number;
  readonly gas: CarrierGas;
  readonly control: CarrierControl;
  readonly temperature: Schedule;
}

const KEYS = ['name', 'c0', 'response', 'ka', 'kd', 'retention', 'desorption', 'diffusion', 'diffusivity', 'radialDispersion'];

function parseRunAnalyte(value: unknown, i: number, ctx: AnalyteContext): AnalyteConditions {
  const path = `analytes[${i}]`;
  const a = object(value, path);
  onlyKeys(a, path, KEYS);
  // Name, c0 and response by the paper form's rules (ka, kd stand in when absent there).
  const base = parseAnalyte({ name: a.name, c0: a.c0, ka: 1, kd: 1, ...(a.response === undefined ? {} : { response: a.response }) }, i);
  const alpha = (2 * ctx.filmThickness) / ctx.radius;
  const phi = dimensionlessFilmThickness(ctx.radius, ctx.filmThickness);
  const Ts = Array.from(ctx.temperature.values);
  const Tmin = Math.min(...Ts);
  const Tmax = Math.max(...Ts);

  let retention: RetentionCoefficients;
  let desorption: Desorption | undefined;
  if (a.ka !== undefined || a.kd !== undefined) {
    for (const key of ['retention', 'desorption']) {
      if (a[key] !== undefined) {
        throw new ProblemError(`${path}.${key}`, 'cannot be given with ka and kd (constant k_a, k_d); give either ka and kd, ' +
          'or retention (and desorption)');
      }
    }
    const ka = number(required(a, 'ka', path), `${path}.ka`, { above: 0, unit: '1/s' });
    const kd = number(required(a, 'kd', path), `${path}.kd`, { above: 0, unit: '1/s' });
    retention = { a: Math.log((alpha * ka) / kd), b: 0, c: 0 };
    desorption = constantDesorption(kd);
  } else {
    retention = parseRetention(required(a, 'retention', path), `${path}.retention`, alpha, phi);
    if (a.desorption !== undefined) desorption = parseDesorption(a.desorption, `${path}.desorption`);
  }
  const logK = maxLogOver(retention, Tmin, Tmax);
  if (!(logK <= MAX_LOG)) {
    throw new ProblemError(`${path}.${a.retention === undefined ? 'ka' : 'retention'}`, `gives a retention factor ` +
      `k = e^${logK.toPrecision(4)} within the oven's ${Tmin}-${Tmax} K; ln k must stay <= ${MAX_LOG}`);
  }

  const diffusion = parseDiffusion(a, path, ctx);
  if (desorption === undefined) {
    if (diffusion === undefined) {
      throw new ProblemError(`${path}.desorption`, 'is required without diffusion: the default "film" takes k_d from ' +
        'the diffusivity (give diffusion, or desorption as { kd, referenceTemperature, activationEnergy })');
    }
    desorption = filmDesorption();
  }
  if (desorption.kind === 'film' && diffusion === undefined) {
    throw new ProblemError(`${path}.desorption`, '"film" takes k_d = 3 D_S/filmThickness^2 from the diffusivity; give diffusion');
  }
  if (desorption.kind === 'arrhenius') {
    const d = desorption;
    const lo = Math.min(d.a + d.b / Tmin, d.a + d.b / Tmax);
    const hi = Math.max(d.a + d.b / Tmin, d.a + d.b / Tmax);
    if (!(lo >= -MAX_LOG && hi <= MAX_LOG)) {
      throw new ProblemError(`${path}.${a.kd !== undefined ? 'kd' : 'desorption'}`, `gives ln k_d from ${lo.toPrecision(4)} ` +
        `to ${hi.toPrecision(4)} within the oven's ${Tmin}-${Tmax} K; it must stay within ±${MAX_LOG}`);
    }
  }
  // Default: Golay's full plate height (as GasChromatographySimulator.jl) with `diffusion`; the
  // paper's model (no radial term) with the paper's `diffusivity` or without diffusion.
  let radialDispersion = a.diffusion !== undefined;
  if (a.radialDispersion !== undefined) {
    if (typeof a.radialDispersion !== 'boolean') {
      throw new ProblemTypeError(`${path}.radialDispersion`, `must be true or false, got ${show(a.radialDispersion)}`);
    }
    radialDispersion = a.radialDispersion;
    if (radialDispersion && diffusion === undefined) {
      throw new ProblemError(`${path}.radialDispersion`, 'needs diffusion: Golay\'s radial term divides by D_M');
    }
  }
  const out: AnalyteConditions = { name: base.name, c0: base.c0, retention, desorption, radialDispersion };
  return {
    ...out,
    ...(base.response === undefined ? {} : { response: base.response }),
    ...(diffusion === undefined ? {} : { diffusion }),
  };
}

function parseRetention(value: unknown, path: string, alpha: number, phi: number): RetentionCoefficients {
  const r = object(value, path);
  if (r.Tchar !== undefined || r.thetaChar !== undefined || r.dCp !== undefined || r.phi0 !== undefined) {
    onlyKeys(r, path, ['Tchar', 'thetaChar', 'dCp', 'phi0']);
    return kCentricRetention({
      Tchar: number(required(r, 'Tchar', path), `${path}.Tchar`, { above: 0, unit: 'K' }),
      thetaChar: number(required(r, 'thetaChar', path), `${path}.thetaChar`, { above: 0, unit: 'K' }),
      dCp: number(required(r, 'dCp', path), `${path}.dCp`, { unit: 'J/(mol K)' }),
      phi0: number(required(r, 'phi0', path), `${path}.phi0`, { above: 0, below: 0.5, unit: 'film thickness/diameter' }),
    }, phi);
  }
  if (r.K !== undefined) {
    onlyKeys(r, path, ['K', 'referenceTemperature', 'enthalpy']);
    const K = number(r.K, `${path}.K`, { above: 0, unit: 'k_a/k_d' });
    const enthalpy = r.enthalpy === undefined ? 0 : number(r.enthalpy, `${path}.enthalpy`, { unit: 'J/mol' });
    const referenceTemperature = enthalpy === 0 && r.referenceTemperature === undefined ? 1
      : number(required(r, 'referenceTemperature', path), `${path}.referenceTemperature`, { above: 0, unit: 'K' });
    return vantHoffRetention({ K, referenceTemperature, enthalpy }, alpha);
  }
  throw new ProblemError(path, 'needs the K-centric parameters { Tchar, thetaChar, dCp, phi0 } or van \'t Hoff ' +
    '{ K, referenceTemperature, enthalpy }');
}

function parseDesorption(value: unknown, path: string): Desorption {
  if (value === 'film') return filmDesorption();
  if (typeof value === 'string') {
    throw new ProblemError(path, `must be "film", { filmRatio } or { kd, referenceTemperature, activationEnergy }, got ${show(value)}`);
  }
  const d = object(value, path);
  if (d.filmRatio !== undefined) {
    onlyKeys(d, path, ['filmRatio']);
    return filmDesorption(number(d.filmRatio, `${path}.filmRatio`, { above: 0, unit: 'D_M/D_S' }));
  }
  onlyKeys(d, path, ['kd', 'referenceTemperature', 'activationEnergy']);
  const kd = number(required(d, 'kd', path), `${path}.kd`, { above: 0, unit: '1/s' });
  const activationEnergy = d.activationEnergy === undefined ? 0
    : number(d.activationEnergy, `${path}.activationEnergy`, { unit: 'J/mol' });
  if (activationEnergy === 0 && d.referenceTemperature === undefined) return constantDesorption(kd);
  const referenceTemperature = number(required(d, 'referenceTemperature', path), `${path}.referenceTemperature`, { above: 0, unit: 'K' });
  return arrheniusDesorption({ kd, referenceTemperature, activationEnergy });
}

function parseDiffusion(a: Json, path: string, ctx: AnalyteContext): AnalyteConditions['diffusion'] {
  if (a.diffusivity !== undefined) {
    if (a.diffusion !== undefined) {
      throw new ProblemError(`${path}.diffusivity`, 'cannot be given with diffusion; give one');
    }
    // The paper's D0 at the inlet pressure: D_M = D0 p0/p, no temperature dependence.
    const d0 = number(a.diffusivity, `${path}.diffusivity`, { above: 0, unit: 'm2/s' });
    const frozen: RunConditions = { ...ctx, injection: { duration: 0 }, analytes: [] };
    return { coefficient: d0 * inletPressureAt(frozen, 0), exponent: 0 };
  }
  if (a.diffusion === undefined) return undefined;
  const p = `${path}.diffusion`;
  const d = object(a.diffusion, p);
  if (d.coefficient !== undefined) {
    onlyKeys(d, p, ['coefficient', 'exponent']);
    return {
      coefficient: number(d.coefficient, `${p}.coefficient`, { above: 0, unit: 'm2/s Pa / K^exponent' }),
      exponent: d.exponent === undefined ? FULLER_EXPONENT : number(d.exponent, `${p}.exponent`, { atLeast: 0, below: 5 }),
    };
  }
  let molarMass: number;
  let diffusionVolume: number;
  if (d.formula !== undefined) {
    onlyKeys(d, p, ['formula', 'rings']);
    if (typeof d.formula !== 'string') throw new ProblemTypeError(`${p}.formula`, `must be a formula such as "C10H22", got ${show(d.formula)}`);
    const rings = d.rings === undefined ? 0 : number(d.rings, `${p}.rings`, { integer: true, atLeast: 0 });
    ({ molarMass, diffusionVolume } = formulaProperties(d.formula, rings, `${p}.formula`));
  } else {
    onlyKeys(d, p, ['molarMass', 'diffusionVolume']);
    if (d.molarMass === undefined && d.diffusionVolume === undefined) {
      throw new ProblemError(p, 'needs { molarMass, diffusionVolume }, { formula, rings } or { coefficient, exponent }');
    }
    molarMass = number(required(d, 'molarMass', p), `${p}.molarMass`, { above: 0, unit: 'g/mol' });
    diffusionVolume = number(required(d, 'diffusionVolume', p), `${p}.diffusionVolume`, { above: 0, unit: 'Fuller volume' });
  }
  const g = ctx.gas;
  if (g.molarMass === undefined || g.diffusionVolume === undefined) {
    throw new ProblemError(p, `Fuller's correlation needs carrier.gas (${GAS_NAMES.join(', ')}); with a custom viscosity ` +
      'and no gas give { coefficient, exponent }');
  }
  return { coefficient: fullerCoefficient(molarMass, diffusionVolume, g.molarMass, g.diffusionVolume), exponent: FULLER_EXPONENT };
}

// ---------------------------------------------------------------------------------------------
// The paper's form <-> run conditions

/**
 * The run conditions of a problem in the paper's form: isothermal at column.temperature
 * (DEFAULT_TEMPERATURE when omitted; informational there), the `velocity` control with u0, p0, pL,
 * a constant viscosity (column.viscosity, or the one Poiseuille implies), constant
 * k = alpha ka/kd and k_d, and D_M = D0 p0/p (exponent 0).
 */
export function runConditions(problem: Problem): RunConditions {
  const c = problem.column;
  const T = c.temperature ?? DEFAULT_TEMPERATURE;
  const alpha = phaseRatio(c);
  const eta = c.viscosity ?? (((c.inletPressure - c.outletPressure) * (c.inletPressure + c.outletPressure) * c.radius * c.radius) /
    (16 * c.inletVelocity * c.inletPressure * c.length));
  return {
    length: c.length,
    radius: c.radius,
    filmThickness: c.filmThickness,
    temperature: constantSchedule(T),
    gas: { name: 'custom', viscosity: constantViscosity(eta, T) },
    control: {
      kind: 'velocity', inletVelocity: c.inletVelocity, inletPressure: c.inletPressure,
      outletPressure: c.outletPressure, profile: c.velocity,
    },
    injection: { duration: problem.injection.duration },
    analytes: problem.analytes.map((a) => {
      const out: AnalyteConditions = {
        name: a.name, c0: a.c0,
        retention: { a: Math.log((alpha * a.ka) / a.kd), b: 0, c: 0 },
        desorption: constantDesorption(a.kd),
        radialDispersion: false,
      };
      return {
        ...out,
        ...(a.response === undefined ? {} : { response: a.response }),
        ...(a.diffusivity === undefined ? {} : { diffusion: { coefficient: a.diffusivity * c.inletPressure, exponent: 0 } }),
      };
    }),
  };
}

function isConstant(s: Schedule): boolean {
  return s.values.every((v) => v === s.values[0]);
}

/**
 * The paper's problem for run conditions that are one (see RunProblem.problem), else undefined:
 * u0 from Poiseuille at p0, pL and eta(T), ka = k k_d/alpha, D0 = D_M(T, p0). The problem is
 * validated as any paper-form problem; if that refuses it, there is no such problem.
 */
export function paperProblem(c: RunConditions, output?: OutputGrid, detector?: { baseline: number }): Problem | undefined {
  if (!isConstant(c.temperature)) return undefined;
  const k = c.control;
  if (k.kind === 'pressure' && !(isConstant(k.inlet) && isConstant(k.outlet))) return undefined;
  if (k.kind === 'flow' && !(isConstant(k.flow) && isConstant(k.outlet))) return undefined;
  if (c.analytes.some((a) => a.desorption.kind !== 'arrhenius' || a.radialDispersion)) return undefined;
  const T = c.temperature.values[0];
  const p0 = inletPressureAt(c, 0);
  const pL = outletPressureAt(c, 0);
  if (!(pL > 0)) return undefined;
  const alpha = (2 * c.filmThickness) / c.radius;
  const profile = k.kind === 'velocity' ? k.profile : 'variable';
  const input = {
    column: {
      length: c.length, radius: c.radius, filmThickness: c.filmThickness,
      inletPressure: p0, outletPressure: pL, inletVelocity: velocityAt(c, 0, 0),
      viscosity: viscosityAt(c.gas.viscosity, T), temperature: T, velocity: profile,
    },
    injection: { duration: c.injection.duration },
    analytes: c.analytes.map((a) => {
      const kd = desorptionRateAt(a, T, p0, c.filmThickness);
      return {
        name: a.name, c0: a.c0, ka: (retentionFactorAt(a, T) * kd) / alpha, kd,
        ...(a.response === undefined ? {} : { response: a.response }),
        ...(a.diffusion === undefined ? {} : { diffusivity: diffusivityAt(a, T, p0) }),
      };
    }),
    ...(detector === undefined ? {} : { detector }),
    ...(output === undefined ? {} : { output }),
  };
  try {
    return parseProblem(input);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// The carrier against time

/** Mean carrier velocity L/tM (m/s) with the conditions frozen at time t (s). */
export function meanVelocityAt(c: RunConditions, t: number): number {
  return c.length / holdupTimeAt(c, t);
}

/**
 * Column flow (m3/s of gas at `reference` temperature and pressure) at time t (s): the molar flow
 * pi R^2 u p / (R_gas T), the same at every x, expressed as a volume at the reference conditions.
 * Poiseuille: F = pi R^4 (p0^2 - pL^2) T_ref / (16 eta L T p_ref). The default reference is the flow
 * control's own, else FLOW_REFERENCE (25 °C, 101325 Pa).
 */
export function columnFlowAt(c: RunConditions, t: number,
  reference?: { readonly temperature: number; readonly pressure: number }): number {
  const k = c.control;
  const ref = reference ?? (k.kind === 'flow'
    ? { temperature: k.referenceTemperature, pressure: k.referencePressure } : FLOW_REFERENCE);
  const T = temperatureAt(c, t);
  const r2 = c.radius * c.radius;
  if (k.kind === 'velocity') {
    return (Math.PI * r2 * k.inletVelocity * k.inletPressure * ref.temperature) / (ref.pressure * T);
  }
  const p0 = inletPressureAt(c, t);
  const pL = outletPressureAt(c, t);
  const eta = viscosityAt(c.gas.viscosity, T);
  return (Math.PI * r2 * r2 * (p0 - pL) * (p0 + pL) * ref.temperature) / (16 * eta * c.length * T * ref.pressure);
}
