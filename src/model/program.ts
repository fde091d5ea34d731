/**
 * Programs: a quantity (oven temperature, inlet pressure, column flow) as a function of time,
 * written as GC software writes it, as ramps, or as breakpoints, turned into a Schedule
 * (conditions.ts: linear between breakpoints, constant after the last). CONFIG.md "Run
 * conditions" gives the forms; every error names the key, the step, the value and the rule.
 *
 * GC notation (temperature only; °C, °C/min, min):
 *
 *     program = temperature [hold] { "-" rate "-" temperature [hold] }
 *     hold    = "(" minutes ")"
 *
 * e.g. "40(1)-10-300(5)": 40 °C held 1 min, then 10 °C/min to 300 °C, held 5 min. Numbers are
 * decimal (`12`, `0.5`, `.5`, `1e2`); a temperature may carry a sign (`-20`), rates and holds not.
 * Spaces between tokens are allowed. A rate is the magnitude of dT/dt: a target below the current
 * temperature cools at that rate. A rate of 0 is allowed only to the same temperature (a hold).
 */
import type { Schedule } from './conditions.js';
import { number, object, onlyKeys, ProblemError, ProblemTypeError, required, show, type Json } from './problem.js';

/** 0 °C in K. */
export const CELSIUS_ZERO = 273.15;
/** Lowest oven temperature accepted (K): -100 °C. */
export const MIN_OVEN_TEMPERATURE = 173.15;
/** Highest oven temperature accepted (K): 450 °C. */
export const MAX_OVEN_TEMPERATURE = 723.15;
/** Slack (K) so that -100 °C and 450 °C written in °C pass after the rounding of c + 273.15. */
const LIMIT_SLACK = 1e-9;

/** What a programmed quantity is and which values it may take. */
export interface Quantity {
  /** Unit of the values (SI), e.g. "K", "Pa", "m3/s". */
  readonly unit: string;
  /** Undefined when `v` is allowed, else the rule it breaks, e.g. "must be > 0". */
  check(v: number): string | undefined;
  /** How to show a value in messages (default: the number and the unit). */
  show?(v: number): string;
}

function showValue(q: Quantity, v: number): string {
  return q.show ? q.show(v) : `${v} ${q.unit}`;
}

const celsius = (k: number): string => `${+(k - CELSIUS_ZERO).toPrecision(12)} °C`;

/** The oven temperature (K): from -100 °C to 450 °C. */
export const OVEN_TEMPERATURE: Quantity = {
  unit: 'K',
  check: (v) => v < MIN_OVEN_TEMPERATURE - LIMIT_SLACK ? `is below -100 °C (${MIN_OVEN_TEMPERATURE} K)`
    : v > MAX_OVEN_TEMPERATURE + LIMIT_SLACK ? `is above 450 °C (${MAX_OVEN_TEMPERATURE} K)` : undefined,
  show: (v) => `${+v.toPrecision(12)} K (${celsius(v)})`,
};

/** A positive quantity of the given unit (pressures, flows). */
export function positiveQuantity(unit: string): Quantity {
  return { unit, check: (v) => (v > 0 ? undefined : 'must be > 0') };
}

/** A schedule holding one value. */
export function constantSchedule(value: number): Schedule {
  return { times: Float64Array.of(0), values: Float64Array.of(value) };
}

/** Time of the last breakpoint (s): where the program ends and the value stays constant. */
export function scheduleEnd(s: Schedule): number {
  return s.times[s.times.length - 1];
}

/** Builds a schedule breakpoint by breakpoint, joining holds of zero length. */
class ScheduleBuilder {
  readonly times: number[] = [];
  readonly values: number[] = [];
  constructor(t0: number, v0: number) {
    this.times.push(t0);
    this.values.push(v0);
  }
  get time(): number {
    return this.times[this.times.length - 1];
  }
  get value(): number {
    return this.values[this.values.length - 1];
  }
  /** Goes on to `value` over `duration` (s); a zero duration adds nothing. */
  to(duration: number, value: number): void {
    if (duration > 0) {
      this.times.push(this.time + duration);
      this.values.push(value);
    }
  }
  build(): Schedule {
    return { times: Float64Array.from(this.times), values: Float64Array.from(this.values) };
  }
}

