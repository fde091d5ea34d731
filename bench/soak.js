// Repetition benchmark: many solves and fits in one process, resident memory after warm-up
// against the end. Run with `npm run bench:soak`: node --expose-gc, so every reading follows a
// full collection, and --min-semi-space-size=16, so V8's young generation starts at its largest
// size. By default it starts at 1 MiB and grows once allocation is fast enough, by up to 3 x 16
// MiB of RSS after thousands of rounds (measured: the fit loop steps from 78 to 99 MiB near round
// 3500 and stays there; with the young generation fixed it stays at 122 MiB, heap and external
// memory flat throughout): a one-time sizing, not a leak, which a short warm-up would report as
// one. A workload whose RSS grows by 5% or more from after its warm-up to its end fails the run
// (exit code 1): memory that grows with repetitions is a leak, whatever its size.
//
// Each workload checks its result inside the loop (so nothing is optimised away) and runs in the
// same process after the others, as a long-lived server or page would run them.
import {
  btexProblem, chromatogram, chromatogramCsvChunks, fdChromatogram, fitChromatogram, parseChromatogramCsv, profiles,
  wasmEngine,
} from '../dist/index.js';
import { machine, machineLine, writeResults } from './common.js';

if (typeof globalThis.gc !== 'function') {
  console.error('bench/soak.js needs node --expose-gc --min-semi-space-size=16 (npm run bench:soak)');
  process.exit(2);
}

const GROWTH_LIMIT = 0.05;
const MiB = 1024 ** 2;

function settle() {
  for (let i = 0; i < 3; i++) globalThis.gc();
  return process.memoryUsage();
}

const problem = btexProblem();
const benzene = { ...btexProblem(), analytes: [btexProblem().analytes[4]] };
const measured = chromatogram(problem);
const fitProblem = btexProblem();
delete fitProblem.output;
const data = { time: measured.times, signal: measured.signal };
const csvText = 'time,signal\n' + Array.from(measured.times, (t, j) => `${t},${measured.signal[j]}`).join('\n') + '\n';

let sink = 0;
const workloads = [
  {
    name: 'chromatogram(), BTEX, 1401 times',
    rounds: 100_000,
    fn: () => {
      const r = chromatogram(problem);
      if (r.status.code !== 'success') throw new Error(r.status.message);
      sink += r.analytes[4].peak.height;
    },
  },
  {
    name: 'profiles(), BTEX, 4 times x 401 points',
    rounds: 10_000,
    fn: () => {
      const r = profiles(problem, { times: [5, 108, 290, 470], points: 401 });
      sink += r.concentrations[1][0][100];
    },
  },
  {
    name: 'fitChromatogram(), BTEX, 1401 points',
    rounds: 4000,
    fn: () => {
      const r = fitChromatogram(fitProblem, data);
      if (r.status.code !== 'converged') throw new Error(r.status.message);
      sink += r.analytes[0].ka;
    },
  },
  {
    name: 'fdChromatogram(), benzene, accuracy 1e-2',
    rounds: 300,
    fn: () => {
      const r = fdChromatogram(benzene, { accuracy: 1e-2 });
      if (r.status.code !== 'success') throw new Error(r.status.message);
      sink += r.analytes[0].peak.height;
    },
  },
  {
    name: 'read a measured CSV (1401 rows) and write a chromatogram CSV in chunks',
    rounds: 5000,
    fn: () => {
      const d = parseChromatogramCsv(csvText);
      let length = 0;
      for (const chunk of chromatogramCsvChunks(measured)) length += chunk.length;
      sink += d.time.length + length;
    },
  },
  {
    name: 'a refused engine call (alloc(NaN), release(NaN)) then a solve',
    rounds: 20_000,
    fn: () => {
      const engine = wasmEngine();
      for (const bad of [() => engine.alloc(NaN), () => engine.release(NaN)]) {
        try {
          bad();
          throw new Error('a bad call was accepted');
        } catch (err) {
          if (!(err instanceof RangeError)) throw err;
        }
      }
      const r = chromatogram(benzene);
      if (r.status.code !== 'success') throw new Error(r.status.message);
      sink += r.analytes[0].peak.height;
    },
  },
];

