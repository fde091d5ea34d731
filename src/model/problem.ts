/**
 * The problem: column, injection, analytes, detector and output grid (CONFIG.md), validated once.
 * Every check names the key path, the offending value and what is allowed.
 */
import { MAX_ANALYTES } from './limits.js';
import { excerpt } from '../io/text.js';

export type VelocityModel = 'variable' | 'constant';

/** The coated capillary and its carrier-gas flow. SI units. */
export interface Column {
  /** Column length L (m). */
  length: number;
  /** Inner radius R (m). */
  radius: number;
  /** Stationary-film thickness delta (m). */
  filmThickness: number;
  /** Inlet pressure p0 (Pa). */
  inletPressure: number;
  /** Outlet pressure pL (Pa), below p0. */
  outletPressure: number;
  /** Carrier velocity at the inlet u0 (m/s). */
  inletVelocity: number;
  /** Carrier viscosity mu (Pa s); only used to check the Poiseuille relation. */
  viscosity?: number;
  /** Column temperature (K); informational (the model is isothermal). */
  temperature?: number;
  /** 'variable': Poiseuille flow of an ideal gas; 'constant': u = u0, D = D0. */
  velocity: VelocityModel;
}

export interface Analyte {
  name: string;
  /** Adsorption rate constant k_a (1/s). */
  ka: number;
  /** Desorption rate constant k_d (1/s). */
  kd: number;
  /** Inlet concentration during the pulse c0 (mol/m3). */
  c0: number;
  /**
   * Molecular diffusivity at inlet pressure D0 (m2/s); the Laplace solution takes it at constant
   * velocity (MODEL.md §12).
   */
  diffusivity?: number;
  /**
   * A second, slow kind of site (MODEL.md §12.5): its adsorption and desorption rate constants
   * k_a2, k_d2 (1/s), both or neither; taken by the Laplace chromatogram only.
   */
  slowKa?: number;
  slowKd?: number;
  /** Detector response factor f (signal units per mol/m3). */
  response?: number;
  /**
   * Film isotherm (MODEL.md §13): 'linear' (the default), 'langmuir' (dq/dt = ka c (1 - q/qMax) -
   * kd q: the peak tails, its front a shock) or 'anti-langmuir' (ka c (1 + q/qMax) - kd q: it fronts).
   */
  isotherm?: Isotherm;
  /** Saturation capacity qmax of the film (mol/m3 of film); required with a nonlinear isotherm. */
  qMax?: number;
}

/** Film isotherms (MODEL.md §13). */
export type Isotherm = 'linear' | 'langmuir' | 'anti-langmuir';
export const ISOTHERMS: readonly Isotherm[] = ['linear', 'langmuir', 'anti-langmuir'];

/** Whether an analyte's film saturates (a nonlinear isotherm, MODEL.md §13). */
export function isOverloaded(a: Analyte): boolean {
  return a.isotherm === 'langmuir' || a.isotherm === 'anti-langmuir';
}

export interface OutputGrid {
  /** First output time (s). */
  start: number;
  /** Last output time (s). */
  end: number;
  /** Number of equally spaced times, >= 2. */
  count: number;
}

export interface Problem {
  column: Column;
  /**
   * Rectangular inlet pulse of `duration` t1 (s), convolved with an exponential of `timeConstant`
   * (s) when one is given (MODEL.md §12.5; Laplace chromatogram only).
   */
  injection: { duration: number; timeConstant?: number };
  analytes: Analyte[];
  /** Baseline (signal units) and, optionally, a first-order lag of `timeConstant` (s) of the signal. */
  detector?: { baseline: number; timeConstant?: number };
  output: OutputGrid;
  /**
   * The "langmuir" analytes share one set of film sites (competitive Langmuir, MODEL.md §14.1):
   * dq_i/dt = ka_i c_i (1 - sum_j q_j/qMax_j) - kd_i q_i over them. Finite differences only.
   */
  competitive?: boolean;
}

