/**
 * Output time grids and sums over them, shared by every solver: the problem's `output` grid (or
 * explicit times, validated), and the trapezoid rule over it.
 */
import { ProblemError, type Problem } from '../model/problem.js';

/** The output times (s): `given`, checked finite, >= 0 and ascending, or the problem's grid. */
export function outputTimes(problem: Problem, given: ArrayLike<number> | undefined): Float64Array {
  if (given === undefined) {
    const { start, end, count } = problem.output;
    const t = new Float64Array(count);
    const h = (end - start) / (count - 1);
    for (let j = 0; j < count; j++) t[j] = start + j * h;
    t[count - 1] = end;
    return t;
  }
  // A copy (the result keeps it); the typed-array constructor copies a Float64Array ~4x faster than `from`.
  const t = given instanceof Float64Array ? new Float64Array(given) : Float64Array.from(given);
  if (t.length < 1) throw new ProblemError('options.times', 'must hold at least one time');
  for (let j = 0; j < t.length; j++) {
    if (!Number.isFinite(t[j]) || t[j] < 0) {
      throw new ProblemError(`options.times[${j}]`, `must be a finite time >= 0 (s), got ${t[j]}`);
    }
    if (j > 0 && !(t[j] >= t[j - 1])) {
      throw new ProblemError(`options.times[${j}]`, `must be >= the previous time ${t[j - 1]}, got ${t[j]}`);
    }
  }
  return t;
}

/** Trapezoid-rule integral of c over the times t (units of c times s). */
export function trapezoid(t: Float64Array, c: Float64Array): number {
  return trapezoidAndMaximum(t, c).area;
}

/**
 * The trapezoid-rule integral of c over the times t and the index of c's largest value (the first
 * if tied), in one pass. The intervals are summed into four partial sums, interval j into sum
 * j mod 4 (so that the additions do not wait on each other), then (s1 + s2) + (s3 + s0).
 */
export function trapezoidAndMaximum(t: Float64Array, c: Float64Array): { area: number; peak: number } {
  const n = c.length;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let peak = 0;
  let best = c[0];
  let j = 1;
  for (; j + 3 < n; j += 4) {
    const c0 = c[j - 1];
    const c1 = c[j];
    const c2 = c[j + 1];
    const c3 = c[j + 2];
    const c4 = c[j + 3];
    s1 += 0.5 * (t[j] - t[j - 1]) * (c1 + c0);
    s2 += 0.5 * (t[j + 1] - t[j]) * (c2 + c1);
    s3 += 0.5 * (t[j + 2] - t[j + 1]) * (c3 + c2);
    s0 += 0.5 * (t[j + 3] - t[j + 2]) * (c4 + c3);
    if (c1 > best) { best = c1; peak = j; }
    if (c2 > best) { best = c2; peak = j + 1; }
    if (c3 > best) { best = c3; peak = j + 2; }
    if (c4 > best) { best = c4; peak = j + 3; }
  }
  for (; j < n; j++) {
    const term = 0.5 * (t[j] - t[j - 1]) * (c[j] + c[j - 1]);
    if (j % 4 === 1) s1 += term;
    else if (j % 4 === 2) s2 += term;
    else if (j % 4 === 3) s3 += term;
    else s0 += term;
    if (c[j] > best) { best = c[j]; peak = j; }
  }
  return { area: (s1 + s2) + (s3 + s0), peak };
}
