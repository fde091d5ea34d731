// Benchmark: the exact (Laplace) solution of the BTEX 5-analyte chromatogram.
// * steady state on 1401 points (benchmark.js): wasm (copying API and zero-copy kernels) against the
//   plain-TypeScript twin; cold start (import + instantiate + first solve) in a fresh process; the
//   paper's point-by-point adaptive quadrature of (51), timed on a subsample;
// * before/after: chromatogram() of the code before the speed-ups (bench/baseline.js) against
//   today's, interleaved in one process (bench/laplace-before-after.js, a fresh one per grid), on
//   1401 and 100001 points;
// * the two quadrature rules of the kernel (events, panels) and the automatic choice, zero-copy,
//   against the number of output points (1e3..1e6) and against retention (one analyte).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  btexProblem, chromatogram, holdupTime, jsKernels, parseProblem, phaseRatio, velocityRatio, wasmEngine,
} from '../dist/index.js';
import { pointByPoint } from './adaptive-baseline.js';
import { loadBaseline } from './baseline.js';
import { interleaved, load, machine, machineLine, ratioStats, runSuite, writeResults } from './common.js';

const started = load();
const problem = parseProblem(btexProblem());
const col = problem.column;
const tM = holdupTime(col, col.length);
const ratio = velocityRatio(col, col.length);
const pulse = problem.injection.duration;
const analytes = problem.analytes.map((a) => ({
  B: phaseRatio(col) * a.ka * tM, kd: a.kd, scale: a.c0 / ratio, peak: 0,
}));
const n = problem.output.count;
const grid = (count, end = problem.output.end) => Float64Array.from({ length: count }, (_, j) => (j * end) / (count - 1));
const times = grid(n);
const reference = chromatogram(problem);
reference.analytes.forEach((a, i) => { analytes[i].peak = a.peak.height; });

// Inputs for the kernel-only cases, built outside the timed functions.
const wasm = wasmEngine();
const tPtr = wasm.alloc(n);
wasm.view(tPtr, n).set(times);
const outPtrs = analytes.map(() => wasm.alloc(n));
const outs = analytes.map(() => new Float64Array(n));

function check(c, i) {
  // the peak sample must be there, so nothing is optimised away and a wrong kernel shows
  if (!(Math.abs(c[0]) < 1e-300 && c.some((v) => v > 0.9 * analytes[i].peak))) throw new Error('bad chromatogram');
}
function checkResult(r) {
  if (r.status.code !== 'success' || !(r.analytes[0].peak.height > 0)) throw new Error('bad result');
}

const rows = runSuite('BTEX 5 analytes x 1401 points', [
  { name: 'chromatogram(), wasm', fn: () => checkResult(chromatogram(problem)) },
  { name: 'chromatogram(), js twin', fn: () => checkResult(chromatogram(problem, { engine: 'js' })) },
  {
    name: 'kernel, wasm zero-copy',
    fn: () => analytes.forEach((a, i) => {
      wasm.outletConcentrationAt(tPtr, n, tM, a.B, a.kd, pulse, a.scale, outPtrs[i]);
      check(wasm.view(outPtrs[i], n), i);
    }),
  },
  {
    name: 'kernel, wasm copying',
    fn: () => analytes.forEach((a, i) => { wasm.outletConcentration(times, tM, a.B, a.kd, pulse, a.scale, outs[i]); check(outs[i], i); }),
  },
  {
    name: 'kernel, js twin',
    fn: () => analytes.forEach((a, i) => { jsKernels.outletConcentration(times, tM, a.B, a.kd, pulse, a.scale, outs[i]); check(outs[i], i); }),
  },
]);

// --- before/after: the whole call, interleaved, each size in a process of its own ------------------
const baseline = await loadBaseline();
const beforeAfter = baseline.module
  ? [[1401, 61, 20], [100001, 101, 1]].map(([count, rounds, budgetMs]) => JSON.parse(execFileSync(process.execPath,
    [fileURLToPath(new URL('./laplace-before-after.js', import.meta.url)), String(count), String(rounds), String(budgetMs)],
    { encoding: 'utf8' })))
  : [];

