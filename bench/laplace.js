// Benchmark: the exact (Laplace) solution of the BTEX 5-analyte chromatogram on 1401 points.
// wasm (copying API and zero-copy kernels) against the plain-TypeScript twin, steady state in
// process; cold start (import + instantiate + first solve) in a fresh process; and the paper's
// point-by-point adaptive quadrature of (51), timed on a subsample here.
import { execFileSync } from 'node:child_process';
import {
  btexProblem, chromatogram, holdupTime, jsKernels, parseProblem, phaseRatio, velocityRatio, wasmEngine,
} from '../dist/index.js';
import { pointByPoint } from './adaptive-baseline.js';
import { machine, machineLine, runSuite, writeResults } from './common.js';

const problem = parseProblem(btexProblem());
const col = problem.column;
const tM = holdupTime(col, col.length);
const ratio = velocityRatio(col, col.length);
const pulse = problem.injection.duration;
const analytes = problem.analytes.map((a) => ({
  B: phaseRatio(col) * a.ka * tM, kd: a.kd, scale: a.c0 / ratio, peak: 0,
}));
const n = problem.output.count;
const times = new Float64Array(n);
for (let j = 0; j < n; j++) times[j] = problem.output.start + (j * (problem.output.end - problem.output.start)) / (n - 1);
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

const rows = runSuite('BTEX 5 analytes x 1401 points', [
  { name: 'chromatogram(), wasm', fn: () => { const r = chromatogram(problem); if (r.status.code !== 'success') throw new Error(); } },
  { name: 'chromatogram(), js twin', fn: () => { const r = chromatogram(problem, { engine: 'js' }); if (r.status.code !== 'success') throw new Error(); } },
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

// Cold start in a fresh process: import (compiles and instantiates the wasm on first use) + first solve.
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

// Point-by-point adaptive quadrature of (51): every 7th output time of every analyte, scaled up.
const stride = 7;
let sampled = 0;
const started = performance.now();
let worst = 0;
analytes.forEach((a, i) => {
  for (let j = 0; j < n; j += stride) {
    const c = pointByPoint(times[j], tM, a.B, a.kd, pulse).value * a.scale;
    worst = Math.max(worst, Math.abs(c - reference.analytes[i].concentration[j]) / a.peak);
    sampled++;
  }
});
const perPointMs = (performance.now() - started) / sampled;
const adaptiveFullMs = perPointMs * n * analytes.length;

const byName = Object.fromEntries(rows.map((r) => [r.name, r.medianMs]));
const api = byName['chromatogram(), wasm'];
const result = {
  suite: 'laplace',
  machine: machine(),
  problem: 'BTEX, variable velocity, 5 analytes, 1401 output times 0..700 s',
  rows,
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
const md = `## Exact solution: BTEX 5-analyte chromatogram, 1401 points

${machineLine(result.machine)}

| case | median (ms) | ± (%) |
|---|---:|---:|
${rows.map((r) => `| ${r.name} | ${f(r.medianMs)} | ${f(r.rmePercent, 1)} |`).join('\n')}
| cold start: import + instantiate + first solve (fresh process, median of 5) | ${f(cold.importMs + cold.instantiateMs + cold.firstSolveMs, 1)} | |
| point-by-point adaptive quadrature of (51), plain JS (${sampled} points timed, scaled to 7005) | ${f(adaptiveFullMs, 0)} | |

* wasm kernels vs plain-TS twin: ${f(result.ratios.jsKernelOverWasmKernelZeroCopy, 2)}× (zero-copy kernels), ${f(result.ratios.jsKernelOverWasmKernelCopying, 2)}× (copying), ${f(result.ratios.jsTwinOverWasmApi, 2)}× (whole \`chromatogram()\` call).
* \`chromatogram()\` vs point-by-point adaptive quadrature: ${f(result.ratios.adaptiveOverWasmApi, 0)}× (measured here, ${f(perPointMs, 2)} ms per point); vs the paper's 3.5 ms per point: ${f(result.ratios.paperAdaptiveOverWasmApi, 0)}×.
`;
writeResults('laplace', result, md);
process.stdout.write(md);
