// Benchmark of the finite-difference solver (src/solvers/fd.ts, grid rule src/solvers/fd-grid.ts).
// * Before/after on the diffusive BTEX run (5 analytes, variable velocity, default accuracy 1e-3),
//   interleaved in one process: the code before the speed-ups (bench/baseline.js), today's solver
//   on the old rule's grids (the equal-step schedule alone: LU factors kept), and today's default.
// * Target vs delivered error for every analyte, the delivered error measured against a reference
//   extrapolated from two refinements (Richardson on h/2, dt/2 and h/4, dt/4: the scheme is second
//   order in h and dt together), for the old grids and the new ones.
// * Cost against accuracy (1e-2..1e-4) with its log-log slope; the error delivered there is
//   measured exactly, against the Laplace solution of the same analytes with D -> 0.
// * wasm against the plain-TypeScript twin (benzene, the Péclet-300 column of test/fd.test.ts).
// Writes bench/results/fd.json and fd.md. Run: npm run bench:fd
import Benchmark from 'benchmark';
import { btexProblem, chromatogram, fdChromatogram, jsFdKernels, wasmEngine } from '../dist/index.js';
import { loadBaseline } from './baseline.js';
import { interleaved, load, machine, machineLine, ratioStats, writeResults } from './common.js';

const started = load();
const ACCURACY = 1e-3;
const OUTPUT_SPACING = 0.5; // s, the BTEX output grid (1401 points over 700 s)

function maxAbsDiff(a, b) {
  let e = 0;
  for (let j = 0; j < a.length; j++) e = Math.max(e, Math.abs(a[j] - b[j]));
  return e;
}

function check(result) {
  if (!(result.analytes[0].peak.height > 0) || result.status.code !== 'success') throw new Error('bad run');
}

function single(name) {
  const p = btexProblem();
  p.analytes = p.analytes.filter((a) => a.name === name);
  return p;
}

/** The step the schedule takes for a nominal dt on the 0.5 s output grid. */
function effectiveStep(dt) {
  return OUTPUT_SPACING / Math.max(1, Math.ceil(OUTPUT_SPACING / dt - 1e-9));
}

// --- grids: today's rule and the old one ---------------------------------------------------------
const full = btexProblem();
const names = full.analytes.map((a) => a.name);
const after = fdChromatogram(full, { accuracy: ACCURACY });
const baseline = await loadBaseline();
const old = baseline.module;
const beforeRun = old ? old.fdChromatogram(old.btexProblem(), { accuracy: ACCURACY }) : null;

// --- reference per analyte and the delivered errors -----------------------------------------------
const delivered = names.map((name, i) => {
  const g = after.grids[i];
  const step = effectiveStep(g.dt);
  const p = single(name);
  const half = fdChromatogram(p, { cells: 2 * g.cells, dt: step / 2 }).analytes[0].concentration;
  const quarter = fdChromatogram(p, { cells: 4 * g.cells, dt: step / 4 }).analytes[0].concentration;
  const reference = quarter.map((v, j) => v + (v - half[j]) / 3);
  const peak = after.analytes[i].peak.height;
  const row = {
    name, target: ACCURACY, cells: g.cells, dt: g.dt, step, steps: g.steps, cellSteps: g.cellSteps, factoredRows: g.factoredRows,
    expectedError: g.expectedError,
    deliveredError: maxAbsDiff(after.analytes[i].concentration, reference) / peak,
    referenceUncertainty: maxAbsDiff(reference, quarter) / peak,
  };
  if (beforeRun) {
    const b = beforeRun.grids[i];
    row.before = {
      cells: b.cells, dt: b.dt, step: effectiveStep(b.dt), steps: b.steps, cellSteps: b.cellSteps,
      deliveredError: maxAbsDiff(beforeRun.analytes[i].concentration, reference) / peak,
    };
  }
  return row;
});

