// Time to build the BTEX report: the library pipeline (reportInputs + buildReport, warm, with
// benchmark.js) and the command a user runs (`elution report`, cold: a fresh Node process each
// time, median of repeated runs). Writes bench/results/report.json and report.md.
// Run after `npm run build`: node bench/report.js
import Benchmark from 'benchmark';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { btexProblem, buildReport, chromatogram, chromatogramFigure, parseProblem, reportInputs } from '../dist/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const problem = parseProblem(btexProblem());
const inputs = await reportInputs(problem);
const laplace = chromatogram(problem);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const results = {};
await new Promise((resolve) => {
  new Benchmark.Suite()
    .add('reportInputs + buildReport (BTEX)', {
      defer: true,
      fn: (deferred) => reportInputs(problem).then((i) => {
        if (buildReport(i).length < 10_000) throw new Error('report too short');
        deferred.resolve();
      }),
    })
    .add('buildReport only (drawing)', () => {
      if (buildReport(inputs).length < 10_000) throw new Error('report too short');
    })
    .add('Fig. 2 alone (chromatogramFigure, 5 series)', () => {
      if (chromatogramFigure([{ result: laplace }]).length < 1000) throw new Error('figure too short');
    })
    .on('cycle', (e) => {
      const b = e.target;
      results[b.name] = { medianMs: median(b.stats.sample) * 1e3, meanMs: b.stats.mean * 1e3, rme: b.stats.rme, samples: b.stats.sample.length };
      console.log(String(b));
    })
    .on('complete', resolve)
    .run({ async: true });
});

// Cold: the whole command, Node start-up and wasm instantiation included.
const out = mkdtempSync(join(tmpdir(), 'elution-bench-'));
const cold = [];
for (let k = 0; k < 9; k++) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [join(root, 'dist', 'cli', 'main.js'), 'report', '--out', out, '--quiet']);
  if (r.status !== 0) throw new Error(String(r.stderr));
  cold.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
results['elution report (cold process)'] = { medianMs: median(cold), minMs: Math.min(...cold), samples: cold.length };
const size = statSync(join(out, 'report.html')).size;

const machine = { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version };
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'results', 'report.json'), JSON.stringify({ machine, reportBytes: size, results }, null, 2) + '\n');
const rows = Object.entries(results).map(([name, r]) => `| ${name} | ${r.medianMs.toFixed(1)} | ${r.samples} |`);
const md = `# Report build time (BTEX)\n\n${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; report.html ${(size / 1024).toFixed(0)} kB.\n\n` +
  `| what | median (ms) | samples |\n|---|---|---|\n${rows.join('\n')}\n`;
writeFileSync(join(root, 'bench', 'results', 'report.md'), md);
console.log('\n' + md);
