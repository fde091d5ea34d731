/**
 * Every chromatogram and profile point against an independent high-precision evaluation of
 * MODEL.md §2 (test/fixtures/reference.json, made by scripts/gen_reference.py: mpmath, 20 digits,
 * tanh-sinh quadrature of (49) in the original variable with mpmath's own I1).
 * Requirement: within 1e-8 of the analyte's peak height; the solver does much better, and the
 * tighter bound asserted here is what it achieves. The peak height is the larger of the
 * reference series' maximum and the analyte's outlet peak (so that a profile holding only the
 * e^-50 tail of an analyte that has left the column is not judged against its own tail).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chromatogram, holdupTime, parseProblem, profiles } from '../src/index.js';

interface Case {
  name: string;
  kind: 'outlet' | 'profile';
  column: Record<string, number>;
  velocity: 'variable' | 'constant';
  pulse: number;
  analytes: { name: string; ka: number; kd: number; c0: number }[];
  times?: number[];
  time?: number;
  x?: number[];
  concentration: Record<string, number[]>;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/reference.json', import.meta.url), 'utf8')) as { cases: Case[] };

/** Bound on |computed - reference| / peak height asserted below (the requirement is 1e-8). */
const TOLERANCE = 1e-13;

function problemOf(c: Case) {
  return parseProblem({
    column: { ...c.column, velocity: c.velocity },
    injection: { duration: c.pulse },
    analytes: c.analytes,
  }); // default output grid: from 0 past the last peak
}

describe('against the high-precision reference (scripts/gen_reference.py)', () => {
  for (const c of fixture.cases) {
    for (const engine of ['wasm', 'js'] as const) {
      it(`${c.name} (${engine}): every point within ${TOLERANCE} of the peak height`, () => {
        const problem = problemOf(c);
        const computed = c.kind === 'outlet'
          ? chromatogram(problem, { times: c.times!, engine }).analytes.map((a) => a.concentration)
          : profiles(problem, { times: [c.time!], points: c.x!.length, engine }).concentrations[0];
        // Points next to the jumps of the unadsorbed plug (at tau = 0 and tau = t1) are excluded:
        // there the value depends on which side of the jump a rounded time falls.
        const tau = c.kind === 'outlet'
          ? c.times!.map((t) => t - holdupTime(problem.column, problem.column.length))
          : c.x!.map((x) => c.time! - holdupTime(problem.column, x));
        const step = c.kind === 'outlet' ? c.times![1] - c.times![0] : Math.max(...tau.slice(1).map((v, i) => Math.abs(v - tau[i])));
        const outletPeaks = chromatogram(problem).analytes.map((a) => a.peak.height);
        let checked = 0;
        c.analytes.forEach((a, i) => {
          const ref = c.concentration[a.name];
          const peak = Math.max(...ref, outletPeaks[i]);
          expect(peak).toBeGreaterThan(0);
          let worst = 0;
          ref.forEach((r, j) => {
            if (Math.abs(tau[j]) <= step || Math.abs(tau[j] - c.pulse) <= step) return;
            worst = Math.max(worst, Math.abs(computed[i][j] - r) / peak);
            checked++;
          });
          expect(worst, `${a.name}`).toBeLessThanOrEqual(TOLERANCE);
        });
        expect(checked).toBeGreaterThan(0.9 * c.analytes.length * (c.times ?? c.x)!.length);
      });
    }
  }
});