// --- before/after, interleaved ---------------------------------------------------------------------
let beforeAfter = null;
if (old) {
  const singles = names.map((name) => single(name));
  const oldGrids = beforeRun.grids.map((g) => ({ cells: g.cells, dt: g.dt }));
  const cases = interleaved([
    { name: 'before', fn: () => check(old.fdChromatogram(old.btexProblem(), { accuracy: ACCURACY })) },
    { name: 'schedule only', fn: () => singles.forEach((p, i) => check(fdChromatogram(p, oldGrids[i]))) },
    { name: 'after', fn: () => check(fdChromatogram(full, { accuracy: ACCURACY })) },
  ], { rounds: 9, budgetMs: 1 });
  const [before, schedule, now] = cases;
  beforeAfter = {
    beforeMs: before.medianMs, scheduleOnlyMs: schedule.medianMs, afterMs: now.medianMs,
    speedup: ratioStats(before, now), scheduleSpeedup: ratioStats(before, schedule), ruleSpeedup: ratioStats(schedule, now),
    cellStepsBefore: beforeRun.grids.reduce((s, g) => s + g.cellSteps, 0),
    cellStepsAfter: after.grids.reduce((s, g) => s + g.cellSteps, 0),
  };
}

// --- cost against accuracy, error against the exact D -> 0 solution ---------------------------------
const still = btexProblem();
for (const a of still.analytes) a.diffusivity = 1e-12;
const exact = chromatogram(still);
const accuracies = [1e-2, 3e-3, 1e-3, 3e-4, 1e-4];
const scaling = accuracies.map((accuracy) => {
  const t0 = performance.now();
  const r = fdChromatogram(still, { accuracy });
  const ms = performance.now() - t0;
  const worst = Math.max(...r.analytes.map((a, i) =>
    maxAbsDiff(a.concentration, exact.analytes[i].concentration) / exact.analytes[i].peak.height));
  return { accuracy, ms, cellSteps: r.grids.reduce((s, g) => s + g.cellSteps, 0), worstError: worst };
});
function slope(xs, ys) {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((s, v) => s + v, 0) / lx.length;
  const my = ly.reduce((s, v) => s + v, 0) / ly.length;
  let num = 0;
  let den = 0;
  lx.forEach((x, k) => { num += (x - mx) * (ly[k] - my); den += (x - mx) ** 2; });
  return num / den;
}
const slopes = {
  time: slope(accuracies, scaling.map((s) => s.ms)),
  cellSteps: slope(accuracies, scaling.map((s) => s.cellSteps)),
  error: slope(accuracies, scaling.map((s) => s.worstError)),
};

// --- wasm against the twin ---------------------------------------------------------------------------
const strong = {
  column: {
    length: 1, radius: 9e-5, filmThickness: 1e-6, inletPressure: 2e5, outletPressure: 1e5,
    inletVelocity: 0.01, velocity: 'constant',
  },
  injection: { duration: 60 },
  analytes: [{ name: 'a', ka: 45, kd: 1, c0: 1, diffusivity: 0.01 / 300 }],
  output: { start: 0, end: 600, count: 601 },
};
const benzene = single('benzene');
const wasm = wasmEngine();
const results = {};
await new Promise((resolve) => {
  new Benchmark.Suite('fd')
    .add('benzene wasm', () => check(fdChromatogram(benzene, { accuracy: ACCURACY, engine: wasm })))
    .add('benzene js twin', () => check(fdChromatogram(benzene, { accuracy: ACCURACY, engine: jsFdKernels })))
    .add('Pe-300 column wasm', () => check(fdChromatogram(strong, { accuracy: 3e-4, engine: wasm })))
    .add('Pe-300 column js twin', () => check(fdChromatogram(strong, { accuracy: 3e-4, engine: jsFdKernels })))
    .on('cycle', (e) => {
      const b = e.target;
      const sorted = [...b.stats.sample].sort((x, y) => x - y);
      results[b.name] = { medianMs: 1000 * sorted[Math.floor(sorted.length / 2)], samples: sorted.length };
      console.error(String(b));
    })
    .on('complete', resolve)
    .run();
});
const strongRun = fdChromatogram(strong, { accuracy: 3e-4 });
const benzeneRun = fdChromatogram(benzene, { accuracy: ACCURACY });

const out = {
  suite: 'fd',
  machine: machine(),
  load: { atStart: started, atEnd: load() },
  accuracyTarget: ACCURACY,
  baseline: { commit: baseline.commit, built: old !== null, reason: baseline.reason },
  beforeAfter,
  delivered,
  scaling,
  slopes,
  twin: {
    benzene: { grid: benzeneRun.grids[0], wasm: results['benzene wasm'], js: results['benzene js twin'] },
    strongDiffusion: { grid: strongRun.grids[0], wasm: results['Pe-300 column wasm'], js: results['Pe-300 column js twin'] },
  },
};