/** Largest output grid accepted (points per analyte): bounds memory and run time. */
export const MAX_OUTPUT_POINTS = 10_000_000;
/** Largest retention exponent B = alpha ka tM accepted; far beyond any real column (BTEX: ~7600). */
export const MAX_RETENTION = 1e12;

/** At most MAX_ANALYTES analytes (checked before any is read). */
export function checkAnalyteCount(count: number): void {
  if (count > MAX_ANALYTES) throw new ProblemError('analytes', `must hold at most ${MAX_ANALYTES} analytes, got ${count}`);
}

/** The bidirectional controls: marks, embeddings, overrides and isolates (Unicode UAX #9). */
const BIDI_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** What the CSV reader takes for a number (a point or a comma as decimal mark; io/dialect.ts). */
const NUMBER = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$/;

/** Column names the CSV files give besides the analytes' (CONFIG.md), so no analyte may take one. */
export const CSV_COLUMNS: readonly string[] = ['time', 'signal', 'x'];

/** Thrown for invalid problems; `path` is the offending key, e.g. `analytes[2].kd`. */
export class ProblemError extends RangeError {
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'ProblemError';
    this.path = path;
  }
}

export type Json = Record<string, unknown>;

/** A value for a message; a string quoted as an excerpt (cut to 60 characters, escaped: see io/text.ts). */
export function show(value: unknown): string {
  if (typeof value === 'string') return excerpt(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : String(value);
}

/**
 * An object's own enumerable properties on a null prototype: every later read is of a key the
 * caller gave, never one inherited (a polluted Object.prototype cannot add keys or values).
 */
export function object(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProblemError(path, `must be an object, got ${show(value)}`);
  }
  return Object.assign(Object.create(null) as Json, value);
}

/** `value` on a null prototype: its optional keys, when absent, read undefined whatever Object.prototype holds. */
export function own<T extends object>(value: T): T {
  return Object.assign(Object.create(null) as T, value);
}

/** Solver options: none (undefined) or an object, read through its own properties only (see object). */
export function solverOptions<T extends object>(value: T | undefined, path = 'options'): T {
  return (value === undefined ? Object.create(null) : object(value, path)) as T;
}

export function onlyKeys(obj: Json, path: string, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      throw new ProblemError(path ? `${path}.${key}` : key,
        `unknown key; allowed here: ${allowed.join(', ')}`);
    }
  }
}

export interface NumberRule {
  /** Exclusive lower bound. */
  above?: number;
  /** Inclusive lower bound. */
  atLeast?: number;
  /** Exclusive upper bound. */
  below?: number;
  integer?: boolean;
  unit?: string;
}

function describe(rule: NumberRule): string {
  const parts: string[] = [rule.integer ? 'an integer' : 'a finite number'];
  if (rule.above !== undefined) parts.push(`> ${rule.above}`);
  if (rule.atLeast !== undefined) parts.push(`>= ${rule.atLeast}`);
  if (rule.below !== undefined) parts.push(`< ${rule.below}`);
  return parts.join(' ') + (rule.unit ? ` (${rule.unit})` : '');
}

export function number(value: unknown, path: string, rule: NumberRule): number {
  const ok = typeof value === 'number' && Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.above === undefined || value > rule.above) &&
    (rule.atLeast === undefined || value >= rule.atLeast) &&
    (rule.below === undefined || value < rule.below);
  if (!ok) {
    const Err = typeof value === 'number' ? ProblemError : ProblemTypeError;
    throw new Err(path, `must be ${describe(rule)}, got ${show(value)}`);
  }
  return value as number;
}

/** Thrown when a value has the wrong type (a string where a number belongs, ...). */
export class ProblemTypeError extends TypeError {
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'ProblemTypeError';
    this.path = path;
  }
}

export function required(obj: Json, key: string, path: string): unknown {
  if (!(key in obj) || obj[key] === undefined) throw new ProblemError(`${path}.${key}`, 'is required');
  return obj[key];
}

