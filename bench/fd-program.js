// Benchmark of the finite-difference solver under a temperature program (src/solvers/fd-program.ts):
// * the full programmed run of Leppert's programme A, 22 n-alkanes (bench/leppert-conditions.js),
//   with the moving window at accuracy 1e-2 (median of 5 runs);
// * the moving-window kernel in wasm against its plain-TypeScript twin (one analyte, C10);
// * the path of each band (the migration equation integrated by the grid rule) beside it.
// Writes bench/results/fd-program.json and fd-program.md. Run: npm run build && node bench/fd-program.js
import { fileURLToPath } from 'node:url';
import { fdChromatogramUnderProgram, jsFdProgramKernels, wasmEngine } from '../dist/index.js';
import { leppertAlkanes, leppertConditions } from './leppert-conditions.js';
import { machine, machineLine, runSuite, writeResults } from './common.js';

const DATABASE = fileURLToPath(new URL('../../shared/data/leppert2020b/Database_Leppert2020b.csv', import.meta.url));
const alkanes = leppertAlkanes(DATABASE);
const all = leppertConditions(alkanes);
wasmEngine();

function timed(fn, runs) {
  const ms = [];
  let last;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { medianMs: ms[ms.length >> 1], runs, result: last };
}

const full = [];
for (const [accuracy, runs] of [[1e-2, 5]]) {
  const { medianMs, result } = timed(() => fdChromatogramUnderProgram(all, { accuracy }), runs);
  if (result.status.code !== 'success') throw new Error(result.status.message);
  const cellSteps = result.grids.reduce((s, g) => s + g.cellSteps, 0);
  const steps = result.grids.reduce((s, g) => s + g.steps, 0);
  full.push({ accuracy, analytes: result.analytes.length, medianMs, runs, cellSteps, steps, balance: result.errorEstimate });
  process.stderr.write(`  22 alkanes, accuracy ${accuracy}: ${medianMs.toFixed(0)} ms, ${cellSteps} cell-steps\n`);
}

const one = leppertConditions(alkanes.filter((a) => a.name === 'C10'));
const rows = runSuite('moving window, C10, accuracy 1e-2', [
  { name: 'wasm', fn: () => { if (!(fdChromatogramUnderProgram(one, { accuracy: 1e-2 }).analytes[0].peak.height > 0)) throw new Error('bad'); } },
  { name: 'js twin', fn: () => { if (!(fdChromatogramUnderProgram(one, { accuracy: 1e-2, engine: jsFdProgramKernels }).analytes[0].peak.height > 0)) throw new Error('bad'); } },
], { minSamples: 3, maxTime: 2 });
const ratio = rows[1].medianMs / rows[0].medianMs;

const m = machine();
const md = [
  '# FD under a temperature program (bench/fd-program.js)',
  '',
  machineLine(m),
  '',
  "Leppert programme A (11.18 m x 0.104 mm, 0.104 um film, H2, 411564 -> 101300 Pa, 40 C 60 s, 10 C/min to 300 C, 180 s), 22 n-alkanes (K-centric), moving window:",
  '',
  '| accuracy | analytes | wall time (ms, median) | runs | cell-steps | steps | mass balance |',
  '|---|---|---|---|---|---|---|',
  ...full.map((r) => `| ${r.accuracy} | ${r.analytes} | ${r.medianMs.toFixed(0)} | ${r.runs} | ${r.cellSteps} | ${r.steps} | ${r.balance.toExponential(1)} |`),
  '',
  'Moving-window kernel, wasm against the plain-TypeScript twin (C10, accuracy 1e-2, whole solve):',
  '',
  '| engine | median (ms) |',
  '|---|---|',
  ...rows.map((r) => `| ${r.name} | ${r.medianMs.toFixed(1)} |`),
  '',
  `wasm speed-up: ${ratio.toFixed(2)}x`,
  '',
].join('\n');
writeResults('fd-program', { machine: m, full, engines: rows, ratio }, md);
process.stdout.write(md);
