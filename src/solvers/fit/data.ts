/**
 * Measured data for a fit: the checks every chromatogram passes before fitting, the error that
 * names the column, row or window at fault, and the cropping and index ranges of the time grid.
 */
import { ProblemError } from '../../model/problem.js';
import { MAX_DATA_POINTS } from '../../model/limits.js';
import type { TimeWindow } from './problem.js';

/** Fewest data points accepted (after cropping). */
export const MIN_DATA_POINTS = 10;

/**
 * Largest magnitude of a time (s) or signal value accepted: the fit squares and sums residuals
 * and moments over up to 1e7 points, which stays finite (and its peak search meaningful) below it.
 */
export const DATA_LIMIT = 1e100;

/** Thrown for unusable data: `path` names the column, row or window, e.g. `data.time[12]`. */
export class DataError extends RangeError {
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'DataError';
    this.path = path;
  }
}

/** Times finite and strictly increasing, signals finite, both within ±DATA_LIMIT, same length, at least MIN_DATA_POINTS. */
export function checkData(data: { time: ArrayLike<number>; signal: ArrayLike<number> }): void {
  if (typeof data !== 'object' || data === null) {
    throw new DataError('data', `must be an object with arrays \`time\` (s) and \`signal\`, got ${data === null ? 'null' : typeof data}`);
  }
  const time = Object.hasOwn(data, 'time') ? data.time : undefined;
  const signal = Object.hasOwn(data, 'signal') ? data.signal : undefined;
  if (!time || !signal || typeof time.length !== 'number' || typeof signal.length !== 'number') {
    throw new DataError('data', 'must have arrays `time` (s) and `signal`');
  }
  if (time.length !== signal.length) {
    throw new DataError('data.signal', `must have as many values as data.time (${time.length}), got ${signal.length}`);
  }
  if (time.length > MAX_DATA_POINTS) {
    throw new DataError('data', `must have at most ${MAX_DATA_POINTS} points (the limit of a measured chromatogram), got ${time.length}`);
  }
  if (time.length < MIN_DATA_POINTS) {
    throw new DataError('data', `must have at least ${MIN_DATA_POINTS} points, got ${time.length}`);
  }
  for (let j = 0; j < time.length; j++) {
    if (!Number.isFinite(time[j])) throw new DataError(`data.time[${j}]`, `must be a finite number (s), got ${time[j]}`);
    if (!Number.isFinite(signal[j])) throw new DataError(`data.signal[${j}]`, `must be a finite number, got ${signal[j]}`);
    if (Math.abs(time[j]) > DATA_LIMIT || Math.abs(signal[j]) > DATA_LIMIT) {
      const [key, value] = Math.abs(time[j]) > DATA_LIMIT ? ['time', time[j]] : ['signal', signal[j]];
      throw new DataError(`data.${key}[${j}]`, `must be within ±${DATA_LIMIT} (the fit sums squares of the data), got ${value}`);
    }
    if (j > 0 && !(time[j] > time[j - 1])) {
      throw new DataError(`data.time[${j}]`,
        `times must increase strictly (no duplicates, sorted); got ${time[j]} after ${time[j - 1]}`);
    }
  }
}

/** Indices j with lo <= x[j] <= hi. */
export function indicesWithin(x: ArrayLike<number>, lo: number, hi: number): Int32Array {
  const idx = new Int32Array(x.length);
  let n = 0;
  for (let j = 0; j < x.length; j++) if (x[j] >= lo && x[j] <= hi) idx[n++] = j;
  return idx.slice(0, n);
}

/** x[idx[k]] for every k. */
export function gather(x: ArrayLike<number>, idx: ArrayLike<number>): Float64Array {
  const out = new Float64Array(idx.length);
  for (let k = 0; k < idx.length; k++) out[k] = x[idx[k]];
  return out;
}

/** The first index of the ascending times t with t >= x (t > x when strict); t.length if none. */
function firstAtOrAfter(t: Float64Array, x: number, strict: boolean): number {
  let lo = 0, hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (strict ? t[mid] <= x : t[mid] < x) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/**
 * Index range [first, end) of the ascending times t inside w (a binary search: loops over such
 * ranges stay short although the data have ~10⁴ points).
 */
export function indexRange(t: Float64Array, w: TimeWindow): [number, number] {
  return [firstAtOrAfter(t, w.start, false), firstAtOrAfter(t, w.end, true)];
}

/** The checked data inside `crop` (s; null: all): times t (s) and signal y. */
export function cropData(
  data: { time: ArrayLike<number>; signal: ArrayLike<number> }, crop: TimeWindow | null,
): { t: Float64Array; y: Float64Array } {
  const { start, end } = crop ?? { start: -Infinity, end: Infinity };
  const first = data.time[0], last = data.time[data.time.length - 1];
  if (end < first || start > last) {
    throw new ProblemError('fit.crop', `[${start}, ${end}] s lies outside the data (${first} to ${last} s)`);
  }
  const keep = indicesWithin(data.time, start, end);
  if (keep.length < MIN_DATA_POINTS) {
    throw new ProblemError('fit.crop', `leaves ${keep.length} data points, at least ${MIN_DATA_POINTS} are needed`);
  }
  return { t: gather(data.time, keep), y: gather(data.signal, keep) };
}