function checked(q: Quantity, v: number, path: string, what: string): number {
  const rule = q.check(v);
  if (rule !== undefined) throw new ProblemError(path, `${what} ${showValue(q, v)} ${rule}`);
  return v;
}

/** The finite time a schedule may reach (s); beyond it times lose their resolution. */
const MAX_TIME = 1e12;

function checkEnd(t: number, path: string): void {
  if (!(t <= MAX_TIME)) {
    throw new ProblemError(path, `makes the program last ${t} s, more than ${MAX_TIME} s`);
  }
}

// ---------------------------------------------------------------------------------------------
// GC notation

interface Token {
  /** 'n' a number, or the character '(' ')' '-'. */
  kind: 'n' | '(' | ')' | '-';
  text: string;
  /** 1-based column in the program text. */
  at: number;
}

const NUMBER = /[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;

function tokenize(text: string, path: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    // A sign belongs to a number only where a temperature starts: at the beginning or after "-rate-".
    const signAllowed = tokens.length === 0 || (tokens.length >= 2 && tokens[tokens.length - 1].kind === '-' &&
      tokens[tokens.length - 2].kind === 'n' && tokens[tokens.length - 3]?.kind === '-');
    if (ch === '(' || ch === ')' || (ch === '-' && !(signAllowed && /[\d.]/.test(text[i + 1] ?? '')))) {
      tokens.push({ kind: ch as Token['kind'], text: ch, at: i + 1 });
      i++;
      continue;
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m === null || (!signAllowed && /[+-]/.test(ch))) {
      throw new ProblemError(path, `cannot read ${show(text)} at character ${i + 1} (${show(text.slice(i, i + 8))}); ` +
        'the form is temperature[(hold)]-rate-temperature[(hold)]..., e.g. "40(1)-10-300(5)" (°C, °C/min, min)');
    }
    tokens.push({ kind: 'n', text: m[0], at: i + 1 });
    i = NUMBER.lastIndex;
  }
  return tokens;
}

/**
 * The oven temperature program written in GC notation (°C, °C/min, min; grammar above) as a
 * schedule in K and s starting at t = 0. `path` names the key in messages.
 */