const POSITIVE = (unit: string): NumberRule => ({ above: 0, unit });

export function parseColumn(value: unknown): Column {
  const c = object(value, 'column');
  onlyKeys(c, 'column', ['length', 'radius', 'filmThickness', 'inletPressure', 'outletPressure',
    'inletVelocity', 'viscosity', 'temperature', 'velocity']);
  const num = (key: string, unit: string) => number(required(c, key, 'column'), `column.${key}`, POSITIVE(unit));
  const column: Column = own({
    length: num('length', 'm'),
    radius: num('radius', 'm'),
    filmThickness: num('filmThickness', 'm'),
    inletPressure: num('inletPressure', 'Pa'),
    outletPressure: num('outletPressure', 'Pa'),
    inletVelocity: num('inletVelocity', 'm/s'),
    velocity: 'variable',
  });
  if (column.filmThickness >= column.radius) {
    throw new ProblemError('column.filmThickness',
      `must be < column.radius (${column.radius} m), got ${column.filmThickness}`);
  }
  if (column.outletPressure >= column.inletPressure) {
    throw new ProblemError('column.outletPressure',
      `must be < column.inletPressure (${column.inletPressure} Pa), got ${column.outletPressure}`);
  }
  if (c.viscosity !== undefined) column.viscosity = number(c.viscosity, 'column.viscosity', POSITIVE('Pa s'));
  if (c.temperature !== undefined) column.temperature = number(c.temperature, 'column.temperature', POSITIVE('K'));
  if (c.velocity !== undefined) column.velocity = velocityModel(c.velocity, 'column.velocity');
  return column;
}

/** Validates a problem for a solver, with `velocity` (when given) overriding `column.velocity`. */
export function parseSolverProblem(input: unknown, velocity: unknown): Problem {
  const problem = parseProblem(input);
  if (velocity !== undefined) problem.column.velocity = velocityModel(velocity, 'options.velocity');
  return problem;
}

/** Checks a velocity-model name ('variable' or 'constant'). */
export function velocityModel(value: unknown, path: string): VelocityModel {
  if (value !== 'variable' && value !== 'constant') {
    const Err = typeof value === 'string' ? ProblemError : ProblemTypeError;
    throw new Err(path, `must be "variable" or "constant", got ${show(value)}`);
  }
  return value;
}

/**
 * Validates analyte i. With `kinetics` 'optional' (fitting problems, where ka and kd are what is
 * fitted) a missing ka or kd is left undefined; given, they are checked as usual.
 */
