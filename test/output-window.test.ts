/**
 * An output window that follows the peaks (`output.end: "auto"`), and what a fixed window that
 * misses peaks says: which analytes fall outside, with status off-grid, never success.
 */
import { describe, expect, it } from 'vitest';
import { btexProblem, chromatogram, parseProblem } from '../src/index.js';
import { parseRunProblem } from '../src/model/run.js';

/** BTEX on a 40 m column: three of the five peaks leave after the paper's 700 s. */
function longColumn(output: Record<string, unknown>) {
  const b = btexProblem();
  return { ...b, column: { ...b.column, length: 40 }, output };
}

describe('output.end "auto"', () => {
  it('holds every peak of a column that a fixed window cuts off', () => {
    const fixed = chromatogram(parseProblem(longColumn({ end: 700 })));
    expect(fixed.status.code).toBe('off-grid');
    const outside = fixed.analytes.filter((a) => a.moments.mean > 700).map((a) => a.name);
    expect(outside.length).toBe(3);
    for (const name of outside) expect(fixed.status.message).toContain(name);
    expect(fixed.warnings.length).toBe(3);

    const problem = parseProblem(longColumn({ end: 'auto', count: 2001 }));
    expect(problem.output.count).toBe(2001);
    const r = chromatogram(problem);
    expect(r.status.code).toBe('success');
    expect(r.warnings).toEqual([]);
    for (const a of r.analytes) {
      expect(a.moments.mean + 8 * a.moments.sigma).toBeLessThanOrEqual(problem.output.end);
      // the located apex is the peak's, next to its exact mean (the skew moves it by under a sigma)
      expect(Math.abs(a.peak.time - a.moments.mean)).toBeLessThan(a.moments.sigma);
      expect(Math.abs(a.area / a.moments.area - 1)).toBeLessThan(1e-3);
    }
  });

  it('follows the column: a longer column moves the end out with the last peak', () => {
    const ends = [10, 20, 40, 80].map((length) => {
      const b = btexProblem();
      return parseProblem({ ...b, column: { ...b.column, length }, output: { end: 'auto' } }).output.end;
    });
    for (let i = 1; i < ends.length; i++) expect(ends[i]).toBeGreaterThan(ends[i - 1]);
  });

  it('names output.start when it lies past the end that holds the peaks, and the run form refuses "auto"', () => {
    const b = btexProblem();
    expect(() => parseProblem({ ...b, output: { start: 5000, end: 'auto' } }))
      .toThrow(/output\.start: must be below the end that holds every peak \(output\.end "auto": 1000 s\), got 5000/);
    expect(() => parseProblem({ ...b, output: { end: 'soon' } }))
      .toThrow(/output\.end: must be a finite number > 0 \(s\) or "auto" \(the end that holds every peak\), got "soon"/);
    // the run form (pressure-driven, an oven), whose output has no paper's peaks to follow
    const { length, radius, filmThickness, inletPressure, outletPressure } = b.column;
    const run = {
      column: { length, radius, filmThickness }, carrier: { viscosity: 2e-5, inletPressure, outletPressure },
      oven: { temperature: 353.15 }, injection: b.injection, analytes: b.analytes, output: { end: 'auto' },
    };
    expect(() => parseRunProblem(run)).toThrow(/output\.end: must be a number of seconds here/);
  });
});
