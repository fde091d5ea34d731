/**
 * What chromatogram() derives from the outlet concentrations: the located peak maximum (root of
 * c' = scale [f(tau) - f(tau - t1)], src/solvers/peak.ts), the detector signal and trapezoid
 * areas of its one pass over the samples, and the quadrature check behind errorEstimate.
 */
import { describe, expect, it } from 'vitest';
import {
  btexProblem, chromatogram, holdupTime, jsKernels, parseProblem, phaseRatio, wasmEngine,
  type Problem,
} from '../src/index.js';
import { trapezoid } from '../src/solvers/grid.js';

/** Largest sample of c on `count` times evenly spread over [a, b], and where it is. */
function fineMaximum(problem: Problem, index: number, a: number, b: number, count: number) {
  const times = Array.from({ length: count }, (_, i) => a + ((b - a) * i) / (count - 1));
  const c = chromatogram(problem, { times, diffusion: false }).analytes[index].concentration;
  let j = 0;
  for (let i = 1; i < count; i++) if (c[i] > c[j]) j = i;
  return { time: times[j], height: c[j], spacing: (b - a) / (count - 1) };
}

describe('located peak maximum', () => {
  for (const velocity of ['variable', 'constant'] as const) {
    it(`is the maximum of c to rounding, BTEX ${velocity} velocity`, () => {
      const p = parseProblem(btexProblem());
      p.column.velocity = velocity;
      p.output = { start: 0, end: 1000, count: 2001 };
      // the solution without diffusion (with it, constant velocity: test/dispersion.test.ts)
      const r = chromatogram(p, { diffusion: false });
      r.analytes.forEach((a, i) => {
        // 4001 samples across the two grid intervals around the located time
        const fine = fineMaximum(p, i, a.peak.time - 0.5, a.peak.time + 0.5, 4001);
        expect(fine.height).toBeLessThanOrEqual(a.peak.height * (1 + 1e-14));
        // a sample 1/8000 of an interval away is lower by (c''/2) dt^2 ~ 1e-10 of the peak
        expect(a.peak.height - fine.height).toBeLessThan(1e-9 * a.peak.height);
        expect(Math.abs(fine.time - a.peak.time)).toBeLessThanOrEqual(fine.spacing);
      });
    });
  }

  it('sits on the end of the unadsorbed plug when that is the highest point (47% never adsorbed)', () => {
    const p = parseProblem({
      column: btexProblem().column, injection: { duration: 4 }, analytes: [{ name: 'weak', ka: 1, kd: 2, c0: 1 }],
    });
    const r = chromatogram(p).analytes[0];
    expect(r.moments.unretainedFraction).toBeGreaterThan(0.46);
    const end = holdupTime(p.column, p.column.length) + 4;
    expect(Math.abs(r.peak.time - end)).toBeLessThan(1e-12 * end);
    // the last time of the plug: c just after it is lower by the plug's height
    const after = chromatogram(p, { times: [r.peak.time, end + 1e-9] }).analytes[0].concentration;
    expect(Math.abs(after[0] - r.peak.height)).toBeLessThan(1e-14 * r.peak.height); // other quadrature
    expect(after[1]).toBeLessThan(0.6 * r.peak.height);
  });

  it('agrees between wasm and the TypeScript twin, and counts its density evaluations', () => {
    const p = btexProblem();
    const w = chromatogram(p, { engine: wasmEngine() });
    const j = chromatogram(p, { engine: jsKernels });
    w.analytes.forEach((a, i) => expect(a.peak).toEqual(j.analytes[i].peak));
    expect(w.cost.evaluations).toBe(j.cost.evaluations);
  });
});

describe('areas and signal', () => {
  it('the signal is baseline + sum f_i c_i summed in analyte order, the areas the trapezoid rule', () => {
    const r = chromatogram(btexProblem());
    const p = parseProblem(btexProblem());
    const baseline = p.detector?.baseline ?? 0;
    r.times.forEach((_, j) => {
      let s = baseline;
      p.analytes.forEach((a, i) => { s += (a.response as number) * r.analytes[i].concentration[j]; });
      expect(r.signal![j]).toBe(s);
    });
    r.analytes.forEach((a) => {
      let area = 0;
      for (let j = 1; j < r.times.length; j++) area += 0.5 * (r.times[j] - r.times[j - 1]) * (a.concentration[j] + a.concentration[j - 1]);
      // four partial sums instead of one: the same to rounding
      expect(Math.abs(a.area - area)).toBeLessThan(1e-14 * area);
      expect(a.area).toBe(trapezoid(r.times, a.concentration));
    });
  });
});

describe('quadrature check (errorEstimate)', () => {
  it('is the kernel\'s own sum over the support when the grid covers it, else a separate quadrature', () => {
    const p = parseProblem(btexProblem());
    const r = chromatogram(p);
    const tM = holdupTime(p.column, p.column.length);
    // The separate quadrature of the whole density gives the same check to rounding.
    const separate = Math.max(...p.analytes.map((a) => {
      const B = phaseRatio(p.column) * a.ka * tM;
      return Math.abs(wasmEngine().adsorbedFraction(B) + Math.exp(-B) - 1);
    }));
    expect(r.errorEstimate).toBeLessThan(1e-14);
    expect(separate).toBeLessThan(1e-14);
    // A grid that stops inside every peak: the kernel cannot sum the whole support.
    const short = chromatogram(p, { times: [0, 100, 200] });
    expect(short.errorEstimate).toBeLessThan(1e-14);
    // accurate, but the peaks lie beyond 200 s: not 'success' (the status names what the grid misses)
    expect(short.status.code).toBe('off-grid');
  });
});