export function parseAnalyte(value: unknown, i: number, kinetics: 'required' | 'optional' = 'required'): Analyte {
  const path = `analytes[${i}]`;
  const a = object(value, path);
  onlyKeys(a, path, ['name', 'ka', 'kd', 'c0', 'diffusivity', 'slowKa', 'slowKd', 'response', 'isotherm', 'qMax']);
  const name = required(a, 'name', path);
  // Any printable text: CSV writers quote names and SVG/HTML escape them. Control characters
  // (line breaks, tabs, NUL) and unpaired surrogates are refused: XML cannot hold most of them, a
  // tab or line break would look like a separator in a table, and UTF-8 cannot encode a lone
  // surrogate; so are the bidirectional controls, which make a name (and what follows it in a
  // table or a terminal) read in another order than it is written.
  if (typeof name !== 'string' || name.trim() === '' || /[\p{Cc}\p{Cs}\p{Zl}\p{Zp}]/u.test(name) || BIDI_CONTROL.test(name)) {
    throw new ProblemError(`${path}.name`, 'must be a non-empty string, not only white space, without control ' +
      `characters (line breaks, tabs, NUL), bidirectional controls or unpaired surrogates, got ${show(name)}`);
  }
  if (NUMBER.test(name.trim())) {
    throw new ProblemError(`${path}.name`, 'must not read as a number: a CSV header holding a number is taken ' +
      `for a data row, so the file would not read back; got ${show(name)}`);
  }
  if (CSV_COLUMNS.includes(name.trim().toLowerCase())) {
    throw new ProblemError(`${path}.name`, `must not be a column name of the CSV files (${CSV_COLUMNS.join(', ')}; ` +
      `compared ignoring case and surrounding spaces), got ${show(name)}`);
  }
  const analyte: Analyte = own({
    name,
    ka: kinetics === 'optional' && a.ka === undefined ? (undefined as unknown as number)
      : number(required(a, 'ka', path), `${path}.ka`, POSITIVE('1/s')),
    kd: kinetics === 'optional' && a.kd === undefined ? (undefined as unknown as number)
      : number(required(a, 'kd', path), `${path}.kd`, POSITIVE('1/s')),
    c0: number(required(a, 'c0', path), `${path}.c0`, POSITIVE('mol/m3')),
  });
  if (a.diffusivity !== undefined) analyte.diffusivity = number(a.diffusivity, `${path}.diffusivity`, POSITIVE('m2/s'));
  if (a.response !== undefined) analyte.response = number(a.response, `${path}.response`, POSITIVE('signal per mol/m3'));
  if ((a.slowKa === undefined) !== (a.slowKd === undefined)) {
    const missing = a.slowKa === undefined ? 'slowKa' : 'slowKd';
    throw new ProblemError(`${path}.${missing}`, `is required with ${missing === 'slowKa' ? 'slowKd' : 'slowKa'} ` +
      '(a second kind of site has both rate constants), got none');
  }
  if (a.slowKa !== undefined) {
    analyte.slowKa = number(a.slowKa, `${path}.slowKa`, POSITIVE('1/s'));
    analyte.slowKd = number(a.slowKd, `${path}.slowKd`, POSITIVE('1/s'));
  }
  parseIsotherm(a, analyte, path);
  return analyte;
}

/** isotherm and qMax of an analyte (MODEL.md §13): qMax with a nonlinear isotherm only, and always then. */
function parseIsotherm(a: Record<string, unknown>, analyte: Analyte, path: string): void {
  if (a.isotherm !== undefined) {
    if (!ISOTHERMS.includes(a.isotherm as Isotherm)) {
      throw new ProblemError(`${path}.isotherm`, `must be one of ${ISOTHERMS.map((x) => `"${x}"`).join(', ')}, got ${show(a.isotherm)}`);
    }
    analyte.isotherm = a.isotherm as Isotherm;
  }
  const overloaded = isOverloaded(analyte);
  if (!overloaded) {
    if (a.qMax !== undefined) {
      throw new ProblemError(`${path}.qMax`, `is the saturation capacity of a "langmuir" or "anti-langmuir" isotherm; ` +
        `this analyte's isotherm is "linear", got qMax = ${show(a.qMax)}`);
    }
    return;
  }
  if (a.qMax === undefined) {
    throw new ProblemError(`${path}.qMax`, `is required with isotherm "${analyte.isotherm}" (saturation capacity, mol/m3 of film), got none`);
  }
  analyte.qMax = number(a.qMax, `${path}.qMax`, POSITIVE('mol/m3'));
  // the anti-Langmuir isotherm q = K c/(1 - K c/qMax) diverges at K c = qMax, and c <= c0
  if (analyte.isotherm === 'anti-langmuir' && analyte.ka !== undefined && analyte.kd !== undefined) {
    const load = (analyte.ka / analyte.kd) * analyte.c0;
    if (!(load < analyte.qMax)) {
      throw new ProblemError(`${path}.qMax`, `must be above K c0 = (ka/kd) c0 = ${load.toExponential(4)} mol/m3 for the ` +
        `anti-Langmuir isotherm q = K c/(1 - K c/qMax), which diverges at K c = qMax; got ${analyte.qMax}`);
    }
  }
}

/**
 * The output grid of a problem. `end: "auto"` makes the window follow the peaks: its end is
 * `peaksEnd()`, the end that holds every peak (past the slowest analyte's mean + 8 sigma, see
 * defaultOutput); a reader without one (the run form) refuses it, naming the key.
 */
