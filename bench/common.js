// Shared benchmark plumbing: run a benchmark.js suite, collect medians, write JSON + Markdown.
import Benchmark from 'benchmark';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

export const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));

export function machine() {
  const wasm = fileURLToPath(new URL('../build/elution.wasm', import.meta.url));
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    wasmBytes: statSync(wasm).size,
    date: new Date().toISOString(),
  };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}

/** Runs `cases` ({ name, fn }) as one benchmark.js suite; returns rows with median ms per call. */
export function runSuite(title, cases, { minSamples = 30, maxTime = 3 } = {}) {
  const suite = new Benchmark.Suite(title);
  for (const c of cases) suite.add(c.name, c.fn, { minSamples, maxTime });
  const rows = [];
  suite.on('cycle', (event) => {
    const b = event.target;
    const row = {
      name: b.name,
      medianMs: median(b.stats.sample) * 1e3,
      meanMs: b.stats.mean * 1e3,
      rmePercent: b.stats.rme,
      samples: b.stats.sample.length,
    };
    rows.push(row);
    process.stderr.write(`  ${title} | ${row.name}: median ${row.medianMs.toFixed(3)} ms (±${row.rmePercent.toFixed(1)}%, ${row.samples} samples)\n`);
  });
  suite.run({ async: false });
  return rows;
}

export function writeResults(name, data, markdown) {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(`${resultsDir}${name}.json`, JSON.stringify(data, null, 2) + '\n');
  writeFileSync(`${resultsDir}${name}.md`, markdown);
}

export function machineLine(m) {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}; ` +
    `elution.wasm ${m.wasmBytes} bytes; ${m.date.slice(0, 10)}`;
}

/**
 * Times `cases` ({ name, fn }) interleaved: in each of `rounds` rounds every case runs, in an order
 * that rotates, for about `budgetMs`, and its time per call is recorded. "Before" and "after"
 * cases then see the same machine load (this machine is shared), and the median of their
 * per-round ratios cancels slow drifts. Returns per case { name, medianMs, samples }.
 */
export function interleaved(cases, { rounds = 21, budgetMs = 40, warmupMs = 1500 } = {}) {
  // Warm-up: V8 compiles wasm functions with its baseline compiler first and tiers a function up
  // only after enough work in it, in the background; a kernel called a few times per solve runs
  // its first tens of calls unoptimised.
  for (const c of cases) {
    const t0 = performance.now();
    do c.fn(); while (performance.now() - t0 < warmupMs);
  }
  const calls = cases.map((c) => {
    for (let k = 1; ; k *= 2) {
      const t0 = performance.now();
      for (let i = 0; i < k; i++) c.fn();
      const dt = performance.now() - t0;
      if (dt >= budgetMs / 4 || k >= 1 << 20) return Math.max(1, Math.round((k * budgetMs) / Math.max(dt, 1e-3)));
    }
  });
  const samples = cases.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let s = 0; s < cases.length; s++) {
      const i = (r + s) % cases.length;
      const t0 = performance.now();
      for (let k = 0; k < calls[i]; k++) cases[i].fn();
      samples[i].push((performance.now() - t0) / calls[i]);
    }
  }
  return cases.map((c, i) => ({ name: c.name, medianMs: median(samples[i]), samples: samples[i] }));
}

/** Median and quartiles of the per-round ratios a/b of two `interleaved` rows. */
export function ratioStats(a, b) {
  const r = a.samples.map((x, k) => x / b.samples[k]).sort((x, y) => x - y);
  const at = (f) => r[Math.round(f * (r.length - 1))];
  return { median: at(0.5), lower: at(0.25), upper: at(0.75) };
}

/** Load average and processor count when a suite starts, to judge how quiet the machine was. */
export function load() {
  return { loadAverage: os.loadavg().map((x) => Math.round(100 * x) / 100), cores: os.cpus().length };
}