export function parseProgram(text: unknown, path = 'oven.program'): Schedule {
  if (typeof text !== 'string') {
    throw new ProblemTypeError(path, `must be a program string such as "40(1)-10-300(5)", got ${show(text)}`);
  }
  if (text.trim() === '') {
    throw new ProblemError(path, 'is empty; give at least an initial temperature, e.g. "40(1)-10-300(5)" (°C, °C/min, min)');
  }
  const tokens = tokenize(text, path);
  let k = 0;
  let step = 1;
  const where = () => `step ${step}`;
  const expect = (kind: Token['kind'], what: string): Token => {
    const tok = tokens[k];
    if (tok === undefined || tok.kind !== kind) {
      const found = tok === undefined ? 'the end' : `${show(tok.text)} at character ${tok.at}`;
      throw new ProblemError(path, `${where()}: expected ${what}, found ${found} in ${show(text)}`);
    }
    k++;
    return tok;
  };
  const numberOf = (tok: Token, what: string, unit: string): number => {
    const v = Number(tok.text);
    if (!Number.isFinite(v)) {
      throw new ProblemError(path, `${where()}: ${what} ${tok.text} ${unit} is not a finite number`);
    }
    return v;
  };
  const readHold = (b: ScheduleBuilder, celsiusNow: number): void => {
    if (tokens[k]?.kind !== '(') return;
    k++;
    const minutes = numberOf(expect('n', 'a hold time in min'), 'hold', 'min');
    if (minutes < 0) throw new ProblemError(path, `${where()}: hold ${minutes} min must be >= 0`);
    expect(')', '")" after the hold time');
    b.to(60 * minutes, celsiusNow + CELSIUS_ZERO);
  };
  const temperature = (c: number, what: string): number =>
    checked(OVEN_TEMPERATURE, c + CELSIUS_ZERO, path, `${where()}: ${what}`);

  let current = numberOf(expect('n', 'an initial temperature in °C'), 'initial temperature', '°C');
  const b = new ScheduleBuilder(0, temperature(current, 'initial temperature'));
  readHold(b, current);
  while (k < tokens.length) {
    step++;
    expect('-', '"-" before a rate');
    const rateTok = expect('n', 'a rate in °C/min');
    const rate = numberOf(rateTok, 'rate', '°C/min');
    if (rate < 0) throw new ProblemError(path, `${where()}: rate ${rate} °C/min must be >= 0 (a lower target cools)`);
    expect('-', '"-" between the rate and its target temperature');
    const target = numberOf(expect('n', 'a target temperature in °C'), 'target', '°C');
    temperature(target, `target`);
    if (rate === 0 && target !== current) {
      throw new ProblemError(path, `${where()}: rate 0 °C/min cannot reach ${target} °C from ${current} °C; ` +
        'a rate of 0 is a hold at the same temperature (or write the hold in parentheses)');
    }
    if (target !== current) b.to((60 * Math.abs(target - current)) / rate, target + CELSIUS_ZERO);
    current = target;
    readHold(b, current);
    checkEnd(b.time, path);
  }
  checkEnd(b.time, path);
  return b.build();
}

// ---------------------------------------------------------------------------------------------
// Ramps and breakpoints (SI)

/**
 * A program as ramps in SI: `{ initial, hold?, ramps?: [{ rate, target, hold? }] }`, `rate` in
 * unit/s (the magnitude of the change), `hold` in s. Values are checked against `q`.
 */
export function rampSchedule(value: unknown, path: string, q: Quantity): Schedule {
  const spec = object(value, path);
  onlyKeys(spec, path, ['initial', 'hold', 'ramps']);
  const initial = checked(q, number(required(spec, 'initial', path), `${path}.initial`, { unit: q.unit }),
    `${path}.initial`, 'value');
  const b = new ScheduleBuilder(0, initial);
  const hold = (o: Json, p: string) => o.hold === undefined ? 0 : number(o.hold, `${p}.hold`, { atLeast: 0, unit: 's' });
  b.to(hold(spec, path), initial);
  const ramps = spec.ramps === undefined ? [] : spec.ramps;
  if (!Array.isArray(ramps)) throw new ProblemTypeError(`${path}.ramps`, `must be an array of ramps, got ${show(ramps)}`);
  Array.from(ramps, (r, i) => {
    const p = `${path}.ramps[${i}]`;
    const ramp = object(r, p);
    onlyKeys(ramp, p, ['rate', 'target', 'hold']);
    const rate = number(required(ramp, 'rate', p), `${p}.rate`, { atLeast: 0, unit: `${q.unit}/s` });
    const target = checked(q, number(required(ramp, 'target', p), `${p}.target`, { unit: q.unit }), `${p}.target`, 'target');
    const from = b.value;
    if (rate === 0 && target !== from) {
      throw new ProblemError(`${p}.rate`, `0 ${q.unit}/s cannot reach the target ${showValue(q, target)} from ` +
        `${showValue(q, from)}; a rate of 0 is a hold at the same value`);
    }
    if (target !== from) b.to(Math.abs(target - from) / rate, target);
    b.to(hold(ramp, p), target);
    checkEnd(b.time, p);
  });
  return b.build();
}

