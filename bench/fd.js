// Benchmark of the finite-difference solver (src/solvers/fd.ts): the BTEX benzene run (variable
// velocity, diffusion on, 20 m) at 0.3%-of-peak accuracy, wasm kernels vs the plain-TypeScript
// twin, and the full 5-analyte run. Accuracy is measured, not assumed: against the run with half
// the cell width and half the step (Richardson: error ~ 4/3 of the difference, second order).
// Writes bench/results/fd.json and bench/results/fd.md. Run: npm run bench:fd
import Benchmark from 'benchmark';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { btexProblem, fdChromatogram, jsFdKernels, wasmEngine } from '../dist/index.js';

const ACCURACY = 3e-3;
const here = new URL('.', import.meta.url);

function maxAbsDiff(a, b) {
  let e = 0;
  for (let j = 0; j < a.length; j++) e = Math.max(e, Math.abs(a[j] - b[j]));
  return e;
}

/** Richardson error estimate of each analyte of `coarse` against `fine` (h/2, dt/2), / peak. */
function richardson(coarse, fine) {
  return coarse.analytes.map((a, i) => (4 / 3) * maxAbsDiff(a.concentration, fine.analytes[i].concentration) / a.peak.height);
}

// The constant-velocity, Péclet-300 column of test/fd.test.ts (60 s pulse), on the automatic
// grid for 3e-4 of the peak: test/fd.test.ts measures its error against the exact transform.
const strong = {
  column: {
    length: 1, radius: 9e-5, filmThickness: 1e-6, inletPressure: 2e5, outletPressure: 1e5,
    inletVelocity: 0.01, velocity: 'constant',
  },
  injection: { duration: 60 },
  analytes: [{ name: 'a', ka: 45, kd: 1, c0: 1, diffusivity: 0.01 / 300 }],
  output: { start: 0, end: 600, count: 601 },
};
const strongRun = fdChromatogram(strong, { accuracy: 3e-4 });

const benzene = btexProblem();
benzene.analytes = [benzene.analytes.find((a) => a.name === 'benzene')];
const full = btexProblem();
const wasm = wasmEngine();

// Cold start: the first wasm run in a fresh process (compilation and tiering included).
const cold0 = performance.now();
const first = fdChromatogram(benzene, { accuracy: ACCURACY, engine: wasm });
const coldMs = performance.now() - cold0;

// Accuracy of the benchmarked runs.
const grid = first.grids[0];
const benzeneFine = fdChromatogram(benzene, { cells: 2 * grid.cells, dt: grid.dt / 2 });
const benzeneError = richardson(first, benzeneFine)[0];
const fullRun = fdChromatogram(full, { accuracy: ACCURACY });
const fullFine = fdChromatogram(full, { accuracy: ACCURACY / 4 });
const fullErrors = richardson(fullRun, fullFine);

function check(result) {
  if (!(result.analytes[0].peak.height > 0) || result.status.code !== 'success') throw new Error('bad run');
}

const results = {};
await new Promise((resolve) => {
  new Benchmark.Suite('fd')
    .add('benzene wasm', () => check(fdChromatogram(benzene, { accuracy: ACCURACY, engine: wasm })))
    .add('benzene js twin', () => check(fdChromatogram(benzene, { accuracy: ACCURACY, engine: jsFdKernels })))
    .add('Pe-300 column wasm', () => check(fdChromatogram(strong, { accuracy: 3e-4, engine: wasm })))
    .add('Pe-300 column js twin', () => check(fdChromatogram(strong, { accuracy: 3e-4, engine: jsFdKernels })))
    .add('BTEX 5 analytes wasm', () => check(fdChromatogram(full, { accuracy: ACCURACY, engine: wasm })), { minSamples: 5, maxTime: 20 })
    .add('BTEX 5 analytes js twin', () => check(fdChromatogram(full, { accuracy: ACCURACY, engine: jsFdKernels })), { minSamples: 3, maxTime: 20 })
    .on('cycle', (e) => {
      const b = e.target;
      const sorted = [...b.stats.sample].sort((x, y) => x - y);
      results[b.name] = { medianMs: 1000 * sorted[Math.floor(sorted.length / 2)], minMs: 1000 * sorted[0], samples: sorted.length };
      console.log(String(b));
    })
    .on('complete', resolve)
    .run();
});

