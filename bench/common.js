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
