/**
 * A fitting problem: the problem file of CONFIG.md in its fitting mode, plus the `fit` key that
 * says how a measured chromatogram is to be read (windows, crop, exclusions, baseline, response
 * factors, hold-up time). Validated once; every check names the key path, the value and what is
 * allowed, like the rest of `problem.ts`.
 *
 * Differences from a simulation problem: `analytes[].ka` / `kd` are optional (they are what is
 * fitted; given, they are the start); `column` may be omitted when the geometry is unknown (the
 * phase ratio is then folded into the fitted constants); `output` is ignored (the data set the
 * times).
 */
import { DEFAULT_MAX_EVALUATIONS, DEFAULT_MAX_EVALUATIONS_ISOTHERM, MIN_MAX_EVALUATIONS } from './budget.js';
import { DEFAULT_MAX_EVALUATIONS_MECHANISMS, fitsMechanisms, parseMechanismSettings, type MechanismSettings } from './mechanisms.js';
import {
  checkAnalyteCount, ISOTHERMS, number, object, onlyKeys, own, parseAnalyte, parseColumn, parseOutput, ProblemError, required, show,
  type Analyte, type Column, type Isotherm, type Json,
} from '../../model/problem.js';

/** A time interval [start, end] (s). */
export interface TimeWindow {
  /** Start (s). */
  start: number;
  /** End (s), > start. */
  end: number;
}

export type HoldupMode = 'column' | 'given' | 'fitted';
export type BaselineMode = 'given' | 'estimate' | 'fit';
export type BaselineDrift = 'constant' | 'linear';
export type ResponseMode = 'problem' | 'area' | 'fit';
/** One baseline over the whole (cropped) run, or one per group of overlapping windows. */
export type BaselineScope = 'run' | 'window';

export interface FitSettings {
  /** 'known': the column is given; 'unknown': the phase ratio is folded into the constants. */
  geometry: 'known' | 'unknown';
  /**
   * Gas hold-up time tM (s), shared by all peaks: from the column ('column'), fixed ('given'),
   * or fitted ('fitted', from `value` when set, else from the column or the first peak).
   */
  holdupTime: { mode: HoldupMode; value?: number };
  /** Only data inside this interval are used (s); null: all. */
  crop: TimeWindow | null;
  /** Peak window of analyte i (s), or null for automatic. */
  windows: (TimeWindow | null)[];
  /** Intervals (s) left out of the fit. */
  exclude: TimeWindow[];
  /** Leave out the points that lie in more than one peak window (as the paper did). */
  excludeOverlaps: boolean;
  /**
   * Baseline: 'given' (detector.baseline plus `slope`), 'estimate' (least squares over the
   * peak-free points, then fixed) or 'fit' (fitted with the peaks); `drift` 'linear' or 'constant'.
   */
  baseline: { mode: BaselineMode; drift: BaselineDrift; slope: number; scope: BaselineScope };
  /**
   * Residual weights: 'uniform' (ordinary least squares: standard errors exact for white noise) or
   * 'peak' (each window's residuals divided by its peak height, so small peaks count as much as
   * large ones in the shared hold-up time).
   */
  weighting: 'uniform' | 'peak';
  /** Response factors: from the problem, from peak areas by (64), or fitted with the peaks. */
  response: ResponseMode;
  /** Largest number of Levenberg–Marquardt iterations. */
  maxIterations: number;
  /**
   * Work limit in chromatogram evaluations (src/fitbudget.ts): the fit stops before passing it,
   * with status 'max-evaluations'.
   */
  maxEvaluations: number;
  /**
   * Mechanisms fitted besides the kinetics (mechanisms.ts, MODEL.md §12.7): per analyte 1/Pe
   * (`fit.diffusion`) and a slow site (`fit.slowSites`); the inlet's and the detector's time constants.
   */
  mechanisms: MechanismSettings;
  /**
   * The film of each analyte (`fit.isotherm`, MODEL.md §13.6): 'linear', or 'langmuir' /
   * 'anti-langmuir', whose dimensionless loading λ = K c0/qMax is then fitted with k_a, k_d by the
   * Thomas solution.
   */
  isotherms: Isotherm[];
}

