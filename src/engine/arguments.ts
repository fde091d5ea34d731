/**
 * Checks of the arguments of the engine's public calls. A wasm kernel given a wrong length or
 * pointer reads or writes memory it does not own (the kernels' tables, another caller's arrays)
 * or traps, so every call is checked before it reaches the instance: a bad call throws a
 * RangeError or TypeError naming the call, the argument and what is allowed, and changes nothing.
 */

/** Largest length or count a kernel takes (its i32 arguments). */
export const MAX_COUNT = 2 ** 31 - 1;

/** A finite number (a kernel's f64 argument). */
export function finiteArgument(call: string, name: string, value: unknown): number {
  if (typeof value !== 'number') throw new TypeError(`${call}: ${name} must be a number, got ${describe(value)}`);
  if (!Number.isFinite(value)) throw new RangeError(`${call}: ${name} must be finite, got ${value}`);
  return value;
}

/** Every value of `scalars` (argument name to value) is a finite number. */
export function finiteArguments(call: string, scalars: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(scalars)) finiteArgument(call, name, value);
}

/** An integer in [min, max] (a length, count or index). */
export function countArgument(call: string, name: string, value: unknown, min = 0, max = MAX_COUNT): number {
  if (typeof value !== 'number') throw new TypeError(`${call}: ${name} must be a number, got ${describe(value)}`);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${call}: ${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

/** A Float64Array of at least `length` elements. */
export function arrayArgument(call: string, name: string, value: unknown, length: number): Float64Array {
  if (!(value instanceof Float64Array)) {
    throw new TypeError(`${call}: ${name} must be a Float64Array, got ${describe(value)}`);
  }
  if (value.length < length) {
    throw new RangeError(`${call}: ${name} must hold at least ${length} values, got ${value.length}`);
  }
  return value;
}

/** How many f64 each array argument of a kernel reads or writes, by name. */
export type Lengths = Record<string, number>;

/** fdImplicitAdvance on n cells for `steps` steps (assembly/fd.ts). */
export function fdImplicitLengths(n: number, steps: number): Lengths {
  return {
    lower2: n, lower: n, diag: n, upper: n, c: n, q: n, work: 6 * n,
    dts: steps, sources: steps, outlet: 2 * steps, window: 7,
  };
}

/** fdLangmuirAdvance of m analytes on n cells for `steps` steps (assembly/fd-langmuir.ts). */
export function fdLangmuirLengths(n: number, m: number, steps: number): Lengths {
  return {
    faceU: n + 1, faceG: n + 1, rates: 4 * m, inflow: m, c: m * n, q: m * n,
    work: 2 * m * n + m * (n + 1) + 3 * m, dts: steps, sources: steps, outlet: 2 * m * steps,
  };
}

/** fdProgramAdvance on n cells for `steps` steps (assembly/fd-program.ts). */
export function fdProgramLengths(n: number, steps: number): Lengths {
  return { c: n, q: n, work: 12 * n, coefficients: 10 * steps, outlet: 2 * steps, window: 7 };
}

/** fdExplicitAdvance on n + 1 nodes for `steps` steps (assembly/fd.ts). */
export function fdExplicitLengths(n: number, steps: number): Lengths {
  return {
    lower: n + 1, diag: n + 1, upper: n + 1, c: n + 1, q: n + 1, scratch: n + 1,
    dts: steps, sources: steps, outlet: steps,
  };
}

/** Every array of a copying call holds what the kernel will touch. */
export function arrayArguments(call: string, arrays: Record<string, unknown>, lengths: Lengths): void {
  for (const [name, length] of Object.entries(lengths)) arrayArgument(call, name, arrays[name], length);
}

/**
 * The active window of fdImplicitAdvance, [lo, hi, factoredLo, factoredHi, ...]: cell indices the
 * kernel loops over, so integers from 0 to n with lo <= hi (the caller's values, or read from
 * wasm memory for the zero-copy call).
 */
export function windowArgument(call: string, window: ArrayLike<number>, n: number): void {
  ['window[0] (lo)', 'window[1] (hi)', 'window[2] (factored lo)', 'window[3] (factored hi)']
    .forEach((name, i) => countArgument(call, name, window[i], 0, n));
  if (window[0] > window[1]) throw new RangeError(`${call}: window[0] (lo) ${window[0]} is above window[1] (hi) ${window[1]}`);
}

/** A short description of a value of the wrong type, for messages. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value;
}

/** Most Fourier terms the dispersion kernel may be asked for (its work array holds twice as many f64). */
export const MAX_DISPERSION_TERMS = 1 << 20;

/**
 * The scalars of the dispersion kernel: hold-up > 0, 1/Pe >= 0, B >= 0, kd > 0, pulse > 0 (s),
 * position in (0, 1], scale finite, tolerance in (0, 1), maxTerms an integer from 1 to MAX_DISPERSION_TERMS.
 */
export function dispersionArguments(call: string, a: {
  holdup: unknown; inversePeclet: unknown; retention: unknown; kd: unknown; pulse: unknown; position: unknown;
  scale: unknown; tolerance: unknown; maxTerms: unknown;
}): void {
  finiteArguments(call, { holdup: a.holdup, inversePeclet: a.inversePeclet, retention: a.retention, kd: a.kd, pulse: a.pulse,
    position: a.position, scale: a.scale, tolerance: a.tolerance });
  const within = (name: string, ok: boolean, range: string) => {
    if (!ok) throw new RangeError(`${call}: ${name} must be ${range}, got ${String((a as Record<string, unknown>)[name])}`);
  };
  const v = a as Record<string, number>;
  within('holdup', v.holdup > 0, 'positive');
  within('inversePeclet', v.inversePeclet >= 0, 'at least 0');
  within('retention', v.retention >= 0, 'at least 0');
  within('kd', v.kd > 0, 'positive');
  within('pulse', v.pulse > 0, 'positive');
  within('position', v.position > 0 && v.position <= 1, 'in (0, 1]');
  within('tolerance', v.tolerance > 0 && v.tolerance < 1, 'in (0, 1)');
  countArgument(call, 'maxTerms', a.maxTerms, 1, MAX_DISPERSION_TERMS);
}
