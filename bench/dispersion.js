// Benchmark of the exact solution with diffusion at constant velocity (src/solvers/dispersion.ts,
// assembly/dispersion.ts; MODEL.md §12):
// * the Pe = 300 column of test/fd.test.ts (601 outputs, c0 = 1): chromatogram() on wasm and on the
//   plain-TypeScript twin, the kernel alone (copying and zero-copy), and the finite-difference
//   solver at the accuracy that reaches ~1e-4 c0 there, with the error each delivers against the
//   high-precision reference (test/fixtures/dispersion-reference.json);
// * BTEX at constant velocity with the paper's diffusivities (5 analytes, 2001 outputs): wasm against
//   the twin, the error against the reference at its 41 times per analyte;
// * BTEX at variable velocity with D ~ 1/p (diffusion: true; 5 x 1401): wasm, the twin, the solution
//   without diffusion and the finite-difference solver;
// * cold start apart: the first chromatogram() in this process.
// Writes bench/results/dispersion.json and dispersion.md. Run: npm run bench:dispersion
import { readFileSync } from 'node:fs';
import { btexProblem, chromatogram, fdChromatogram, jsDispersionKernels, wasmEngine } from '../dist/index.js';
import { load, machine, machineLine, runSuite, writeResults } from './common.js';

const started = load();
const fixture = JSON.parse(readFileSync(new URL('../test/fixtures/dispersion-reference.json', import.meta.url), 'utf8'));
const byName = (name) => fixture.cases.find((c) => c.name === name);

const strongCase = byName('peclet-300');
const strong = {
  column: {
    length: strongCase.L, radius: 9e-5, filmThickness: 1e-6, inletPressure: 2e5, outletPressure: 1e5,
    inletVelocity: strongCase.u, velocity: 'constant',
  },
  injection: { duration: strongCase.pulse },
  analytes: [{ name: 'a', ka: strongCase.ka, kd: strongCase.kd, c0: 1, diffusivity: strongCase.D }],
  output: { start: 0, end: 600, count: 601 },
};
const btex = btexProblem();
btex.column.velocity = 'constant';
btex.output = { start: 0, end: 1000, count: 2001 };

// cold start: the first solve in this process (wasm instantiation included)
const t0 = performance.now();
const first = chromatogram(strong);
const coldMs = performance.now() - t0;

function strongError(r) {
  const c = r.analytes[0].concentration;
  let e = 0;
  strongCase.times.forEach((t, j) => { e = Math.max(e, Math.abs(c[t] - strongCase.concentration[j])); });
  return e;
}

function btexError(r) {
  // the reference's 41 times per analyte are not on the output grid: evaluate there directly
  let worst = 0;
  btex.analytes.forEach((a) => {
    const c = byName(`btex-constant-${a.name}`);
    const x = chromatogram(btex, { times: c.times });
    const i = btex.analytes.indexOf(a);
    const peak = Math.max(...c.concentration);
    c.times.forEach((_, j) => {
      worst = Math.max(worst, Math.abs(x.analytes[i].concentration[j] - c.concentration[j] * a.c0) / (peak * a.c0));
    });
  });
  if (r.status.code !== 'success') throw new Error('bad BTEX run');
  return worst;
}

function checkStrong(r) {
  if (r.status.code !== 'success' || !(r.analytes[0].peak.height > 0.8)) throw new Error('bad run');
}

// kernel-only inputs, built outside the timed functions
const tM = strongCase.L / strongCase.u;
const invPe = strongCase.D / (strongCase.u * strongCase.L);
const B = strongCase.alpha * strongCase.ka * tM;
const times = Float64Array.from({ length: 601 }, (_, j) => j);
const out = new Float64Array(601);
const wasm = wasmEngine();
const MAX_TERMS = 1 << 16;
const tPtr = wasm.alloc(601);
wasm.view(tPtr, 601).set(times);
const wPtr = wasm.alloc(2 * (MAX_TERMS + 1));
const oPtr = wasm.alloc(601);
function checkKernel(c) {
  if (!(c[230] > 0.8 && Math.abs(c[0]) < 1e-12)) throw new Error('bad kernel result');
}

const FD_ACCURACY = 3e-4;
const fdRun = fdChromatogram(strong, { accuracy: FD_ACCURACY });
const strongRows = runSuite('Pe = 300 column, 601 outputs', [
  { name: 'chromatogram(), wasm', fn: () => checkStrong(chromatogram(strong)) },
  { name: 'chromatogram(), js twin', fn: () => checkStrong(chromatogram(strong, { engine: 'js' })) },
  {
    name: 'kernel, wasm zero-copy',
    fn: () => {
      wasm.dispersiveConcentrationAt(tPtr, 601, tM, invPe, B, strongCase.kd, strongCase.pulse, 1, 1, 1e-15, MAX_TERMS, wPtr, oPtr);
      checkKernel(wasm.view(oPtr, 601));
    },
  },
  {
    name: 'kernel, wasm copying',
    fn: () => {
      wasm.dispersiveConcentration(times, tM, invPe, B, strongCase.kd, strongCase.pulse, 1, 1, 1e-15, MAX_TERMS, out);
      checkKernel(out);
    },
  },
  {
    name: 'kernel, js twin',
    fn: () => {
      jsDispersionKernels.dispersiveConcentration(times, tM, invPe, B, strongCase.kd, strongCase.pulse, 1, 1, 1e-15, MAX_TERMS, out);
      checkKernel(out);
    },
  },
  { name: `fdChromatogram(), accuracy ${FD_ACCURACY}`, fn: () => checkStrong(fdChromatogram(strong, { accuracy: FD_ACCURACY })) },
], { minSamples: 10, maxTime: 2 });