export function parseOutput(value: unknown, peaksEnd?: () => number): OutputGrid {
  const o = object(value, 'output');
  onlyKeys(o, 'output', ['start', 'end', 'count']);
  const start = o.start === undefined ? 0 : number(o.start, 'output.start', { atLeast: 0, unit: 's' });
  let end: number;
  if (o.end === 'auto') {
    if (!peaksEnd) {
      throw new ProblemError('output.end', 'must be a number of seconds here ("auto", the end that holds every peak, ' +
        'applies to the paper\'s form), got "auto"');
    }
    end = peaksEnd();
    if (!(end > start)) {
      throw new ProblemError('output.start', `must be below the end that holds every peak (output.end "auto": ${end} s), got ${start}`);
    }
  } else if (peaksEnd && typeof o.end === 'string') {
    throw new ProblemTypeError('output.end', `must be a finite number > ${start} (s) or "auto" (the end that holds every peak), ` +
      `got ${show(o.end)}`);
  } else {
    end = number(required(o, 'end', 'output'), 'output.end', { above: start, unit: 's' });
  }
  const count = o.count === undefined ? 1401 : number(o.count, 'output.count', { integer: true, atLeast: 2 });
  if (count > MAX_OUTPUT_POINTS) {
    throw new ProblemError('output.count', `must be <= ${MAX_OUTPUT_POINTS}, got ${count}`);
  }
  return { start, end, count };
}

/**
 * Validates a problem (CONFIG.md) and returns a normalised copy with defaults filled in
 * (`column.velocity` "variable", `output.start` 0, `output.count` 1401, `output` a grid that
 * covers every peak when omitted). Throws ProblemError / ProblemTypeError naming the key.
 */
export function parseProblem(input: unknown): Problem {
  const p = object(input, 'problem');
  onlyKeys(p, '', ['column', 'injection', 'analytes', 'detector', 'output', 'competitive']);
  const column = parseColumn(required(p, 'column', 'problem'));
  const inj = object(required(p, 'injection', 'problem'), 'injection');
  onlyKeys(inj, 'injection', ['duration', 'timeConstant']);
  const injection: Problem['injection'] = {
    duration: number(required(inj, 'duration', 'injection'), 'injection.duration', POSITIVE('s')),
  };
  if (inj.timeConstant !== undefined) {
    injection.timeConstant = number(inj.timeConstant, 'injection.timeConstant', { atLeast: 0, unit: 's' });
  }
  const list = required(p, 'analytes', 'problem');
  if (!Array.isArray(list) || list.length === 0) {
    throw new ProblemError('analytes', `must be a non-empty array of analytes, got ${show(list)}`);
  }
  checkAnalyteCount(list.length);
  const analytes = Array.from(list, (a, i) => parseAnalyte(a, i)); // a hole is an undefined analyte, refused
  const seen = new Set<string>();
  analytes.forEach((a, i) => {
    if (seen.has(a.name)) throw new ProblemError(`analytes[${i}].name`, `duplicate name ${show(a.name)}`);
    seen.add(a.name);
  });
  const problem: Problem = own({ column, injection, analytes, output: { start: 0, end: 1, count: 1401 } });
  if (p.detector !== undefined) {
    const d = object(p.detector, 'detector');
    onlyKeys(d, 'detector', ['baseline', 'timeConstant']);
    problem.detector = { baseline: number(required(d, 'baseline', 'detector'), 'detector.baseline', { unit: 'signal units' }) };
    if (d.timeConstant !== undefined) {
      problem.detector.timeConstant = number(d.timeConstant, 'detector.timeConstant', { atLeast: 0, unit: 's' });
    }
  }
  if (p.competitive !== undefined) {
    if (typeof p.competitive !== 'boolean') {
      throw new ProblemTypeError('competitive', `must be true or false (the "langmuir" analytes share film sites), got ${show(p.competitive)}`);
    }
    if (p.competitive) problem.competitive = true;
  }
  checkRetention(problem);
  checkDerived(problem);
  problem.output = p.output === undefined ? defaultOutput(problem) : parseOutput(p.output, () => defaultOutput(problem).end);
  return problem;
}

