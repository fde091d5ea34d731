/**
 * Measured data for a fit: the checks every chromatogram passes before fitting, and the error
 * that names the column, row or window at fault.
 */

/** Fewest data points accepted (after cropping). */
export const MIN_DATA_POINTS = 10;

/** Thrown for unusable data: `path` names the column, row or window, e.g. `data.time[12]`. */
export class DataError extends RangeError {
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'DataError';
    this.path = path;
  }
}

/** Times finite and strictly increasing, signals finite, same length, at least MIN_DATA_POINTS. */
export function checkData(data: { time: ArrayLike<number>; signal: ArrayLike<number> }): void {
  const { time, signal } = data;
  if (!time || !signal || typeof time.length !== 'number' || typeof signal.length !== 'number') {
    throw new DataError('data', 'must have arrays `time` (s) and `signal`');
  }
  if (time.length !== signal.length) {
    throw new DataError('data.signal', `must have as many values as data.time (${time.length}), got ${signal.length}`);
  }
  if (time.length < MIN_DATA_POINTS) {
    throw new DataError('data', `must have at least ${MIN_DATA_POINTS} points, got ${time.length}`);
  }
  for (let j = 0; j < time.length; j++) {
    if (!Number.isFinite(time[j])) throw new DataError(`data.time[${j}]`, `must be a finite number (s), got ${time[j]}`);
    if (!Number.isFinite(signal[j])) throw new DataError(`data.signal[${j}]`, `must be a finite number, got ${signal[j]}`);
    if (j > 0 && !(time[j] > time[j - 1])) {
      throw new DataError(`data.time[${j}]`,
        `times must increase strictly (no duplicates, sorted); got ${time[j]} after ${time[j - 1]}`);
    }
  }
}