const wasmBytes = statSync(new URL('../build/elution.wasm', here)).size;
const pkg = JSON.parse(readFileSync(new URL('../package.json', here), 'utf8'));
const out = {
  machine: `${os.cpus()[0].model}, ${os.cpus().length} cores (shared), ${os.platform()} ${os.arch()}`,
  node: process.version,
  wasmBytes,
  version: pkg.version,
  accuracyTarget: ACCURACY,
  coldStartMs: coldMs,
  benzene: {
    cells: grid.cells, dt: grid.dt, steps: grid.steps, cellSteps: grid.cellSteps,
    errorOfPeak: benzeneError,
    wasm: results['benzene wasm'], js: results['benzene js twin'],
    speedup: results['benzene js twin'].medianMs / results['benzene wasm'].medianMs,
  },
  strongDiffusion: {
    cells: strongRun.grids[0].cells, dt: strongRun.grids[0].dt, steps: strongRun.grids[0].steps,
    cellSteps: strongRun.grids[0].cellSteps,
    wasm: results['Pe-300 column wasm'], js: results['Pe-300 column js twin'],
    speedup: results['Pe-300 column js twin'].medianMs / results['Pe-300 column wasm'].medianMs,
  },
  btex: {
    grids: fullRun.grids.map((g, i) => ({ ...g, errorOfPeak: fullErrors[i] })),
    wasm: results['BTEX 5 analytes wasm'], js: results['BTEX 5 analytes js twin'],
    speedup: results['BTEX 5 analytes js twin'].medianMs / results['BTEX 5 analytes wasm'].medianMs,
  },
};
writeFileSync(new URL('results/fd.json', here), JSON.stringify(out, null, 2) + '\n');

const f = (x, d = 1) => x.toFixed(d);
const md = `# Finite-difference solver benchmark

${out.machine}; Node ${out.node}; build/elution.wasm ${wasmBytes} bytes. Medians of benchmark.js
samples (machine shared with other jobs: compare ratios). Accuracy target ${ACCURACY} of peak
height; "error" is the measured Richardson estimate against the run with h/2 and dt/2.

| run | cells | dt (s) | steps | cell updates | error / peak | wasm (ms) | TS twin (ms) | wasm speed-up |
|---|---|---|---|---|---|---|---|---|
| BTEX benzene, variable velocity, diffusion | ${grid.cells} | ${f(grid.dt, 3)} | ${grid.steps} | ${(grid.cellSteps / 1e6).toFixed(2)}M | ${benzeneError.toExponential(1)} | ${f(out.benzene.wasm.medianMs)} | ${f(out.benzene.js.medianMs)} | ${f(out.benzene.speedup, 2)}x |
| Pe-300 column, constant velocity, 60 s pulse (test: error 4.3e-5 c0) | ${strongRun.grids[0].cells} | ${f(strongRun.grids[0].dt, 3)} | ${strongRun.grids[0].steps} | ${(strongRun.grids[0].cellSteps / 1e6).toFixed(2)}M | 3e-4 target | ${f(out.strongDiffusion.wasm.medianMs)} | ${f(out.strongDiffusion.js.medianMs)} | ${f(out.strongDiffusion.speedup, 2)}x |
| BTEX 5 analytes, same | ${fullRun.grids.map((g) => g.cells).join(' / ')} | ${fullRun.grids.map((g) => f(g.dt, 3)).join(' / ')} | ${fullRun.grids.reduce((s, g) => s + g.steps, 0)} | ${(fullRun.grids.reduce((s, g) => s + g.cellSteps, 0) / 1e6).toFixed(1)}M | ≤ ${Math.max(...fullErrors).toExponential(1)} | ${f(out.btex.wasm.medianMs)} | ${f(out.btex.js.medianMs)} | ${f(out.btex.speedup, 2)}x |

Cold start (first wasm run in the process, benzene): ${f(coldMs)} ms.
`;
writeFileSync(new URL('results/fd.md', here), md);
console.log(md);
