import { describe, expect, it } from 'vitest';
import {
  btexProblem, chromatogram, fdChromatogram, fdChromatogramAsync, fdProfiles, jsFdKernels, ProblemError,
  wasmEngine, type Problem,
} from '../src/index.js';
import { ogataBanksTransform, pulseResponse, stepTransform, talbot, type ColumnModel } from './fd-reference.js';

const ALPHA = (2 * 1e-6) / 9e-5;

/** Constant velocity, Péclet L u / D = 300, film kinetics, 60 s rectangular pulse, c0 = 1. */
const strong: ColumnModel = { u: 0.01, D: 0.01 / 300, alpha: ALPHA, ka: 45, kd: 1, L: 1 };
function strongDiffusion(): Problem {
  return {
    column: {
      length: strong.L, radius: 9e-5, filmThickness: 1e-6, inletPressure: 2e5, outletPressure: 1e5,
      inletVelocity: strong.u, velocity: 'constant',
    },
    injection: { duration: 60 },
    analytes: [{ name: 'a', ka: strong.ka, kd: strong.kd, c0: 1, diffusivity: strong.D }],
    output: { start: 0, end: 600, count: 601 },
  };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let e = 0;
  for (let j = 0; j < a.length; j++) e = Math.max(e, Math.abs(a[j] - b[j]));
  return e;
}

function max(a: ArrayLike<number>): number {
  let m = -Infinity;
  for (let j = 0; j < a.length; j++) m = Math.max(m, a[j]);
  return m;
}

describe('exact references (test/fd-reference.ts)', () => {
  it('Talbot inversion reproduces the Ogata–Banks values of MODEL.md §7', () => {
    const F = ogataBanksTransform(1, 0.01, 2, 1);
    const want = [[2.5, 0.110502163356], [3, 0.528070496372], [3.5, 0.877816769036]];
    for (const [t, c] of want) expect(Math.abs(talbot(F, t) - c)).toBeLessThan(1e-8);
  });

  it('the Bromwich-line pulse response has the exact area and mean (MODEL.md §5)', () => {
    let area = 0;
    let first = 0;
    for (let t = 0; t <= 1000; t += 1) {
      const c = pulseResponse(strong, strong.L, t, 60, 1000);
      area += c;
      first += t * c;
    }
    const tM = strong.L / strong.u;
    expect(Math.abs(area - 60)).toBeLessThan(1e-9);
    // Mean of the finite Danckwerts column: tM (1 + alpha K) + t1/2 (+ D/u^2-order end effects).
    expect(Math.abs(first / area - (tM * (1 + (ALPHA * strong.ka) / strong.kd) + 30))).toBeLessThan(1e-6);
  });
});

