/**
 * Shorthands of the command line for a run as GC software describes it: `--program` (the oven
 * program in GC notation), `--gas`, `--inlet-pressure` (with its unit, gauge or absolute) and
 * `--flow` (mL/min). Each is read into SI units here and written into the problem's `oven` and
 * `carrier` keys (CONFIG.md "Run conditions"), which the problem reader then checks as it checks
 * a file; a bad value is a usage error naming the option.
 */
import { GAS_NAMES, type GasName } from '../model/gases.js';
import { parseProgram } from '../model/program.js';
import { UsageError, type Flags, type OptionSpec } from './common.js';

export const RUN_OPTION_SPEC: OptionSpec = {
  program: { type: 'string' }, gas: { type: 'string' }, 'inlet-pressure': { type: 'string' }, flow: { type: 'string' },
};

export const RUN_OPTION_HELP = `  --program <text>     oven program in GC notation, °C, °C/min, min: "40(1)-10-300(5)" is 40 °C
                       held 1 min, 10 °C/min to 300 °C, held 5 min   (sets oven.program)
  --gas <name>         carrier gas: He | H2 | N2 | Ar   (sets carrier.gas)
  --inlet-pressure <p> inlet pressure with its unit and whether gauge or absolute: "4.1bar gauge",
                       "60psig", "250 kPa absolute", "3.2bara"; units Pa, kPa, MPa, bar, mbar,
                       psi, atm   (pressure control: sets carrier.inletPressure, pressureScale)
  --flow <F>           column flow in mL/min at 25 °C and 1 atm: "1.2" or "1.2mL/min"   (flow
                       control: sets carrier.flow)`;

/** Pascal per unit: a power of ten (applied to the decimal text, so 4.1 bar is 410000 Pa exactly) or a factor. */
const PRESSURE_UNITS: Record<string, { power: number } | { factor: number }> = {
  pa: { power: 0 }, kpa: { power: 3 }, mpa: { power: 6 }, bar: { power: 5 }, mbar: { power: 2 },
  psi: { factor: 6894.757293168361 }, atm: { factor: 101325 },
};

/** Canonical spelling of each pressure unit, for messages. */
const UNIT_NAMES: Record<string, string> = { pa: 'Pa', kpa: 'kPa', mpa: 'MPa', bar: 'bar', mbar: 'mbar', psi: 'psi', atm: 'atm' };

export interface PressureValue {
  /** Pressure (Pa) as given: above atmospheric when gauge. */
  pascal: number;
  scale: 'gauge' | 'absolute';
}

const NUMBER = '[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?';

/**
 * A pressure with its unit and scale: `<number> <unit> <gauge|absolute>` with or without spaces,
 * or the scale as a suffix of the unit (`psig`, `barg`, `kPag`, `bara`, `psia`), or `(g)`/`(a)`.
 * Without a stated scale it is refused: a GC head pressure is gauge, a model input absolute, and
 * the two differ by an atmosphere.
 */
export function parsePressureOption(text: string, option = '--inlet-pressure'): PressureValue {
  const form = 'e.g. "4.1bar gauge", "60psig", "250 kPa absolute" (units Pa, kPa, MPa, bar, mbar, psi, atm)';
  const m = new RegExp(`^\\s*(${NUMBER})\\s*([A-Za-z]+)\\s*(?:\\(\\s*([ga])\\s*\\)|\\s([A-Za-z]+))?\\s*$`).exec(text);
  if (!m) throw new UsageError(`${option} must be a pressure with its unit and gauge or absolute, ${form}; got ${JSON.stringify(text)}`);
  let unit = m[2].toLowerCase();
  let scale = (m[3] ?? m[4] ?? '').toLowerCase();
  if (!(unit in PRESSURE_UNITS) && scale === '' && /[ga]$/.test(unit) && unit.slice(0, -1) in PRESSURE_UNITS) {
    scale = unit.slice(-1);
    unit = unit.slice(0, -1);
  }
  if (!(unit in PRESSURE_UNITS)) {
    throw new UsageError(`${option}: unknown pressure unit ${JSON.stringify(m[2])} in ${JSON.stringify(text)}; ` +
      `units: ${Object.values(UNIT_NAMES).join(', ')}`);
  }
  const scales: Record<string, 'gauge' | 'absolute'> = { g: 'gauge', gauge: 'gauge', a: 'absolute', abs: 'absolute', absolute: 'absolute' };
  if (scale === '') {
    throw new UsageError(`${option} ${JSON.stringify(text)}: say whether the pressure is gauge or absolute, ` +
      `e.g. "${m[1]}${UNIT_NAMES[unit]} gauge" or "${m[1]}${UNIT_NAMES[unit]} absolute"`);
  }
  if (!(scale in scales)) {
    throw new UsageError(`${option}: ${JSON.stringify(m[4] ?? scale)} in ${JSON.stringify(text)} is neither gauge nor absolute`);
  }
  const u = PRESSURE_UNITS[unit];
  const mantissa = m[1].replace(/[eE].*$/, '');
  const exponent = Number(/[eE]([+-]?\d+)$/.exec(m[1])?.[1] ?? 0);
  const pascal = 'power' in u ? Number(`${mantissa}e${exponent + u.power}`) : Number(m[1]) * u.factor;
  const kind = scales[scale];
  if (!Number.isFinite(pascal) || (kind === 'absolute' ? pascal <= 0 : pascal < 0)) {
    throw new UsageError(`${option} must be ${kind === 'absolute' ? '> 0 absolute' : '>= 0 gauge'}, got ${JSON.stringify(text)}`);
  }
  return { pascal, scale: kind };
}