const btexRows = runSuite('BTEX constant velocity with diffusion, 5 analytes x 2001 outputs', [
  { name: 'chromatogram(), wasm', fn: () => { if (chromatogram(btex).status.code !== 'success') throw new Error('bad'); } },
  { name: 'chromatogram(), js twin', fn: () => { if (chromatogram(btex, { engine: 'js' }).status.code !== 'success') throw new Error('bad'); } },
], { minSamples: 10, maxTime: 2 });

// variable velocity with D ~ 1/p (MODEL.md §12.6): the paper's BTEX run, 5 analytes x 1401 outputs
const btexVariable = btexProblem();
const variableRows = runSuite('BTEX variable velocity with diffusion, 5 analytes x 1401 outputs', [
  { name: 'chromatogram(), wasm', fn: () => { if (chromatogram(btexVariable, { diffusion: true }).status.code !== 'success') throw new Error('bad'); } },
  { name: 'chromatogram(), js twin', fn: () => { if (chromatogram(btexVariable, { diffusion: true, engine: 'js' }).status.code !== 'success') throw new Error('bad'); } },
  { name: 'chromatogram() without diffusion (Bessel), wasm', fn: () => { if (chromatogram(btexVariable).status.code !== 'success') throw new Error('bad'); } },
  { name: 'fdChromatogram(), accuracy 1e-3', fn: () => { if (!(fdChromatogram(btexVariable).analytes[0].peak.height > 0)) throw new Error('bad'); } },
], { minSamples: 5, maxTime: 2 });
const variableExact = chromatogram(btexVariable, { diffusion: true });
const variableFd = fdChromatogram(btexVariable);
const variableFdError = Math.max(...variableFd.analytes.map((a, i) => {
  let e = 0;
  a.concentration.forEach((v, j) => { e = Math.max(e, Math.abs(v - variableExact.analytes[i].concentration[j])); });
  return e / variableExact.analytes[i].peak.height;
}));

const strongResult = chromatogram(strong);
const errors = {
  strongLaplace: strongError(strongResult),
  strongLaplaceEstimate: strongResult.errorEstimate,
  strongFd: strongError(fdRun),
  btexLaplace: btexError(chromatogram(btex)),
  btexLaplaceEstimate: chromatogram(btex).errorEstimate,
};
const ended = load();
const m = machine();
const ms = (rows, name) => rows.find((r) => r.name === name).medianMs;
const row = (rows, r, base) => `| ${r.name} | ${r.medianMs.toFixed(3)} | ${(r.medianMs / ms(rows, base)).toFixed(2)} |`;
const md = `# Exact solution with diffusion benchmark

${machineLine(m)}; load average ${started.loadAverage.join(' / ')} at the start, ${ended.loadAverage.join(' / ')} at the end (${started.cores} cores)

Medians of benchmark.js samples. Errors against the high-precision evaluation of the same transform
(scripts/dispersion_reference.py → test/fixtures/dispersion-reference.json).

## The Pe = 300 column of the finite-difference tests (601 outputs, c0 = 1)

| run | median (ms) | × chromatogram(), wasm |
|---|---:|---:|
${strongRows.map((r) => row(strongRows, r, 'chromatogram(), wasm')).join('\n')}

Cold start (first chromatogram() in the process, wasm instantiation included): ${coldMs.toFixed(1)} ms.

| solver | largest error at the 121 reference times (absolute, c0 = 1) | its own estimate |
|---|---:|---:|
| chromatogram() (Fourier series, MODEL.md §12) | ${errors.strongLaplace.toExponential(1)} | ${(errors.strongLaplaceEstimate * strongResult.analytes[0].peak.height).toExponential(1)} |
| fdChromatogram(), accuracy ${FD_ACCURACY} | ${errors.strongFd.toExponential(1)} | ${(fdRun.grids[0].expectedError * fdRun.analytes[0].peak.height).toExponential(1)} |

## BTEX at constant velocity with the paper's diffusivities (5 analytes × 2001 outputs)

| run | median (ms) | × chromatogram(), wasm |
|---|---:|---:|
${btexRows.map((r) => row(btexRows, r, 'chromatogram(), wasm')).join('\n')}

Largest error at the reference's 41 times per analyte, as a fraction of the peak height: ${errors.btexLaplace.toExponential(1)}
(estimate ${errors.btexLaplaceEstimate.toExponential(1)}).

## BTEX at variable velocity with D ∝ 1/p (\`diffusion: true\`, MODEL.md §12.6; 5 analytes × 1401 outputs)

| run | median (ms) | × chromatogram(), wasm |
|---|---:|---:|
${variableRows.map((r) => row(variableRows, r, 'chromatogram(), wasm')).join('\n')}

Error estimate ${variableExact.errorEstimate.toExponential(1)} of the peak height; the finite-difference solver at its
default accuracy differs from it by at most ${variableFdError.toExponential(1)} of the peak height.
`;
writeResults('dispersion', {
  machine: m, load: { started, ended }, coldMs, strong: strongRows, btex: btexRows, variable: variableRows,
  variableErrorEstimate: variableExact.errorEstimate, variableFdError, errors, first: first.status.code,
}, md);
process.stdout.write(md);
