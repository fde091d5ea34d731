// Benchmarks of the kinetic fit (src/solvers/fit/) against the chromatogram evaluation it is built on.
//
// Inputs are built outside the timed functions; each timed function checks its result so that
// nothing is optimised away. Reported: medians (ms) from benchmark.js samples, the ratio
// fit / chromatogram evaluation (the "never slower than 100 chromatogram evaluations" rule), the
// kernel calls per fit, wasm beside the plain-TypeScript twin, and the cold start (first fit in a
// fresh process, wasm instantiation included) apart from steady state.
//
// Usage: npm run bench:fit  (builds first; writes bench/results/fit.json and fit.md)
import Benchmark from 'benchmark';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  btexProblem, chromatogram, fitChromatogram, jsKernels, parseChromatogramCsv, wasmEngine,
} from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const out = join(here, 'results');

// --- cold start: a fresh process, first fit including wasm instantiation -----------------------
const coldScript = `
const t0 = performance.now();
const m = await import(${JSON.stringify(join(root, 'dist', 'index.js'))});
const p = m.btexProblem(); p.analytes.reverse();
const sim = m.chromatogram(p);
for (const a of p.analytes) { delete a.ka; delete a.kd; }
const t1 = performance.now();
const r = m.fitChromatogram(p, { time: sim.times, signal: sim.signal });
const t2 = performance.now();
console.log(JSON.stringify({ importAndFirstChromatogramMs: t1 - t0, firstFitMs: t2 - t1, status: r.status.code }));
`;
const cold = [];
for (let k = 0; k < 5; k++) cold.push(JSON.parse(execFileSync('node', ['--input-type=module', '-e', coldScript], { encoding: 'utf8' })));

// --- inputs ---------------------------------------------------------------------------------
function btexCase(fit) {
  const truth = btexProblem();
  truth.analytes.reverse();
  const sim = chromatogram(truth);
  const problem = structuredClone(truth);
  for (const a of problem.analytes) {
    delete a.ka;
    delete a.kd;
  }
  delete problem.output;
  problem.fit = fit;
  return { truth, problem, data: { time: sim.times, signal: sim.signal } };
}

const cases = [];
{
  const c = btexCase({});
  cases.push({
    name: 'BTEX, 5 analytes, 1401 points (responses and baseline given)',
    ...c,
    reference: () => chromatogram(c.truth),
  });
}
{
  const c = btexCase({ baseline: { mode: 'fit', drift: 'linear' }, response: 'fit' });
  cases.push({
    name: 'BTEX, 5 analytes, 1401 points (baseline and responses fitted)',
    ...c,
    reference: () => chromatogram(c.truth),
  });
}
{
  const truth = btexProblem();
  truth.analytes = [truth.analytes[4]];
  truth.output = { start: 0, end: 200, count: 401 };
  const sim = chromatogram(truth);
  const problem = structuredClone(truth);
  delete problem.analytes[0].ka;
  delete problem.analytes[0].kd;
  problem.fit = {};
  cases.push({
    name: 'benzene alone, 401 points',
    truth, problem, data: { time: sim.times, signal: sim.signal },
    reference: () => chromatogram(truth),
  });
}
// The real runs (if ../shared/data is there). One chromatogram evaluation of the fitted model over
// the cropped data times (what chromatogram() does for a known column): one kernel call per analyte.
function realCase(name, csv, problemFile, edit = (p) => p) {
  const file = join(root, '..', 'shared', 'data', csv);
  if (!existsSync(file)) {
    console.warn(`skipping the case "${name}": measured data ${file} is missing (it lies in ../shared/data beside the clone)`);
    return;
  }
  const data = parseChromatogramCsv(readFileSync(file, 'utf8'));
  const problem = edit(JSON.parse(readFileSync(join(root, 'examples', problemFile), 'utf8')));
  const fitted = fitChromatogram(problem, data);
  const times = fitted.fitted.time;
  const tM = fitted.holdupTime.value;
  const pulse = problem.injection.duration;
  const outBuf = new Float64Array(times.length);
  const engine = wasmEngine();
  cases.push({
    name, problem, data, expectStatus: fitted.status.code,
    reference: () => {
      let s = 0;
      for (const a of fitted.analytes) {
        engine.outletConcentration(times, tM, a.retentionFactor * a.kd * tM, a.kd, pulse, a.area / pulse, outBuf);
        s += outBuf[outBuf.length >> 1];
      }
      return s;
    },
  });
}
realCase('real run 2022 (4 analytes, 8000 points cropped to 6001, hold-up time and window baselines fitted)',
  'fusion_moduleA_100C_Cu_20220608.csv', 'fusion-2022.json');
realCase('real run 2021 (5 analytes, 8000 points cropped to 6001, hold-up time given, window baselines fitted)',
  'fusion_moduleA_100C_AgPTFE_20210813.csv', 'fusion-2021.json');
realCase('real run 2021, hold-up time fitted (held at its bound)',
  'fusion_moduleA_100C_AgPTFE_20210813.csv', 'fusion-2021.json', (p) => ({ ...p, fit: { ...p.fit, holdupTime: 'fit' } }));

// --- benchmarks -----------------------------------------------------------------------------
const median = (xs) => {
  const v = xs.slice().sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
};
const options = { minSamples: 30, maxTime: 3 };

function measure(name, fn) {
  let result;
  const bench = new Benchmark(name, { ...options, fn });
  bench.on('complete', function () {
    result = { medianMs: 1000 * median(this.stats.sample), meanMs: 1000 * this.stats.mean, rme: this.stats.rme, samples: this.stats.sample.length };
  });
  bench.run();
  return result;
}

