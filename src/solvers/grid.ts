/**
 * Output time grids and sums over them, shared by every solver: the problem's `output` grid (or
 * explicit times, validated), and the trapezoid rule over it.
 */
import { MAX_OUTPUT_POINTS, ProblemError, ProblemTypeError, show, type Problem } from '../model/problem.js';
import { trapezoidAndMaximum } from '../engine/kernels/grid.js';

export { trapezoidAndMaximum };

/**
 * Times given by a caller (`options.times`), copied into a Float64Array and checked: an array or
 * a typed array (refused otherwise, before any element is read), of 1 to MAX_OUTPUT_POINTS
 * numbers (the size is checked before the copy, so `{ length: 2e8 }` costs nothing), each finite
 * and >= 0, and with `ascending` each >= the one before. A hole or a non-number is refused.
 */
export function givenTimes(given: unknown, ascending: boolean, path = 'options.times'): Float64Array {
  const typed = ArrayBuffer.isView(given) && !(given instanceof DataView) && !(given instanceof BigInt64Array) &&
    !(given instanceof BigUint64Array);
  if (!typed && !Array.isArray(given)) {
    throw new ProblemTypeError(path, `must be an array or a Float64Array of times (s), got ${show(given)}`);
  }
  const length = (given as ArrayLike<number>).length;
  if (length < 1 || length > MAX_OUTPUT_POINTS) {
    throw new ProblemError(path, `must hold 1 to ${MAX_OUTPUT_POINTS} times, got ${length}`);
  }
  // A copy (the result keeps it); the typed-array constructor copies a Float64Array ~4x faster than `from`.
  const list = given as ArrayLike<unknown>;
  if (!typed) {
    for (let j = 0; j < length; j++) {
      if (typeof list[j] !== 'number') throw new ProblemTypeError(`${path}[${j}]`, `must be a time (s), got ${show(list[j])}`);
    }
  }
  const t = given instanceof Float64Array ? new Float64Array(given) : Float64Array.from(list as ArrayLike<number>);
  for (let j = 0; j < t.length; j++) {
    if (!Number.isFinite(t[j]) || t[j] < 0) {
      throw new ProblemError(`${path}[${j}]`, `must be a finite time >= 0 (s), got ${t[j]}`);
    }
    if (ascending && j > 0 && !(t[j] >= t[j - 1])) {
      throw new ProblemError(`${path}[${j}]`, `must be >= the previous time ${t[j - 1]}, got ${t[j]}`);
    }
  }
  return t;
}

/** The output times (s): `given`, checked finite, >= 0 and ascending (givenTimes), or the problem's grid. */
export function outputTimes(problem: Problem, given: ArrayLike<number> | undefined): Float64Array {
  if (given === undefined) {
    const { start, end, count } = problem.output;
    const t = new Float64Array(count);
    const h = (end - start) / (count - 1);
    for (let j = 0; j < count; j++) t[j] = start + j * h;
    t[count - 1] = end;
    return t;
  }
  return givenTimes(given, true);
}

/** Trapezoid-rule integral of c over the times t (units of c times s). */
export function trapezoid(t: Float64Array, c: Float64Array): number {
  return trapezoidAndMaximum(t, c).area;
}
