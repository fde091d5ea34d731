/**
 * The synthetic measurement offered by the page ("Load example measurement") and used by the
 * end-to-end fit test: the BTEX column with every analyte's (ka, kd) moved away from Table 3, so a
 * fit started from the preloaded BTEX constants has something to find. Noise-free, computed by the
 * library itself (not measured data).
 */
import { columnsCsv, type Problem } from 'elution';

/** The constants the example was made with: what a fit must recover. ka, kd in 1/s. */
export const EXAMPLE_TRUTH: ReadonlyArray<{ name: string; ka: number; kd: number }> = [
  { name: 'o-xylene', ka: 1.1e4, kd: 15.2 },
  { name: 'p+m-xylene', ka: 0.61e4, kd: 10.3 },
  { name: 'ethylbenzene', ka: 0.97e4, kd: 18.1 },
  { name: 'toluene', ka: 0.28e4, kd: 11.9 },
  { name: 'benzene', ka: 0.062e4, kd: 5.1 },
];

/** The BTEX problem (pass `btexProblem()`) with the example's constants. */
export function exampleProblem(btex: Problem): Problem {
  const problem = structuredClone(btex);
  for (const a of problem.analytes) {
    const truth = EXAMPLE_TRUTH.find((t) => t.name === a.name);
    if (!truth) throw new RangeError(`example: no constants for analyte ${a.name}`);
    a.ka = truth.ka;
    a.kd = truth.kd;
  }
  return problem;
}

/** `time,signal` CSV of a chromatogram, written by the package's CSV writer. */
export function measurementCsv(time: ArrayLike<number>, signal: ArrayLike<number>): string {
  return columnsCsv(['time', 'signal'], [time, signal]);
}