/** An analyte of a fitting problem: `ka` (1/s) and `kd` (1/s) may be undefined. */
export type FitProblemAnalyte = Omit<Analyte, 'ka' | 'kd'> & { ka?: number; kd?: number };

export interface FitProblem {
  /** The column, or null when the geometry is unknown. */
  column: Column | null;
  /** Rectangular inlet pulse of `duration` t1 (s), convolved with an exponential of `timeConstant` (s) if given. */
  injection: { duration: number; timeConstant?: number };
  analytes: FitProblemAnalyte[];
  /** Constant detector baseline (signal units) and, if given, a first-order lag of `timeConstant` (s). */
  detector?: { baseline: number; timeConstant?: number };
  fit: FitSettings;
}

const parsed = new WeakSet<object>();

function window(value: unknown, path: string): TimeWindow {
  const w = object(value, path);
  onlyKeys(w, path, ['start', 'end']);
  const start = number(required(w, 'start', path), `${path}.start`, { unit: 's' });
  const end = number(required(w, 'end', path), `${path}.end`, { above: start, unit: 's' });
  return { start, end };
}

function choice<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ProblemError(path, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${show(value)}`);
  }
  return value as T;
}

function parseSettings(value: unknown, problem: Omit<FitProblem, 'fit'>, geometryGiven: unknown): FitSettings {
  const f = value === undefined ? {} : object(value, 'fit');
  onlyKeys(f, 'fit', ['geometry', 'holdupTime', 'crop', 'windows', 'exclude', 'excludeOverlaps', 'baseline',
    'response', 'weighting', 'maxIterations', 'maxEvaluations', 'diffusion', 'slowSites', 'injectionTime', 'detectorTime',
    'isotherm']);
  const geometry = f.geometry === undefined
    ? (problem.column ? 'known' : 'unknown')
    : choice(f.geometry, 'fit.geometry', ['known', 'unknown'] as const);
  if (geometry === 'known' && !problem.column) {
    throw new ProblemError('column', `is required when fit.geometry is ${show(geometryGiven)}; ` +
      'set fit.geometry to "unknown" to fold the phase ratio into the fitted constants');
  }

  let holdupTime: FitSettings['holdupTime'];
  const h = f.holdupTime;
  if (h === undefined) holdupTime = { mode: geometry === 'known' ? 'column' : 'fitted' };
  else if (h === 'fit') holdupTime = { mode: 'fitted' };
  else if (h === 'column') {
    if (geometry !== 'known') throw new ProblemError('fit.holdupTime', '"column" needs a known geometry (a column)');
    holdupTime = { mode: 'column' };
  } else if (typeof h === 'number') {
    holdupTime = { mode: 'given', value: number(h, 'fit.holdupTime', { above: 0, unit: 's' }) };
  } else if (typeof h === 'object' && h !== null && !Array.isArray(h)) {
    const o = h as Json;
    onlyKeys(o, 'fit.holdupTime', ['start']);
    holdupTime = { mode: 'fitted', value: number(required(o, 'start', 'fit.holdupTime'), 'fit.holdupTime.start', { above: 0, unit: 's' }) };
  } else {
    throw new ProblemError('fit.holdupTime',
      `must be a time > 0 (s, fixed), "fit", "column" or { "start": time > 0 } (fitted), got ${show(h)}`);
  }

  const crop = f.crop === undefined ? null : (() => {
    const c = object(f.crop, 'fit.crop');
    onlyKeys(c, 'fit.crop', ['start', 'end']);
    const start = c.start === undefined ? -Infinity : number(c.start, 'fit.crop.start', { unit: 's' });
    const end = c.end === undefined ? Infinity : number(c.end, 'fit.crop.end', { above: start, unit: 's' });
    return { start, end };
  })();

  const windows: (TimeWindow | null)[] = problem.analytes.map(() => null);
  if (f.windows !== undefined) {
    const w = object(f.windows, 'fit.windows');
    const names = problem.analytes.map((a) => a.name);
    for (const [name, v] of Object.entries(w)) {
      const i = names.indexOf(name);
      if (i < 0) {
        throw new ProblemError(`fit.windows.${name}`, `is not an analyte; analytes: ${names.join(', ')}`);
      }
      windows[i] = window(v, `fit.windows.${name}`);
    }
  }

  let exclude: TimeWindow[] = [];
  if (f.exclude !== undefined) {
    if (!Array.isArray(f.exclude)) {
      throw new ProblemError('fit.exclude', `must be an array of { "start", "end" } intervals (s), got ${show(f.exclude)}`);
    }
    exclude = f.exclude.map((v, i) => window(v, `fit.exclude[${i}]`));
  }
  let excludeOverlaps = false;
  if (f.excludeOverlaps !== undefined) {
    if (typeof f.excludeOverlaps !== 'boolean') {
      throw new ProblemError('fit.excludeOverlaps', `must be true or false, got ${show(f.excludeOverlaps)}`);
    }
    excludeOverlaps = f.excludeOverlaps;
  }

  const b = f.baseline === undefined ? {} : object(f.baseline, 'fit.baseline');
  onlyKeys(b, 'fit.baseline', ['mode', 'drift', 'slope', 'scope']);
  const baselineMode = b.mode === undefined
    ? (problem.detector ? 'given' : 'estimate')
    : choice(b.mode, 'fit.baseline.mode', ['given', 'estimate', 'fit'] as const);
  if (baselineMode === 'given' && !problem.detector) {
    throw new ProblemError('fit.baseline.mode', '"given" needs detector.baseline in the problem');
  }
  const drift = b.drift === undefined
    ? (baselineMode === 'given' ? 'constant' : 'linear')
    : choice(b.drift, 'fit.baseline.drift', ['constant', 'linear'] as const);
  let slope = 0;
  if (b.slope !== undefined) {
    if (baselineMode !== 'given') throw new ProblemError('fit.baseline.slope', 'is only used with mode "given"');
    slope = number(b.slope, 'fit.baseline.slope', { unit: 'signal units per s' });
  }

  const scope = b.scope === undefined ? 'run' : choice(b.scope, 'fit.baseline.scope', ['run', 'window'] as const);
  if (scope === 'window' && baselineMode !== 'fit') {
    throw new ProblemError('fit.baseline.scope', '"window" (a baseline per peak window) needs fit.baseline.mode "fit"');
  }
  const weighting = f.weighting === undefined ? 'uniform' : choice(f.weighting, 'fit.weighting', ['uniform', 'peak'] as const);

  const everyResponse = problem.analytes.every((a) => a.response !== undefined);
  const response = f.response === undefined
    ? (geometry === 'known' && everyResponse ? 'problem' : geometry === 'known' ? 'area' : 'fit')
    : choice(f.response, 'fit.response', ['problem', 'area', 'fit'] as const);
  if (response === 'problem') {
    if (geometry !== 'known') {
      throw new ProblemError('fit.response', '"problem" needs a known geometry (the outlet velocity enters (64)); use "area" or "fit"');
    }
    const i = problem.analytes.findIndex((a) => a.response === undefined);
    if (i >= 0) throw new ProblemError(`analytes[${i}].response`, 'is required when fit.response is "problem"');
  }

  const maxIterations = f.maxIterations === undefined ? 100
    : number(f.maxIterations, 'fit.maxIterations', { integer: true, atLeast: 1, below: 100001 });
  const mechanisms = parseMechanismSettings(f, problem.analytes.map((a) => a.name));
  const isotherms = parseIsotherms(f.isotherm, problem);
  checkIsothermsAndMechanisms(isotherms, mechanisms, problem);
  const maxEvaluations = f.maxEvaluations === undefined
    ? (fitsMechanisms(mechanisms) ? DEFAULT_MAX_EVALUATIONS_MECHANISMS
      : isotherms.some((v) => v !== 'linear') ? DEFAULT_MAX_EVALUATIONS_ISOTHERM : DEFAULT_MAX_EVALUATIONS)
    : number(f.maxEvaluations, 'fit.maxEvaluations', { atLeast: MIN_MAX_EVALUATIONS, below: 1e9 });

  if (mechanisms.injectionTime && problem.injection.timeConstant !== undefined && problem.injection.timeConstant === 0) {
    throw new ProblemError('injection.timeConstant', 'is 0, where fit.injectionTime fits it: give a start > 0 (s) or leave it out');
  }
  if (mechanisms.detectorTime && problem.detector?.timeConstant === 0) {
    throw new ProblemError('detector.timeConstant', 'is 0, where fit.detectorTime fits it: give a start > 0 (s) or leave it out');
  }
  return {
    geometry, holdupTime, crop, windows, exclude, excludeOverlaps,
    baseline: { mode: baselineMode, drift, slope, scope }, response, weighting, maxIterations, maxEvaluations, mechanisms,
    isotherms,
  };
}

/**
 * `fit.isotherm`: { analyte name: "linear" | "langmuir" | "anti-langmuir" } (omitted analytes are
 * linear). An analyte whose problem entry gives a saturating isotherm must have the same form here;
 * its qMax is then the start of the fitted loading (known geometry only).
 */
function parseIsotherms(value: unknown, problem: Omit<FitProblem, 'fit'>): Isotherm[] {
  const names = problem.analytes.map((a) => a.name);
  const forms: Isotherm[] = names.map(() => 'linear');
  if (value !== undefined) {
    const o = object(value, 'fit.isotherm');
    for (const [name, v] of Object.entries(o)) {
      const i = names.indexOf(name);
      if (i < 0) throw new ProblemError(`fit.isotherm.${name}`, `is not an analyte; analytes: ${names.join(', ')}`);
      forms[i] = choice(v, `fit.isotherm.${name}`, ISOTHERMS);
    }
  }
  problem.analytes.forEach((a, i) => {
    const given = a.isotherm ?? 'linear';
    if (given !== 'linear' && given !== forms[i]) {
      throw new ProblemError(`analytes[${i}].isotherm`, `is ${show(given)}, where fit.isotherm gives ${show(forms[i])} for ` +
        `${show(a.name)}; a saturating film is fitted by naming it in fit.isotherm (its qMax is then the start), got ${show(given)}`);
    }
    if (given !== 'linear' && !problem.column) {
      throw new ProblemError(`analytes[${i}].qMax`, 'is the start of the fitted loading K c0/qMax only with a known geometry ' +
        `(a column); leave it and analytes[${i}].isotherm out (the loading then starts at ${LOADING_START}), got ${show(a.qMax)}`);
    }
  });
  return forms;
}

/** The start of a fitted loading λ = K c0/qMax without a problem qMax (MODEL.md §13.6). */
export const LOADING_START = 0.1;

/**
 * The Thomas solution has no diffusion, no second site and no inlet or detector lag: a saturating
 * analyte refuses them (fixed or fitted), naming the key.
 */
function checkIsothermsAndMechanisms(isotherms: Isotherm[], m: MechanismSettings, problem: Omit<FitProblem, 'fit'>): void {
  const i = isotherms.findIndex((f) => f !== 'linear');
  if (i < 0) return;
  const which = `with fit.isotherm ${show(isotherms[i])} for ${show(problem.analytes[i].name)}`;
  const why = ': the Thomas solution (MODEL.md §13) has no such mechanism';
  isotherms.forEach((f, k) => {
    if (f === 'linear') return;
    const name = show(problem.analytes[k].name);
    if (m.diffusion[k]) throw new ProblemError('fit.diffusion', `names ${name}, whose fit.isotherm is ${show(f)}${why}`);
    if (m.slowSites[k]) throw new ProblemError('fit.slowSites', `names ${name}, whose fit.isotherm is ${show(f)}${why}`);
    if (problem.analytes[k].slowKa !== undefined) {
      throw new ProblemError(`analytes[${k}].slowKa`, `is not taken by ${name}, whose fit.isotherm is ${show(f)}${why}`);
    }
  });
  if (m.injectionTime) throw new ProblemError('fit.injectionTime', `is not taken ${which}${why}`);
  if (m.detectorTime) throw new ProblemError('fit.detectorTime', `is not taken ${which}${why}`);
  if ((problem.injection.timeConstant ?? 0) > 0) {
    throw new ProblemError('injection.timeConstant', `is not taken ${which}${why}, got ${problem.injection.timeConstant}`);
  }
  if ((problem.detector?.timeConstant ?? 0) > 0) {
    throw new ProblemError('detector.timeConstant', `is not taken ${which}${why}, got ${problem.detector?.timeConstant}`);
  }
}

/**
 * Validates a fitting problem (CONFIG.md plus the `fit` key, README "Fitting") and returns a
 * normalised copy. An already validated FitProblem is returned as it is.
 */
export function parseFitProblem(input: unknown): FitProblem {
  if (typeof input === 'object' && input !== null && parsed.has(input)) return input as FitProblem;
  const p = object(input, 'problem');
  onlyKeys(p, '', ['column', 'injection', 'analytes', 'detector', 'output', 'fit']);
  const fitGeometry = typeof p.fit === 'object' && p.fit !== null ? (p.fit as Json).geometry : undefined;
  const column = p.column === undefined || fitGeometry === 'unknown' ? null : parseColumn(p.column);
  if (p.column !== undefined && fitGeometry === 'unknown') parseColumn(p.column); // still validated
  const inj = object(required(p, 'injection', 'problem'), 'injection');
  onlyKeys(inj, 'injection', ['duration', 'timeConstant']);
  const injection: FitProblem['injection'] = {
    duration: number(required(inj, 'duration', 'injection'), 'injection.duration', { above: 0, unit: 's' }),
  };
  if (inj.timeConstant !== undefined) {
    injection.timeConstant = number(inj.timeConstant, 'injection.timeConstant', { atLeast: 0, unit: 's' });
  }
  const list = required(p, 'analytes', 'problem');
  if (!Array.isArray(list) || list.length === 0) {
    throw new ProblemError('analytes', `must be a non-empty array of analytes, got ${show(list)}`);
  }
  checkAnalyteCount(list.length);
  const analytes: FitProblemAnalyte[] = Array.from(list, (a, i) => {
    // slowKa, slowKd: a second kind of site, fixed, or the start where fit.slowSites fits it
    // isotherm, qMax: a saturating film, whose qMax is the start where fit.isotherm fits it (parseIsotherms)
    const analyte = parseAnalyte(a, i, 'optional') as FitProblemAnalyte;
    if (analyte.ka === undefined) delete analyte.ka;
    if (analyte.kd === undefined) delete analyte.kd;
    if ((analyte.ka === undefined) !== (analyte.kd === undefined)) {
      const missing = analyte.ka === undefined ? 'ka' : 'kd';
      throw new ProblemError(`analytes[${i}].${missing}`, 'is required when the other rate constant is given (both are the start of the fit)');
    }
    return analyte;
  });
  const seen = new Set<string>();
  analytes.forEach((a, i) => {
    if (seen.has(a.name)) throw new ProblemError(`analytes[${i}].name`, `duplicate name ${show(a.name)}`);
    seen.add(a.name);
  });
  if (p.output !== undefined) parseOutput(p.output); // validated, not used: the data set the times
  const problem: Omit<FitProblem, 'fit'> & { fit?: FitSettings } = own({ column, injection, analytes });
  if (p.detector !== undefined) {
    const d = object(p.detector, 'detector');
    onlyKeys(d, 'detector', ['baseline', 'timeConstant']);
    problem.detector = { baseline: number(required(d, 'baseline', 'detector'), 'detector.baseline', { unit: 'signal units' }) };
    if (d.timeConstant !== undefined) {
      problem.detector.timeConstant = number(d.timeConstant, 'detector.timeConstant', { atLeast: 0, unit: 's' });
    }
  }
  problem.fit = parseSettings(p.fit, problem, fitGeometry);
  parsed.add(problem);
  return problem as FitProblem;
}