const rows = [];
for (const c of cases) {
  const probe = fitChromatogram(c.problem, c.data);
  if (probe.status.code !== (c.expectStatus ?? 'converged')) throw new Error(`${c.name}: fit status ${probe.status.code}`);
  const fitWasm = measure(`fit wasm: ${c.name}`, () => {
    const r = fitChromatogram(c.problem, c.data);
    if (r.analytes[0].kd <= 0) throw new Error('bad fit');
  });
  const fitJs = measure(`fit js: ${c.name}`, () => {
    const r = fitChromatogram(c.problem, c.data, { engine: 'js' });
    if (r.analytes[0].kd <= 0) throw new Error('bad fit');
  });
  const evaluation = measure(`chromatogram: ${c.name}`, () => {
    const r = c.reference();
    if (r === undefined) throw new Error('no result');
  });
  let recovery = null;
  if (c.truth) {
    recovery = 0;
    for (const a of probe.analytes) {
      const t = c.truth.analytes.find((b) => b.name === a.name);
      recovery = Math.max(recovery, Math.abs(a.ka / t.ka - 1), Math.abs(a.kd / t.kd - 1));
    }
  }
  const row = {
    case: c.name,
    analytes: probe.analytes.length,
    points: c.data.time.length,
    fitPoints: probe.points,
    parameters: probe.parameters,
    iterations: probe.iterations,
    kernelCallsPerFit: probe.cost.kernelCalls,
    countedEvaluations: probe.cost.chromatogramEvaluations,
    maxEvaluations: probe.cost.maxEvaluations,
    fitWasmMs: fitWasm.medianMs,
    fitJsMs: fitJs.medianMs,
    chromatogramMs: evaluation.medianMs,
    fitOverChromatogram: fitWasm.medianMs / evaluation.medianMs,
    jsOverWasm: fitJs.medianMs / fitWasm.medianMs,
    maxRelativeErrorKaKd: recovery,
    minR2: Math.min(...probe.analytes.map((a) => a.r2)),
    status: probe.status.code,
    rme: { fitWasm: fitWasm.rme, fitJs: fitJs.rme, chromatogram: evaluation.rme },
  };
  rows.push(row);
  console.log(`${row.case}: fit ${row.fitWasmMs.toFixed(2)} ms (js ${row.fitJsMs.toFixed(2)} ms), ` +
    `chromatogram ${row.chromatogramMs.toFixed(3)} ms, ratio ${row.fitOverChromatogram.toFixed(1)}, ` +
    `${row.iterations} iterations, ${row.kernelCallsPerFit} kernel calls, counted ${row.countedEvaluations.toFixed(1)}`);
}

// --- results --------------------------------------------------------------------------------
const wasmFile = join(root, 'build', 'elution.wasm');
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, platform: `${platform()} ${release()}`,
  node: process.version, wasmBytes: statSync(wasmFile).size, date: new Date().toISOString(),
};
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'fit.json'), JSON.stringify({ machine, cold, rows }, null, 2) + '\n');
const fmt = (x, d = 2) => (x === null ? '-' : x < 1e-3 ? x.toExponential(1) : x.toFixed(d));
const md = [
  '# Fit benchmark (`npm run bench:fit`)',
  '',
  `Machine: ${machine.cpu} (${machine.cores} cores, shared), ${machine.platform}, Node ${machine.node}, ` +
    `elution.wasm ${machine.wasmBytes} bytes, ${machine.date}.`,
  '',
  'Medians of benchmark.js samples. "chromatogram" is one evaluation of the same model on the same',
  'time grid (`chromatogram()` for the synthetic cases; one kernel call per fitted analyte over the',
  'cropped data for the real run). The ratio fit / chromatogram must stay below 100. "counted" is the',
  'work the fit counts against its budget (src/solvers/fit/budget.ts: kernel calls / analytes plus allowances',
  'for the work outside the kernels; limit in brackets): an upper bound of the measured ratio by design.',
  '',
  '| case | points (fitted) | parameters | iterations | kernel calls | counted (limit) | fit wasm (ms) | fit js (ms) | chromatogram (ms) | fit / chromatogram | max rel. error k_a, k_d | min R² | status |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.case} | ${r.points} (${r.fitPoints}) | ${r.parameters} | ${r.iterations} | ${r.kernelCallsPerFit} | ` +
    `${r.countedEvaluations.toFixed(1)} (${r.maxEvaluations}) | ` +
    `${fmt(r.fitWasmMs)} | ${fmt(r.fitJsMs)} | ${fmt(r.chromatogramMs, 3)} | ${fmt(r.fitOverChromatogram, 1)} | ` +
    `${r.maxRelativeErrorKaKd === null ? '-' : r.maxRelativeErrorKaKd.toExponential(1)} | ${r.minR2.toFixed(5)} | ${r.status} |`),
  '',
  `Cold start (fresh process; BTEX fit, 5 analytes, 1401 points; ${cold.length} runs): import + first chromatogram ` +
    `(wasm instantiation) median ${fmt(median(cold.map((c) => c.importAndFirstChromatogramMs)))} ms, then first fit median ` +
    `${fmt(median(cold.map((c) => c.firstFitMs)))} ms (max ${fmt(Math.max(...cold.map((c) => c.firstFitMs)))} ms).`,
  '',
].join('\n');
writeFileSync(join(out, 'fit.md'), md);
console.log(`wrote ${join('bench', 'results', 'fit.json')} and fit.md`);