// --- the two rules against the number of output points and against retention --------------------
function ruleRows(cases, rounds) {
  return cases.map(({ label, count, end, list }) => {
    const t = grid(count, end);
    const mark = wasm.mark();
    const tp = wasm.alloc(count);
    wasm.view(tp, count).set(t);
    const op = wasm.alloc(count);
    const solve = (rule) => () => {
      wasm.setOutletRule(rule);
      for (const a of list) wasm.outletConcentrationAt(tp, count, tM, a.B, a.kd, pulse, a.scale, op);
    };
    const evaluations = (rule) => {
      wasm.setOutletRule(rule);
      return list.reduce((s, a) => s + wasm.outletConcentrationAt(tp, count, tM, a.B, a.kd, pulse, a.scale, op), 0);
    };
    const timed = interleaved(['events', 'panels', 'auto'].map((rule) => ({ name: rule, fn: solve(rule) })), { rounds, budgetMs: 30, warmupMs: 300 });
    const row = {
      label, points: count,
      eventsMs: timed[0].medianMs, panelsMs: timed[1].medianMs, autoMs: timed[2].medianMs,
      panelsOverEvents: 1 / ratioStats(timed[0], timed[1]).median,
      evaluationsEvents: evaluations('events'), evaluationsPanels: evaluations('panels'),
    };
    wasm.setOutletRule('auto');
    wasm.release(mark);
    return row;
  });
}
const byPoints = ruleRows([1001, 10001, 100001, 1000001].map((count) => ({
  label: 'BTEX, 5 analytes, 0..700 s', count, end: problem.output.end, list: analytes,
})), 9);
// One analyte, kd = 10/s, retention B = alpha ka tM from 10 to 1e6, 10001 points to 8 deviations past the peak.
const byRetention = ruleRows([10, 100, 1e3, 1e4, 1e5, 1e6].map((B) => {
  const kd = 10;
  const end = tM + pulse + (B + 8 * Math.sqrt(2 * B) + 10) / kd;
  return { label: `B = ${B}`, count: 10001, end, list: [{ B, kd, scale: 1 }] };
}), 9);