const f = (x, d = 1) => x.toFixed(d);
const e = (x) => x.toExponential(1);
const ba = beforeAfter;
const md = `# Finite-difference solver benchmark

${machineLine(out.machine)}; load average ${started.loadAverage.join(' / ')} at the start, ${out.load.atEnd.loadAverage.join(' / ')} at the end (${started.cores} cores)

## Diffusive BTEX, 5 analytes, accuracy ${ACCURACY} of peak height: before/after, interleaved

${ba ? `Before: commit ${baseline.commit} (bench/baseline.js). "Schedule only": today's solver on the old rule's grids, so the
equal steps (LU factors kept) alone. Medians of ${9} interleaved rounds; speed-ups are medians of per-round ratios (quartiles).

| run | time (ms) | speed-up over before | cell updates |
|---|---:|---:|---:|
| before (old grid rule, factors dropped on one-ulp step changes) | ${f(ba.beforeMs)} | 1 | ${(ba.cellStepsBefore / 1e6).toFixed(1)}M |
| schedule only (old grids, equal steps) | ${f(ba.scheduleOnlyMs)} | ${f(ba.scheduleSpeedup.median, 2)}× (${f(ba.scheduleSpeedup.lower, 2)}–${f(ba.scheduleSpeedup.upper, 2)}) | ${(ba.cellStepsBefore / 1e6).toFixed(1)}M |
| after (new grid rule and equal steps) | ${f(ba.afterMs)} | **${f(ba.speedup.median, 2)}×** (${f(ba.speedup.lower, 2)}–${f(ba.speedup.upper, 2)}) | ${(ba.cellStepsAfter / 1e6).toFixed(1)}M |` : `Not measured: ${baseline.reason}.`}

## Target and delivered error per analyte

Delivered: the largest |c - c_ref| over the output grid, / peak height, c_ref extrapolated from the runs on
h/2, dt/2 and h/4, dt/4 of the new grid (its own uncertainty, |c_ref - c_(h/4)|, in the last column). dt is the
step taken (the nominal step shortened to land on the 0.5 s outputs).

| analyte | target | before: cells, dt (s) | before: delivered | after: cells, dt (s) | cell updates before → after | after: model | after: delivered | reference uncertainty |
|---|---:|---|---:|---|---:|---:|---:|---:|
${delivered.map((d) => `| ${d.name} | ${e(d.target)} | ${d.before ? `${d.before.cells}, ${f(d.before.step, 4)}` : '–'} | ${d.before ? e(d.before.deliveredError) : '–'} | ${d.cells}, ${f(d.step, 4)} | ${d.before ? (d.before.cellSteps / 1e6).toFixed(2) : '–'}M → ${(d.cellSteps / 1e6).toFixed(2)}M | ${e(d.expectedError)} | **${e(d.deliveredError)}** | ${e(d.referenceUncertainty)} |`).join('\n')}

## Cost against accuracy (BTEX with D → 0, error against the exact Laplace solution)

| accuracy | time (ms) | cell updates | largest error / peak (all analytes) |
|---:|---:|---:|---:|
${scaling.map((s) => `| ${e(s.accuracy)} | ${f(s.ms)} | ${(s.cellSteps / 1e6).toFixed(1)}M | ${e(s.worstError)} |`).join('\n')}

Log-log slopes against the accuracy: time ${f(slopes.time, 2)}, cell updates ${f(slopes.cellSteps, 2)} (a second-order scheme in h and dt
together: -1), delivered error ${f(slopes.error, 2)} (1: proportional to the target).

## wasm against the plain-TypeScript twin (benchmark.js medians)

| run | cells | steps | wasm (ms) | TS twin (ms) | speed-up |
|---|---:|---:|---:|---:|---:|
| BTEX benzene, variable velocity, accuracy ${ACCURACY} | ${benzeneRun.grids[0].cells} | ${benzeneRun.grids[0].steps} | ${f(results['benzene wasm'].medianMs)} | ${f(results['benzene js twin'].medianMs)} | ${f(results['benzene js twin'].medianMs / results['benzene wasm'].medianMs, 2)}× |
| Péclet-300 column, constant velocity, 60 s pulse, accuracy 3e-4 (test/fd.test.ts) | ${strongRun.grids[0].cells} | ${strongRun.grids[0].steps} | ${f(results['Pe-300 column wasm'].medianMs)} | ${f(results['Pe-300 column js twin'].medianMs)} | ${f(results['Pe-300 column js twin'].medianMs / results['Pe-300 column wasm'].medianMs, 2)}× |
`;
writeResults('fd', out, md);
process.stdout.write(md);