describe('finite-difference solver: accuracy', () => {
  const reference = new Float64Array(601);
  for (let j = 0; j < 601; j++) reference[j] = pulseResponse(strong, strong.L, j, 60, 1000);

  it('reproduces the strong-diffusion column (Pe = 300) to 1e-4 c0 at every output time', () => {
    // The automatic grid for 3e-4 of the peak (0.84 c0); measured error 8.4e-5 c0.
    const r = fdChromatogram(strongDiffusion(), { accuracy: 3e-4 });
    expect(maxAbsDiff(r.analytes[0].concentration, reference)).toBeLessThan(1e-4 * 1);
    expect(r.status.code).toBe('success');
    // A fixed grid of 2400 cells and 0.1 s steps: 1.7e-5 c0.
    const fixed = fdChromatogram(strongDiffusion(), { cells: 2400, dt: 0.1 });
    expect(maxAbsDiff(fixed.analytes[0].concentration, reference)).toBeLessThan(2e-5);
  });

  it('converges at second order in space and in time (observed order within ±0.2 of 2)', () => {
    const p = strongDiffusion();
    // Outputs every 8 s, so that no step is shortened to land on them.
    const times = Array.from({ length: 76 }, (_, j) => 8 * j);
    const run = (cells: number, dt: number) => fdChromatogram(p, { cells, dt, times }).analytes[0].concentration;
    // Space: successive differences at a step small enough that time errors are far below them.
    const s = [100, 200, 400, 800].map((n) => run(n, 0.05));
    const dS1 = maxAbsDiff(s[0], s[1]);
    const dS2 = maxAbsDiff(s[1], s[2]);
    const dS3 = maxAbsDiff(s[2], s[3]);
    const spaceOrders = [Math.log2(dS1 / dS2), Math.log2(dS2 / dS3)];
    // Time: successive differences on one grid (its spatial error cancels).
    const t = [4, 2, 1, 0.5].map((dt) => run(400, dt));
    const dT1 = maxAbsDiff(t[0], t[1]);
    const dT2 = maxAbsDiff(t[1], t[2]);
    const dT3 = maxAbsDiff(t[2], t[3]);
    const timeOrders = [Math.log2(dT1 / dT2), Math.log2(dT2 / dT3)];
    for (const o of [...spaceOrders, ...timeOrders]) expect(Math.abs(o - 2)).toBeLessThan(0.2);
  });

  it('with D -> 0 matches the Laplace solution of all five BTEX analytes within 0.3% of peak height', () => {
    const p = btexProblem();
    for (const a of p.analytes) a.diffusivity = 1e-12;
    const lap = chromatogram(p);
    const fd = fdChromatogram(p);
    fd.analytes.forEach((a, i) => {
      const ref = lap.analytes[i].concentration;
      expect(maxAbsDiff(a.concentration, ref) / max(ref)).toBeLessThan(3e-3);
    });
  });

  it('matches the equilibrium-dispersive limit (Lapidus–Amundson, MODEL.md §7) with a flux inlet', () => {
    // u = 1, D = 0.01, alpha K = 2, kd = 1e4: a 4 m column read at x = 1 m (the outlet is 14
    // front widths away). The exact reference is the same model's transform (Danckwerts inlet);
    // Ogata–Banks has a concentration inlet, which differs from it by O(D/(u x)).
    const alpha = 0.2;
    const kd = 1e4;
    const ka = (2 / alpha) * kd;
    const model: ColumnModel = { u: 1, D: 0.01, alpha, ka, kd, L: 4 };
    const problem: Problem = {
      column: {
        length: 4, radius: 1e-3, filmThickness: 1e-4, inletPressure: 2e5, outletPressure: 1e5,
        inletVelocity: 1, velocity: 'constant',
      },
      injection: { duration: 10 },
      analytes: [{ name: 'ed', ka, kd, c0: 1, diffusivity: 0.01 }],
      output: { start: 0, end: 4, count: 5 },
    };
    const times = [2.5, 3, 3.5];
    const r = fdProfiles(problem, { times, points: 5, cells: 3200, dt: 0.001 });
    times.forEach((t, k) => {
      const exact = talbot(stepTransform(model, 1), t);
      expect(Math.abs(r.concentrations[k][0][1] - exact)).toBeLessThan(2e-4);
    });
    // The equilibrium limit itself: the flux-inlet model within O(D/(u x)) of Ogata–Banks.
    const ob = [0.110502163356, 0.528070496372, 0.877816769036];
    times.forEach((t, k) => expect(Math.abs(r.concentrations[k][0][1] - ob[k])).toBeLessThan(0.04));
  });
});

describe('finite-difference solver: invariants', () => {
  it('conserves mass: held + eluted = injected to 1e-9, and the chromatogram area is c0 t1 pL/p0', () => {
    const p = btexProblem();
    p.analytes = [p.analytes[4]];
    const r = fdChromatogram(p);
    expect(r.errorEstimate).toBeLessThan(1e-9);
    expect(Math.abs(r.analytes[0].area / r.analytes[0].moments.area - 1)).toBeLessThan(1e-6);
  });

  it('stays non-negative (above -1e-6 of the peak) on the default grid, chromatograms and profiles', () => {
    const p = btexProblem();
    const r = fdChromatogram(p, { accuracy: 3e-3 });
    for (const a of r.analytes) expect(Math.min(...a.concentration)).toBeGreaterThan(-1e-6 * a.peak.height);
    p.analytes = [p.analytes[0], p.analytes[4]];
    const prof = fdProfiles(p, { times: [3, 10, 60, 300], points: 2001, accuracy: 3e-3 });
    for (const atTime of prof.concentrations) {
      for (const c of atTime) expect(Math.min(...c)).toBeGreaterThan(-1e-6 * Math.max(...c));
    }
  });

  it('shows no ripples above 1e-9 of the peak on the default grid (chromatograms and profiles are unimodal)', () => {
    // A unimodal curve's total variation is (max - first) + (max - last); any ripple adds twice
    // its amplitude to it.
    const excess = (c: ArrayLike<number>) => {
      let tv = 0;
      for (let j = 1; j < c.length; j++) tv += Math.abs(c[j] - c[j - 1]);
      const m = max(c);
      return (tv - (2 * m - c[0] - c[c.length - 1])) / 2 / m;
    };
    const p = btexProblem();
    const r = fdChromatogram(p);
    for (const a of r.analytes) expect(excess(a.concentration)).toBeLessThan(1e-9); // measured <= 1e-15
    p.analytes = [p.analytes[0], p.analytes[4]];
    const prof = fdProfiles(p, { times: [3, 10, 60, 300], points: 4001 });
    for (const atTime of prof.concentrations) for (const c of atTime) expect(excess(c)).toBeLessThan(1e-9); // <= 5e-13
  });

  it('wasm kernels agree with the plain-TypeScript twin to 1e-13 of the peak', () => {
    const p = btexProblem();
    p.analytes = [p.analytes[3], p.analytes[4]];
    const w = fdChromatogram(p, { accuracy: 1e-2, engine: 'wasm' });
    const j = fdChromatogram(p, { accuracy: 1e-2, engine: jsFdKernels });
    w.analytes.forEach((a, i) => {
      expect(maxAbsDiff(a.concentration, j.analytes[i].concentration) / a.peak.height).toBeLessThan(1e-13);
    });
    const pe = strongDiffusion();
    const we = fdChromatogram(pe, { scheme: 'explicit', cells: 50, times: [100, 200, 300], engine: wasmEngine() });
    const je = fdChromatogram(pe, { scheme: 'explicit', cells: 50, times: [100, 200, 300], engine: 'js' });
    expect(maxAbsDiff(we.analytes[0].concentration, je.analytes[0].concentration)).toBeLessThan(1e-13);
  });
});