const rows = [];
for (const w of workloads) {
  const warmup = Math.max(1, Math.round(w.rounds / 10));
  for (let i = 0; i < warmup; i++) w.fn();
  const start = settle();
  const checkpoints = [];
  const t0 = performance.now();
  for (let i = 1; i <= w.rounds; i++) {
    w.fn();
    if (i % Math.ceil(w.rounds / 10) === 0) checkpoints.push(settle().rss);
  }
  const ms = performance.now() - t0;
  const end = settle();
  const growth = (end.rss - start.rss) / start.rss;
  const row = {
    name: w.name,
    rounds: w.rounds,
    warmupRounds: warmup,
    msPerRound: ms / w.rounds,
    rssAfterWarmupMiB: start.rss / MiB,
    rssEndMiB: end.rss / MiB,
    rssMaxMiB: Math.max(...checkpoints) / MiB,
    rssGrowthPercent: 100 * growth,
    heapUsedAfterWarmupMiB: start.heapUsed / MiB,
    heapUsedEndMiB: end.heapUsed / MiB,
    wasmMemoryMiB: wasmEngine().memoryBytes / MiB,
    pass: growth < GROWTH_LIMIT,
  };
  rows.push(row);
  process.stderr.write(`  soak | ${row.name}: ${row.rounds} rounds, ${row.msPerRound.toFixed(3)} ms each; RSS ` +
    `${row.rssAfterWarmupMiB.toFixed(1)} -> ${row.rssEndMiB.toFixed(1)} MiB (${row.rssGrowthPercent.toFixed(2)}%), ` +
    `heap ${row.heapUsedAfterWarmupMiB.toFixed(1)} -> ${row.heapUsedEndMiB.toFixed(1)} MiB\n`);
}
if (!Number.isFinite(sink)) throw new Error('non-finite results');

const m = machine();
const table = [
  '| workload | rounds | ms / round | RSS after warm-up (MiB) | RSS at end (MiB) | growth | heap used (MiB) |',
  '|---|---:|---:|---:|---:|---:|---:|',
  ...rows.map((r) => `| ${r.name} | ${r.rounds} | ${r.msPerRound.toFixed(3)} | ${r.rssAfterWarmupMiB.toFixed(1)} | ` +
    `${r.rssEndMiB.toFixed(1)} | ${r.rssGrowthPercent >= 0 ? '+' : ''}${r.rssGrowthPercent.toFixed(2)}% | ` +
    `${r.heapUsedAfterWarmupMiB.toFixed(1)} → ${r.heapUsedEndMiB.toFixed(1)} |`),
];
const markdown = `# Repetition (soak) benchmark\n\n${machineLine(m)}; load average ${machineLoad()}.\n\n` +
  'One process runs each workload after the others: a tenth of its rounds as warm-up, then its rounds; ' +
  'RSS and heap are read after full collections (node --expose-gc; --min-semi-space-size=16 keeps the young ' +
  'generation at its largest size from the start, so its one-time growth is not read as a leak). ' +
  'Limit: growth below 5%.\n\n' +
  `${table.join('\n')}\n`;
writeResults('soak', { machine: m, load: machineLoad(), growthLimitPercent: 100 * GROWTH_LIMIT, rows }, markdown);
console.log(markdown);
if (rows.some((r) => !r.pass)) {
  console.error('soak: RSS grew by 5% or more in a workload');
  process.exit(1);
}

function machineLoad() {
  return (globalThis.process?.getBuiltinModule?.('node:os')?.loadavg() ?? []).map((x) => x.toFixed(2)).join(' ');
}