/** A column flow in mL/min (a bare number, or with "mL/min") as m3/s. */
export function parseFlowOption(text: string, option = '--flow'): number {
  const m = new RegExp(`^\\s*(${NUMBER})\\s*(ml/min|mL/min|ML/MIN)?\\s*$`).exec(text);
  const value = m ? Number(m[1]) : NaN;
  if (!m || !Number.isFinite(value) || value <= 0) {
    throw new UsageError(`${option} must be a column flow > 0 in mL/min, e.g. "1.2" or "1.2mL/min", got ${JSON.stringify(text)}`);
  }
  return value * 1e-6 / 60;
}

/** A carrier gas name, matched ignoring case (`he`, `H2`). */
export function parseGasOption(text: string, option = '--gas'): GasName {
  const gas = GAS_NAMES.find((g) => g.toLowerCase() === text.trim().toLowerCase());
  if (gas === undefined) throw new UsageError(`${option} must be one of ${GAS_NAMES.join(', ')}, got ${JSON.stringify(text)}`);
  return gas;
}

/** The oven program, checked as the problem reader checks `oven.program` (the message names the step). */
export function checkProgramOption(text: string, option = '--program'): string {
  try {
    parseProgram(text, option);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return text;
}

/** Which run shorthands the command line gave, e.g. ["--program", "--gas"]. */
export function givenRunFlags(values: Flags): string[] {
  return Object.keys(RUN_OPTION_SPEC).filter((k) => values[k] !== undefined).map((k) => `--${k}`);
}

/**
 * The problem JSON with the shorthands written in: `--program` replaces `oven`, `--gas` sets
 * `carrier.gas`, `--inlet-pressure` sets `carrier.inletPressure` and `carrier.pressureScale`
 * (and drops a `carrier.flow`), `--flow` sets `carrier.flow` (and drops an inlet pressure).
 * Both `--inlet-pressure` and `--flow` is a usage error: the carrier is driven by one of them.
 */
export function applyRunOptions(raw: unknown, values: Flags): unknown {
  const given = givenRunFlags(values);
  if (given.length === 0) return raw;
  if (values['inlet-pressure'] !== undefined && values.flow !== undefined) {
    throw new UsageError('--inlet-pressure and --flow exclude each other: the carrier is driven by pressure or by flow');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw; // the reader names the problem
  const problem = structuredClone(raw) as Record<string, unknown>;
  if (values.program !== undefined) problem.oven = { program: checkProgramOption(String(values.program)) };
  const carrierGiven = values.gas !== undefined || values['inlet-pressure'] !== undefined || values.flow !== undefined;
  if (carrierGiven) {
    const old = problem.carrier;
    const carrier: Record<string, unknown> = typeof old === 'object' && old !== null && !Array.isArray(old) ? { ...old } : {};
    if (values.gas !== undefined) carrier.gas = parseGasOption(String(values.gas));
    if (values['inlet-pressure'] !== undefined) {
      const p = parsePressureOption(String(values['inlet-pressure']));
      carrier.inletPressure = p.pascal;
      carrier.pressureScale = p.scale;
      delete carrier.flow;
    }
    if (values.flow !== undefined) {
      carrier.flow = parseFlowOption(String(values.flow));
      delete carrier.inletPressure;
      delete carrier.pressureScale;
    }
    problem.carrier = carrier;
  }
  return problem;
}