/** A program as breakpoints `[[t, value], ...]`: times in s, >= 0, strictly increasing; values checked against `q`. */
export function breakpointSchedule(value: unknown, path: string, q: Quantity): Schedule {
  if (!Array.isArray(value) || value.length === 0) {
    throw new ProblemError(path, `must be a non-empty array of [time (s), value (${q.unit})] pairs, got ${show(value)}`);
  }
  const times = new Float64Array(value.length);
  const values = new Float64Array(value.length);
  Array.from(value, (pair, i) => {
    const p = `${path}[${i}]`;
    if (!Array.isArray(pair) || pair.length !== 2) {
      throw new ProblemError(p, `must be a [time (s), value (${q.unit})] pair, got ${show(pair)}`);
    }
    const t = number(pair[0], `${p}[0]`, { atLeast: 0, unit: 's' });
    checkEnd(t, `${p}[0]`);
    if (i > 0 && !(t > times[i - 1])) {
      throw new ProblemError(`${p}[0]`, `time ${t} s is ${t === times[i - 1] ? 'equal to' : 'before'} the previous ` +
        `breakpoint's ${times[i - 1]} s; times must increase strictly (a jump is two breakpoints a short time apart)`);
    }
    times[i] = t;
    values[i] = checked(q, number(pair[1], `${p}[1]`, { unit: q.unit }), `${p}[1]`, 'value');
  });
  return { times, values };
}

/**
 * A programmable quantity given as a number (constant), breakpoints `[[t, v], ...]` or ramps
 * `{ initial, hold, ramps }`, with `toSI` applied to every value first (e.g. gauge to absolute
 * pressure; identity by default).
 */
export function quantitySchedule(value: unknown, path: string, q: Quantity, toSI: (v: number) => number = (v) => v): Schedule {
  if (typeof value === 'number') {
    const v = toSI(number(value, path, { unit: q.unit }));
    return constantSchedule(checked(q, v, path, 'value'));
  }
  const inner: Quantity = { ...q, check: (v) => q.check(toSI(v)), show: (v) => showValue(q, toSI(v)) };
  const s = Array.isArray(value) ? breakpointSchedule(value, path, inner)
    : typeof value === 'object' && value !== null ? rampSchedule(value, path, inner)
    : (() => {
      throw new ProblemTypeError(path, `must be a number (${q.unit}), [[time (s), value], ...] or ` +
        `{ initial, hold, ramps }, got ${show(value)}`);
    })();
  return { times: s.times, values: s.values.map(toSI) };
}

/**
 * The oven temperature (K) from `oven`: `{ temperature: K }` (isothermal), `{ program: "40(1)-10-300(5)" }`
 * (GC notation, °C), `{ initial, hold, ramps }` (K, K/s, s) or `{ breakpoints: [[t, K], ...] }`.
 */
export function ovenSchedule(value: unknown, path = 'oven'): Schedule {
  const oven = object(value, path);
  const forms = ['temperature', 'program', 'initial', 'breakpoints'].filter((k) => oven[k] !== undefined);
  if (forms.length !== 1) {
    throw new ProblemError(path, forms.length === 0
      ? 'needs one of temperature (K), program (GC notation, °C), initial (+ hold, ramps; K, K/s, s) or breakpoints ([[s, K], ...])'
      : `has ${forms.join(' and ')}; give exactly one of temperature, program, initial (+ hold, ramps) or breakpoints`);
  }
  switch (forms[0]) {
    case 'temperature': {
      onlyKeys(oven, path, ['temperature']);
      const T = number(oven.temperature, `${path}.temperature`, { unit: 'K' });
      return constantSchedule(checked(OVEN_TEMPERATURE, T, `${path}.temperature`, 'temperature'));
    }
    case 'program':
      onlyKeys(oven, path, ['program']);
      return parseProgram(oven.program, `${path}.program`);
    case 'breakpoints':
      onlyKeys(oven, path, ['breakpoints']);
      return breakpointSchedule(oven.breakpoints, `${path}.breakpoints`, OVEN_TEMPERATURE);
    default:
      return rampSchedule(oven, path, OVEN_TEMPERATURE);
  }
}
