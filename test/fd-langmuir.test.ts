// Finite differences with a saturating film (MODEL.md §14): Langmuir, anti-Langmuir and
// competitive Langmuir kinetics against the Thomas solution (MODEL.md §13), the linear scheme,
// and their own invariants (mass balance, positivity).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  btexProblem, chromatogram, fdChromatogram, fdChromatogramAsync, fdProfiles, jsFdKernels, ProblemError, wasmEngine,
} from '../src/index.js';
import { maxAbsDiff, maxOf } from './helpers.js';

type Isotherm = 'langmuir' | 'anti-langmuir';

const KA = 150;
const KD = 1.5;

/**
 * One analyte on a 1 m column at 0.1 m/s (tM = 10 s), alpha ka tM = 30 (the unretained share
 * e^-30 is far below the tolerances), K = 100, pulse 3 s, loading lambda = K c0/qMax. Diffusion
 * 1e-10 m2/s: its plate height 2D/u = 2e-9 m is negligible beside the kinetic one (0.07 m).
 */
function single(isotherm: Isotherm, lambda: number, end: number, velocity: 'constant' | 'variable' = 'constant', diffusivity = 1e-10) {
  return {
    column: { length: 1, radius: 1e-3, filmThickness: 1e-5, inletPressure: 2e5, outletPressure: 1e5, inletVelocity: 0.1, velocity },
    injection: { duration: 3 },
    analytes: [{ name: 'a', ka: KA, kd: KD, c0: 1, diffusivity, isotherm, qMax: (KA / KD) / lambda }],
    output: { start: 0, end, count: 401 },
  };
}

function lowest(c: Float64Array): number {
  let m = Infinity;
  for (const v of c) m = Math.min(m, v);
  return m;
}