describe('the paper\'s explicit scheme', () => {
  it('runs below its stability bound and converges to the exact solution', () => {
    const p = strongDiffusion();
    const times = [150, 175, 200, 225, 250, 275, 300];
    const exact = times.map((t) => pulseResponse(strong, strong.L, t, 60, 1000));
    const errors = [200, 400].map((cells) => {
      const ex = fdChromatogram(p, { scheme: 'explicit', cells, times });
      expect(ex.grids[0].stableDt).toBeGreaterThan(0);
      return maxAbsDiff(ex.analytes[0].concentration, exact);
    });
    expect(errors[1]).toBeLessThan(1e-2);
    expect(errors[0] / errors[1]).toBeGreaterThan(3);
  });

  it('refuses a step above the bound, stating the largest stable step', () => {
    const p = strongDiffusion();
    const bound = fdChromatogram(p, { scheme: 'explicit', cells: 100, times: [1] }).grids[0].stableDt as number;
    expect(() => fdChromatogram(p, { scheme: 'explicit', cells: 100, dt: 1.01 * bound, times: [1] }))
      .toThrow(new RegExp(`options\\.dt: .*largest stable step is ${bound.toPrecision(4)} s`));
    // Just below the bound the run stays bounded (the bound is the real one, not a guess).
    const ok = fdChromatogram(p, { scheme: 'explicit', cells: 100, dt: 0.99 * bound });
    expect(max(ok.analytes[0].concentration)).toBeLessThan(1);
  });
});