/**
 * The derived quantities every solver and summary uses must be finite: the hold-up time L/u0,
 * the film's length scale u0/(alpha ka), each analyte's retention time and peak variance (the
 * moments), its peak area c0 t1 and the detector signal baseline + sum f c0. A value that makes
 * one overflow is refused here, naming its key, rather than giving Infinity or NaN with status
 * success. L/u0 bounds tM(L) of both velocity models (u(x) >= u0); checkRetention has checked it.
 */
function checkDerived(problem: Problem): void {
  const c = problem.column;
  const holdup = c.length / c.inletVelocity;
  const t1 = problem.injection.duration;
  if (!Number.isFinite(t1 * t1)) {
    throw new ProblemError('injection.duration', `gives a pulse variance duration^2/12 that overflows; must be below ` +
      `${Math.sqrt(Number.MAX_VALUE).toExponential(3)} s, got ${t1}`);
  }
  const alpha = 2 * c.filmThickness / c.radius;
  let signal = Math.abs(problem.detector?.baseline ?? 0);
  problem.analytes.forEach((a, i) => {
    if (!Number.isFinite(c.inletVelocity / (alpha * a.ka))) {
      throw new ProblemError('column.radius', `gives a phase ratio 2*filmThickness/radius = ${alpha.toExponential(3)} ` +
        `so small that the film length scale inletVelocity/(alpha*ka) of analytes[${i}] overflows`);
    }
    const k = alpha * a.ka / a.kd;
    const mean = holdup * (1 + k) + t1 / 2;
    const variance = 2 * k * holdup / a.kd + t1 * t1 / 12;
    if (!Number.isFinite(mean) || !Number.isFinite(variance) || !Number.isFinite(mean * mean / variance)) {
      throw new ProblemError(`analytes[${i}].kd`, `gives a retention time tM*(1 + alpha*ka/kd) = ${mean} s and a peak ` +
        `variance ${variance} s^2 that are not finite; kd = ${a.kd} 1/s is too small for this column and ka`);
    }
    if (a.slowKa !== undefined && a.slowKd !== undefined) {
      const b2 = alpha * a.slowKa * holdup;
      const k2 = alpha * a.slowKa / a.slowKd;
      if (!(b2 <= MAX_RETENTION) || !Number.isFinite(mean + holdup * k2) || !Number.isFinite(2 * k2 * holdup / a.slowKd)) {
        throw new ProblemError(`analytes[${i}].slowKd`, `gives a slow-site retention alpha*slowKa*tM = ${b2} and a retention ` +
          `time or variance that are out of range (retention at most ${MAX_RETENTION}); got slowKa ${a.slowKa}, slowKd ${a.slowKd}`);
      }
    }
    if (!Number.isFinite(a.kd * t1)) {
      throw new ProblemError(`analytes[${i}].kd`, `gives a scaled pulse length kd*duration that overflows, got ${a.kd}`);
    }
    if (a.diffusivity !== undefined && !Number.isFinite((a.diffusivity * alpha * a.ka) / (c.inletVelocity * c.inletVelocity))) {
      throw new ProblemError(`analytes[${i}].diffusivity`, 'gives an inverse Peclet number diffusivity/(inletVelocity*Ls) ' +
        `that overflows, got ${a.diffusivity}`);
    }
    if (a.diffusivity !== undefined && !Number.isFinite(a.diffusivity / (c.inletVelocity * c.length))) {
      throw new ProblemError(`analytes[${i}].diffusivity`, 'gives a column inverse Peclet number ' +
        `diffusivity/(inletVelocity*length) that overflows (diffusivity ${a.diffusivity}, column.length ${c.length})`);
    }
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

/** Hold-up time L/u0 finite, and the retention exponent B = alpha ka tM(L) of every analyte in the range the kernels serve. */
function checkRetention(problem: Problem): void {
  const c = problem.column;
  const alpha = 2 * c.filmThickness / c.radius;
  // u(x) >= u0 everywhere, so L/u0 (the constant-velocity tM) bounds tM(L) of both models.
  const holdup = c.length / c.inletVelocity;
  if (!Number.isFinite(holdup)) {
    throw new ProblemError('column.length', `gives a hold-up time length/inletVelocity = ${holdup} s; it must be finite`);
  }
  problem.analytes.forEach((a, i) => {
    const b = alpha * a.ka * holdup;
    if (!(b <= MAX_RETENTION)) {
      throw new ProblemError(`analytes[${i}].ka`,
        `gives a retention exponent alpha*ka*tM = ${b.toExponential(3)} above ${MAX_RETENTION}; ` +
        `ka must be below ${(MAX_RETENTION / (alpha * holdup)).toExponential(3)} 1/s for this column`);
    }
  });
}

/**
 * A grid from 0 to past the last peak (mean + 8 sigma of the slowest analyte, with the constant
 * velocity's hold-up time L/u0, the longer of the two models), its end rounded up to one
 * significant digit's step: 1 234 s becomes 2 000 s.
 */
function defaultOutput(problem: Problem): OutputGrid {
  const c = problem.column;
  const alpha = 2 * c.filmThickness / c.radius;
  const holdup = c.length / c.inletVelocity;
  const t1 = problem.injection.duration;
  let end = 0;
  for (const a of problem.analytes) {
    const k = alpha * a.ka / a.kd;
    const sigma = Math.sqrt(2 * k * holdup / a.kd + t1 * t1 / 12);
    end = Math.max(end, holdup * (1 + k) + t1 / 2 + 8 * sigma);
  }
  const step = 10 ** Math.floor(Math.log10(end));
  return { start: 0, end: Math.ceil(end / step) * step, count: 1401 };
}

/**
 * The first mechanism of MODEL.md §12.5 that a problem asks for (a slow kind of site, an
 * exponential inlet tail, a detector lag), as its key path, or null. Only the Laplace solution at
 * chromatogram takes them (both velocity models); every other solver refuses such a problem naming the key.
 */
export function extraMechanism(problem: Problem, takes: { isotherms?: boolean } = {}): string | null {
  const i = problem.analytes.findIndex((a) => a.slowKa !== undefined);
  const j = problem.analytes.findIndex(isOverloaded);
  if (j >= 0 && !takes.isotherms) return `analytes[${j}].isotherm`;
  if (i >= 0) return `analytes[${i}].slowKa`;
  if ((problem.injection.timeConstant ?? 0) > 0) return 'injection.timeConstant';
  if ((problem.detector?.timeConstant ?? 0) > 0) return 'detector.timeConstant';
  return null;
}

/** Refuses a problem with a mechanism of MODEL.md §12.5 for a solver that does not take it. */
export function refuseExtraMechanisms(problem: Problem, solver: string, takes: { isotherms?: boolean } = {}): void {
  const key = extraMechanism(problem, takes);
  if (key) {
    throw new ProblemError(key, key.endsWith('.isotherm')
      ? `"${problem.analytes[Number(key.slice(9, key.indexOf(']')))].isotherm}" is taken by the Laplace chromatogram ` +
        `(method "laplace": the Thomas solution, MODEL.md §13) and by finite differences (method "fd", MODEL.md §14), not by ${solver}`
      : `is taken only by the Laplace chromatogram (method "laplace") (MODEL.md §12.5), not by ${solver}`);
  }
}

/** Whether several "langmuir" analytes share sites (competitive: true), which only finite differences solve. */
export function competingAnalytes(problem: Problem): number {
  return problem.competitive ? problem.analytes.filter((a) => a.isotherm === 'langmuir').length : 0;
}