describe('finite differences with a saturating film', () => {
  // cells chosen for an error near 5e-5 of the peak (measured; the overloaded front needs the most)
  const cases: [Isotherm, number, number, number][] = [
    ['langmuir', 0.01, 800, 70], ['langmuir', 0.3, 800, 60], ['langmuir', 3, 3200, 50],
    ['anti-langmuir', 0.01, 800, 70], ['anti-langmuir', 0.3, 800, 70], ['anti-langmuir', 0.7, 1600, 80],
  ];
  for (const [isotherm, lambda, cells, end] of cases) {
    it(`equals the Thomas solution to 1e-4 of the peak: ${isotherm}, K c0/qMax = ${lambda}, mass to 1e-9, no negatives`, () => {
      const p = single(isotherm, lambda, end);
      const fd = fdChromatogram(p, { cells });
      const exact = chromatogram(p, { diffusion: false });
      const c = fd.analytes[0].concentration;
      const peak = maxOf(exact.analytes[0].concentration);
      expect(maxAbsDiff(c, exact.analytes[0].concentration) / peak).toBeLessThan(1e-4);
      expect(fd.status.code).toBe('success');
      expect(fd.errorEstimate).toBeLessThan(1e-9);
      expect(lowest(c)).toBeGreaterThanOrEqual(-1e-12 * peak);
      expect(fd.grids[0].film).toBe(isotherm);
      // the computed peak's moments, not the linear closed form: Langmuir tails, anti-Langmuir fronts
      const m = fd.analytes[0].moments;
      const linear = chromatogram({ ...p, analytes: [{ ...p.analytes[0], isotherm: undefined, qMax: undefined }] }, { diffusion: false });
      if (lambda > 0.1) expect(Math.sign(m.mean - linear.analytes[0].moments.mean)).toBe(isotherm === 'langmuir' ? -1 : 1);
    });
  }

  it('nearly linear (K c0/qMax = 0.01 and 0.005) departs from the linear FD as the Thomas solution departs from the linear one: O(loading)', () => {
    const linearProblem = single('langmuir', 1, 70);
    linearProblem.analytes[0] = { ...linearProblem.analytes[0], isotherm: undefined as unknown as Isotherm, qMax: undefined as unknown as number };
    const fdLinear = fdChromatogram(linearProblem, { accuracy: 1e-5 }).analytes[0].concentration;
    const exactLinear = chromatogram(linearProblem, { diffusion: false }).analytes[0].concentration;
    const peak = maxOf(exactLinear);
    const departures: number[] = [];
    for (const lambda of [0.01, 0.005]) {
      const p = single('langmuir', lambda, 70);
      const fd = fdChromatogram(p, { cells: 800 }).analytes[0].concentration;
      const exact = chromatogram(p, { diffusion: false }).analytes[0].concentration;
      const fdShift = fd.map((v, i) => v - fdLinear[i]);
      const exactShift = exact.map((v, i) => v - exactLinear[i]);
      // the two schemes' own errors (< 1e-4 each) bound the difference of the departures
      expect(maxAbsDiff(fdShift, exactShift) / peak).toBeLessThan(1e-4);
      departures.push(maxOf(fdShift.map(Math.abs)) / peak);
    }
    // first order in the loading: halving it halves the departure (a few % of the peak per unit loading)
    expect(departures[0] / departures[1]).toBeGreaterThan(1.8);
    expect(departures[0] / departures[1]).toBeLessThan(2.2);
    expect(departures[0]).toBeGreaterThan(1e-3);
  });

  /** Two Langmuir analytes sharing sites: a weakly retained one (first) and a strongly retained one. */
  function pair(competitive: boolean, c0Second = 1) {
    return {
      column: { length: 1, radius: 1e-3, filmThickness: 1e-5, inletPressure: 2e5, outletPressure: 1e5, inletVelocity: 0.1, velocity: 'constant' },
      injection: { duration: 3 },
      analytes: [
        { name: 'first', ka: 150, kd: 3, c0: 1, diffusivity: 1e-10, isotherm: 'langmuir', qMax: 50 },
        { name: 'second', ka: 150, kd: 1, c0: c0Second, diffusivity: 1e-10, isotherm: 'langmuir', qMax: 150 },
      ],
      output: { start: 0, end: 80, count: 801 },
      competitive,
    };
  }

  it('competitive Langmuir: the second analyte displaces the first (earlier, higher peak); each mass conserved', () => {
    const shared = fdChromatogram(pair(true), { cells: 400 });
    const alone = fdChromatogram(pair(false), { cells: 400 });
    expect(shared.status.code).toBe('success');
    expect(shared.errorEstimate).toBeLessThan(1e-9);
    expect(shared.grids.map((g) => g.film)).toEqual(['competitive', 'competitive']);
    for (const a of shared.analytes) {
      // c0 t1 = 3 mol s/m3 eluted by each (the window reaches past both peaks)
      expect(Math.abs(a.area - 3) / 3).toBeLessThan(1e-4);
      expect(lowest(a.concentration)).toBeGreaterThanOrEqual(-1e-12 * a.peak.height);
    }
    const [f, s] = shared.analytes;
    const [f0, s0] = alone.analytes;
    // displacement (measured on 400 and 800 cells alike: apex 0.63 s earlier and 16.6% higher,
    // mean 0.88 s earlier); a linear model, whose analytes are independent, shows none of it
    expect(f.peak.time).toBeLessThan(f0.peak.time - 0.5);
    expect(f.peak.height).toBeGreaterThan(1.15 * f0.peak.height);
    expect(f.moments.mean).toBeLessThan(f0.moments.mean - 0.7);
    // the second finds fewer free sites as well: it also elutes earlier
    expect(s.peak.time).toBeLessThan(s0.peak.time - 1);
  });

  it('competitive Langmuir reduces to the single Langmuir analyte when the other one vanishes', () => {
    const shared = fdChromatogram(pair(true, 1e-9), { cells: 300 });
    const alone = fdChromatogram(pair(false, 1e-9), { cells: 300 });
    const a = shared.analytes[0].concentration;
    const b = alone.analytes[0].concentration;
    // the coupling is sum q_j/qMax_j: the vanishing analyte's share is ~ 1e-9 K c0/qMax ~ 1e-9
    expect(maxAbsDiff(a, b) / maxOf(b)).toBeLessThan(1e-8);
    expect(maxAbsDiff(a, b)).toBeGreaterThan(0); // they are coupled
  });

  it('wasm equals its plain-TS twin (competitive pair, anti-Langmuir, variable velocity with diffusion)', () => {
    const problems = [pair(true), single('anti-langmuir', 0.5, 60, 'variable', 1e-5)];
    for (const p of problems) {
      const w = fdChromatogram(p, { cells: 150, engine: 'wasm' });
      const j = fdChromatogram(p, { cells: 150, engine: 'js' });
      p.analytes.forEach((_, i) => {
        const peak = maxOf(j.analytes[i].concentration);
        expect(maxAbsDiff(w.analytes[i].concentration, j.analytes[i].concentration) / peak).toBeLessThan(1e-13);
      });
    }
    expect(wasmEngine().name).toBe('wasm');
    expect(jsFdKernels.name).toBe('js');
  });

  it('variable velocity with diffusion: mass to 1e-9, no negatives, second-order convergence of the outlet', () => {
    const p = single('langmuir', 1, 60, 'variable', 1e-5);
    const runs = [200, 400, 800].map((cells) => fdChromatogram(p, { cells }));
    for (const r of runs) {
      expect(r.status.code).toBe('success');
      expect(r.errorEstimate).toBeLessThan(1e-9);
      expect(lowest(r.analytes[0].concentration)).toBeGreaterThanOrEqual(-1e-12 * r.analytes[0].peak.height);
    }
    const c = runs.map((r) => r.analytes[0].concentration);
    const order = Math.log2(maxAbsDiff(c[0], c[1]) / maxAbsDiff(c[1], c[2]));
    expect(order).toBeGreaterThan(1.5);
    expect(order).toBeLessThan(2.5);
  });

  it('BTEX with linear and overloaded analytes together: the linear ones as without them, the overloaded ones by the film scheme', () => {
    const p = btexProblem() as unknown as Record<string, any>;
    const [toluene, benzene] = [p.analytes[3], p.analytes[4]];
    p.analytes[4] = { ...benzene, isotherm: 'langmuir', qMax: (benzene.ka / benzene.kd) * benzene.c0 / 2 };
    p.analytes[3] = { ...toluene, isotherm: 'anti-langmuir', qMax: (toluene.ka / toluene.kd) * toluene.c0 / 0.3 };
    const r = fdChromatogram(p, { accuracy: 1e-2 });
    expect(r.status.code).toBe('success');
    expect(r.errorEstimate).toBeLessThan(1e-9);
    expect(r.grids.map((g) => g.film)).toEqual([undefined, undefined, undefined, 'anti-langmuir', 'langmuir']);
    const linear = fdChromatogram({ ...p, analytes: p.analytes.slice(0, 3) }, { accuracy: 1e-2 });
    for (let i = 0; i < 3; i++) expect(maxAbsDiff(r.analytes[i].concentration, linear.analytes[i].concentration)).toBe(0);
    for (const i of [3, 4]) {
      const a = r.analytes[i];
      expect(lowest(a.concentration)).toBeGreaterThanOrEqual(-1e-12 * a.peak.height);
      // variable velocity: the area is c0 t1 pL/p0 (MODEL.md §5), within the 1e-2 accuracy asked
      expect(Math.abs(a.area / a.moments.area - 1)).toBeLessThan(1e-2);
    }
  });

  it('an output grid too coarse for the peak keeps finite moments (fuzz, seed 957242895: two output times gave infinite plates)', () => {
    const p = { ...single('langmuir', 1, 60), output: { start: 0, end: 25, count: 2 } };
    const r = fdChromatogram(p, { accuracy: 0.1 });
    const m = r.analytes[0].moments;
    for (const v of [m.mean, m.variance, m.sigma, m.plates]) expect(Number.isFinite(v)).toBe(true);
  });

  it('profiles: the outlet point of a profile is the chromatogram value at that time', () => {
    const p = single('langmuir', 1, 60);
    const prof = fdProfiles(p, { times: [12, 30], points: 51, cells: 200 });
    const chrom = fdChromatogram(p, { cells: 200, times: [12, 30] });
    expect(prof.grids[0].film).toBe('langmuir');
    for (let k = 0; k < 2; k++) {
      const x = prof.concentrations[k][0];
      expect(x[50]).toBe(chrom.analytes[0].concentration[k]);
      expect(lowest(x)).toBeGreaterThanOrEqual(0);
    }
    expect(maxOf(prof.concentrations[0][0])).toBeGreaterThan(0.1);
  });

  it('refuses, naming the key: a step above the positivity bound, a run above the work limit, the explicit scheme', () => {
    const p = single('langmuir', 1, 60);
    expect(() => fdChromatogram(p, { cells: 200, dt: 1 })).toThrow(/^options\.dt: 1 s is above the positivity bound .* the largest step is [0-9.e-]+ s$/);
    expect(() => fdChromatogram(p, { cells: 200, workLimit: 1e6 }))
      .toThrow(/^options\.cells: a: .* above the limit of 1e\+6 \(options\.workLimit\)/);
    expect(() => fdChromatogram(p, { cells: 200, dt: 1e-7 }))
      .toThrow(/^options\.dt: a: .* 6000001\d\d steps of at most 1e-7 s up to t = 60 s, .* above the limit of 1e\+10 .*use a longer step/);
    // a loading so high that the sharpened band needs more cells than any run could step
    expect(() => fdChromatogram(single('langmuir', 1e302, 60))).toThrow(/^options\.accuracy: a: .* needs [0-9.]+e\+\d+ cells, above 10000000/);
    // an anti-Langmuir film near its divergence (K c0/qMax -> 1) makes the positivity bound tiny: refused before any step
    expect(() => fdChromatogram(single('anti-langmuir', 0.999999, 60)))
      .toThrow(/^options\.accuracy: a: .* \(the positivity bound of MODEL\.md §14\.3\) .* above the limit of 1e\+10/);
    expect(() => fdChromatogram(p, { scheme: 'explicit' })).toThrow(ProblemError);
    expect(() => fdChromatogram(p, { scheme: 'explicit' })).toThrow(/^options\.scheme: /);
    expect(() => chromatogram(pair(true), { diffusion: false })).toThrow(/^competitive: true couples the 2 "langmuir" analytes/);
    expect(() => fdChromatogram({ ...pair(true), competitive: 'yes' })).toThrow(/^competitive: must be true or false/);
  });

  it('reports progress to 1 and stops on cancellation', async () => {
    const p = single('langmuir', 1, 60);
    const fractions: number[] = [];
    fdChromatogram(p, { cells: 1000, onProgress: (f) => fractions.push(f) });
    expect(fractions.length).toBeGreaterThan(2);
    expect(fractions[fractions.length - 1]).toBe(1);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);
    const controller = new AbortController();
    const run = fdChromatogramAsync(p, {
      cells: 1000, signal: controller.signal, onProgress: (f) => { if (f > 0.2) controller.abort(new Error('stop')); },
    });
    await expect(run).rejects.toThrow('stop');
  });

  it('CLI: simulate --method fd and profile --method fd take isotherms', () => {
    const dir = mkdtempSync(join(tmpdir(), 'elution-fd-langmuir-'));
    const file = join(dir, 'pair.json');
    writeFileSync(file, JSON.stringify(pair(true)));
    const cli = new URL('../dist/cli/main.js', import.meta.url).pathname;
    const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
    const r = run(['simulate', file, '--method', 'fd', '--cells', '100', '--out', '-']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('time,first,second');
    const api = fdChromatogram(pair(true), { cells: 100 });
    const row = r.stdout.split('\n')[301].split(',').map(Number);
    expect(row[1]).toBeCloseTo(api.analytes[0].concentration[300], 12);
    const prof = run(['profile', file, '--method', 'fd', '--time', '20', '--points', '11', '--cells', '100', '--out', '-']);
    expect(prof.status).toBe(0);
    expect(prof.stdout.split('\n')[0]).toBe('x,first,second');
    const laplace = run(['simulate', file]);
    expect(laplace.status).toBe(1);
    expect(laplace.stderr).toMatch(/competitive: true couples/);
  });
});