describe('finite-difference solver: bad input, progress, cancellation', () => {
  it('names a missing diffusivity', () => {
    const p = btexProblem();
    delete p.analytes[2].diffusivity;
    expect(() => fdChromatogram(p)).toThrow(/analytes\[2\]\.diffusivity: is required/);
  });

  it('rejects bad options with the key, value and range', () => {
    const p = strongDiffusion();
    expect(() => fdChromatogram(p, { cells: 2 })).toThrow(ProblemError);
    expect(() => fdChromatogram(p, { cells: 2 })).toThrow(/options\.cells: must be an integer from 4 to 2147483647, got 2/);
    expect(() => fdChromatogram(p, { dt: -1 })).toThrow(/options\.dt: .*got -1/);
    expect(() => fdChromatogram(p, { dt: Number.NaN })).toThrow(/options\.dt/);
    expect(() => fdChromatogram(p, { accuracy: 2 })).toThrow(/options\.accuracy/);
    expect(() => fdChromatogram(p, { scheme: 'rk4' as never })).toThrow(/options\.scheme/);
  });

  it('refuses a request above 1 GiB before it starts, with the reason', () => {
    expect(() => fdChromatogram(strongDiffusion(), { cells: 20_000_000 }))
      .toThrow(/needs about \d+ MiB .* above the limit of 1024 MiB/);
  });

  it('bounds the work: coarsens an automatic grid (flagged inaccurate), refuses a fixed or explicit one', () => {
    const p = btexProblem();
    p.analytes = [p.analytes[4]];
    p.analytes[0].ka = 0.01; // hardly retained: the 4 s pulse keeps sharp edges down the column
    p.analytes[0].kd = 100;
    p.output = { start: 0, end: 40, count: 81 };
    // The default limit (1e10 cell updates, minutes) is lowered so that the test stays short.
    const r = fdChromatogram(p, { workLimit: 1e7 });
    expect(r.status.code).toBe('inaccurate');
    expect(r.status.message).toMatch(/grid was coarsened to stay within 1e\+7 cell updates for benzene/);
    expect(r.grids[0].expectedError as number).toBeGreaterThan(1e-3);
    expect(r.grids[0].cells * r.grids[0].steps).toBeLessThan(1.1e7);
    expect(() => fdChromatogram(p, { cells: 1_000_000, dt: 1e-4 })).toThrow(/options\.cells: .*above the limit of 1e\+10/);
    expect(() => fdChromatogram(p, { workLimit: 0 })).toThrow(/options\.workLimit/);
    expect(() => fdChromatogram(btexProblem(), { scheme: 'explicit' }))
      .toThrow(/explicit scheme on \d+ intervals is stable only for steps up to .* use fewer cells .* or the implicit scheme/);
  });

  it('a step longer than the output spacing costs what the spacing costs and gives its result (dt 1e6 = dt 0.5)', () => {
    const p = btexProblem();
    p.analytes = [p.analytes[4]];
    p.output = { start: 0, end: 300, count: 601 };
    const spacing = fdChromatogram(p, { dt: 0.5 });
    for (const dt of [1e3, 1e6, 1e300]) {
      const long = fdChromatogram(p, { dt });
      // every output interval is one step of 0.5 s, and the window margin is that step's reach
      expect(long.grids[0].steps).toBe(600);
      expect(long.grids[0].cellSteps).toBe(spacing.grids[0].cellSteps);
      expect(long.analytes[0].concentration).toEqual(spacing.analytes[0].concentration);
      expect(long.status.code).toBe('success');
    }
  });

  it('refuses a step too short for the work limit before any work, naming the limit; counts every analyte', () => {
    const p = btexProblem();
    let progress = 0;
    expect(() => fdChromatogram(p, { dt: 1e-6, onProgress: () => progress++ }))
      .toThrow(/^options\.dt: o-xylene: \d+ cells with 700000000 steps of 0\.000001 s .* the run \(5 analytes\) needs about 3\.\de\+13 cell updates, above the limit of 1e\+10 \(options\.workLimit\); use fewer cells or a longer step$/);
    expect(progress).toBe(0);
    // Each analyte alone is within the limit, the five together are not: refused before the first runs.
    p.output = { start: 0, end: 100, count: 201 };
    const one = fdChromatogram({ ...p, analytes: [p.analytes[4]] }, { cells: 500 }).grids[0];
    const limit = 3 * one.steps * (500 + 64);
    expect(() => fdChromatogram(p, { cells: 500, workLimit: limit, onProgress: () => progress++ }))
      .toThrow(/options\.cells: .* the run \(5 analytes\) needs about .* above the limit/);
    expect(progress).toBe(0);
    // Output times that force more steps than the limit allows even on the coarsest grid.
    expect(() => fdChromatogram({ ...p, analytes: [p.analytes[4]] }, { workLimit: 1e4 }))
      .toThrow(/^output\.count: the 200 output and profile times need a step each: .* above the limit of 1e\+4/);
    expect(() => fdChromatogram({ ...p, analytes: [p.analytes[4]] }, { dt: 10, cells: 1000, workLimit: 1e5 }))
      .toThrow(/the 200 output times need a step each: use fewer cells or output times/);
  });

  it('reports progress up to 1 and can be cancelled', async () => {
    const fractions: number[] = [];
    fdChromatogram(strongDiffusion(), { cells: 4000, dt: 0.05, onProgress: (f) => fractions.push(f) });
    expect(fractions.length).toBeGreaterThan(2);
    expect(fractions[fractions.length - 1]).toBe(1);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);
    const controller = new AbortController();
    const run = fdChromatogramAsync(strongDiffusion(), {
      cells: 4000, dt: 0.01, signal: controller.signal, onProgress: (f) => { if (f > 0.2) controller.abort(new Error('stop')); },
    });
    await expect(run).rejects.toThrow('stop');
  });
});
