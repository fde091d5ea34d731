import { btexProblem, type Problem } from '../src/index.js';

/** Largest |a_i - b_i| over i. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function maxOf(a: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < a.length; i++) m = Math.max(m, a[i]);
  return m;
}

/** The BTEX problem with some keys changed, for bad-input and variation cases. */
export function btexWith(change: (p: Problem & Record<string, unknown>) => void): unknown {
  const p = btexProblem() as Problem & Record<string, unknown>;
  change(p);
  return p;
}

/**
 * The fitting problem of a simulated truth: the same column, injection and analytes without the
 * constants a fit determines (ka, kd, isotherm, qMax) and without an output grid (the data's times).
 */
export function fittingProblemOf(truth: Problem): { analytes: Record<string, unknown>[]; output?: unknown; fit?: unknown } {
  const problem = structuredClone(truth) as unknown as { analytes: Record<string, unknown>[]; output?: unknown; fit?: unknown };
  for (const a of problem.analytes) {
    delete a.ka;
    delete a.kd;
    delete a.isotherm;
    delete a.qMax;
  }
  delete problem.output;
  return problem;
}