// --- cold start in a fresh process: import (compiles and instantiates the wasm on first use) + first solve.
const coldScript = `
const t0 = performance.now();
const m = await import(${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)});
const t1 = performance.now();
m.wasmEngine();
const t2 = performance.now();
m.chromatogram(m.btexProblem());
const t3 = performance.now();
console.log(JSON.stringify({ importMs: t1 - t0, instantiateMs: t2 - t1, firstSolveMs: t3 - t2 }));`;
const colds = Array.from({ length: 5 }, () =>
  JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', coldScript], { encoding: 'utf8' })));
const coldMedian = (key) => colds.map((c) => c[key]).sort((a, b) => a - b)[2];
const cold = { importMs: coldMedian('importMs'), instantiateMs: coldMedian('instantiateMs'), firstSolveMs: coldMedian('firstSolveMs') };

// --- point-by-point adaptive quadrature of (51): every 7th output time of every analyte, scaled up.
const stride = 7;
let sampled = 0;
const adaptiveStart = performance.now();
let worst = 0;
analytes.forEach((a, i) => {
  for (let j = 0; j < n; j += stride) {
    const c = pointByPoint(times[j], tM, a.B, a.kd, pulse).value * a.scale;
    worst = Math.max(worst, Math.abs(c - reference.analytes[i].concentration[j]) / a.peak);
    sampled++;
  }
});
const perPointMs = (performance.now() - adaptiveStart) / sampled;
const adaptiveFullMs = perPointMs * n * analytes.length;

const byName = Object.fromEntries(rows.map((r) => [r.name, r.medianMs]));
const api = byName['chromatogram(), wasm'];
const result = {
  suite: 'laplace',
  machine: machine(),
  load: { atStart: started, atEnd: load() },
  problem: 'BTEX, variable velocity, 5 analytes, 1401 output times 0..700 s',
  rows,
  baseline: { commit: baseline.commit, built: baseline.module !== null, reason: baseline.reason },
  beforeAfter,
  rules: { byPoints, byRetention },
  cold,
  adaptiveQuadrature: {
    method: 'point-by-point global adaptive Gauss-Kronrod 7/15 of (51), rtol 1e-10, plain JS',
    sampledPoints: sampled, perPointMs, estimatedFullMs: adaptiveFullMs,
    maxDeviationFromExactOverPeak: worst,
    paperEnvironmentPerPointMs: 3.5,
  },
  ratios: {
    jsTwinOverWasmApi: byName['chromatogram(), js twin'] / api,
    jsKernelOverWasmKernelZeroCopy: byName['kernel, js twin'] / byName['kernel, wasm zero-copy'],
    jsKernelOverWasmKernelCopying: byName['kernel, js twin'] / byName['kernel, wasm copying'],
    adaptiveOverWasmApi: adaptiveFullMs / api,
    paperAdaptiveOverWasmApi: (3.5 * n * analytes.length) / api,
  },
};

const f = (x, d = 3) => x.toFixed(d);
const e = (x) => x.toExponential(1);
const md = `## Exact solution: BTEX 5-analyte chromatogram

${machineLine(result.machine)}; load average ${started.loadAverage.join(' / ')} at the start, ${result.load.atEnd.loadAverage.join(' / ')} at the end (${started.cores} cores)

### Steady state, 1401 points (benchmark.js medians)

| case | median (ms) | ± (%) |
|---|---:|---:|
${rows.map((r) => `| ${r.name} | ${f(r.medianMs)} | ${f(r.rmePercent, 1)} |`).join('\n')}
| cold start: import + instantiate + first solve (fresh process, median of 5) | ${f(cold.importMs + cold.instantiateMs + cold.firstSolveMs, 1)} | |
| point-by-point adaptive quadrature of (51), plain JS (${sampled} points timed, scaled to 7005) | ${f(adaptiveFullMs, 0)} | |

* wasm kernels vs plain-TS twin: ${f(result.ratios.jsKernelOverWasmKernelZeroCopy, 2)}× (zero-copy kernels), ${f(result.ratios.jsKernelOverWasmKernelCopying, 2)}× (copying), ${f(result.ratios.jsTwinOverWasmApi, 2)}× (whole \`chromatogram()\` call).
* \`chromatogram()\` vs point-by-point adaptive quadrature: ${f(result.ratios.adaptiveOverWasmApi, 0)}× (measured here, ${f(perPointMs, 2)} ms per point); vs the paper's 3.5 ms per point: ${f(result.ratios.paperAdaptiveOverWasmApi, 0)}×.

### Before/after: \`chromatogram()\`, whole call, interleaved (one fresh process per grid)

${baseline.module ? `Before: commit ${baseline.commit} (bench/baseline.js). Speed-up: median of the per-round ratios before/after (quartiles); at
100001 points each call allocates ~6 MB of results, whose first touch costs from 1 to 15 ms on this machine from one call to the next, hence the wide lower quartile.

| points | before (ms) | today, event rule forced (ms) | after (ms) | speed-up, event rule | speed-up | density evaluations before → after | largest change / peak |
|---:|---:|---:|---:|---:|---:|---:|---:|
${beforeAfter.map((r) => `| ${r.points} | ${f(r.beforeMs)} | ${f(r.eventRuleMs)} | ${f(r.afterMs)} | ${f(r.eventRuleSpeedup.median, 2)}× (${f(r.eventRuleSpeedup.lower, 2)}–${f(r.eventRuleSpeedup.upper, 2)}) | **${f(r.speedup.median, 2)}×** (${f(r.speedup.lower, 2)}–${f(r.speedup.upper, 2)}) | ${r.evaluationsBefore} → ${r.evaluationsAfter} | ${e(r.maxChangeOverPeak)} |`).join('\n')}

"Event rule forced": today's call with the kernel held to the old quadrature rule (setOutletRule), so
the glue's share (peak location, sums in wasm, the times copied once) shows apart from the panel rule's.` : `Not measured: ${baseline.reason}.`}

### Quadrature rules of the kernel (wasm, zero-copy; medians of interleaved rounds)

Against the number of output points (BTEX, 5 analytes):

| points | event rule (ms) | panel rule (ms) | automatic (ms) | panels / events | density evaluations, events / panels |
|---:|---:|---:|---:|---:|---:|
${byPoints.map((r) => `| ${r.points} | ${f(r.eventsMs)} | ${f(r.panelsMs)} | ${f(r.autoMs)} | ${f(r.panelsOverEvents, 2)} | ${r.evaluationsEvents} / ${r.evaluationsPanels} |`).join('\n')}

Against retention (one analyte, kd = 10 1/s, 10001 points to 8 deviations past the peak):

| retention B | event rule (ms) | panel rule (ms) | automatic (ms) | panels / events | density evaluations, events / panels |
|---|---:|---:|---:|---:|---:|
${byRetention.map((r) => `| ${r.label.slice(4)} | ${f(r.eventsMs, 4)} | ${f(r.panelsMs, 4)} | ${f(r.autoMs, 4)} | ${f(r.panelsOverEvents, 2)} | ${r.evaluationsEvents} / ${r.evaluationsPanels} |`).join('\n')}
`;
writeResults('laplace', result, md);
process.stdout.write(md);
