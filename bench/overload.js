// Benchmark of the overload series (src/solvers/overload.ts): benzene of the BTEX column at
// constant velocity, Langmuir at its own K c0/qmax = 0.5, the default four loadings (0.05, 0.167,
// 0.5, 1.5) on the problem's 1401 times, wasm against the plain-TypeScript twin; and what the page
// computes on each change of such a problem: the chromatogram of all five analytes (benzene by the
// Thomas solution) and the series. The result is checked inside the timed function (status
// success). Writes bench/results/overload.json and overload.md. Run: npm run bench:overload
import { interleaved, load, machine, machineLine, ratioStats, writeResults } from './common.js';

const { btexProblem, chromatogram, overloadSeries, parseProblem } = await import('../dist/index.js');
const started = load();

const raw = btexProblem();
raw.column.velocity = 'constant';
const benzene = raw.analytes[4];
benzene.isotherm = 'langmuir';
benzene.qMax = (benzene.ka / benzene.kd) * benzene.c0 / 0.5;
const problem = parseProblem(raw);

function series(engine) {
  const s = overloadSeries(problem, 'benzene', { engine, diffusion: false });
  if (s.status.code !== 'success') throw new Error(s.status.message);
  return s;
}
function page() {
  const r = chromatogram(problem, { diffusion: false });
  if (!r.analytes.every((a) => a.concentration.every(Number.isFinite))) throw new Error('non-finite chromatogram');
  return series('wasm');
}

const t0 = performance.now();
const first = series('wasm');
const firstMs = performance.now() - t0;
const [wasm, twin, update] = interleaved([
  { name: 'wasm', fn: () => series('wasm') },
  { name: 'twin', fn: () => series('js') },
  { name: 'page', fn: page },
], { rounds: 11, budgetMs: 200, warmupMs: 1000 });
const ratio = ratioStats(twin, wasm);
const m = machine();
const data = {
  machine: m, load: started, loadings: first.curves.map((c) => c.loading), outputTimes: first.times.length,
  firstCallMs: firstMs, wasmMs: wasm.medianMs, twinMs: twin.medianMs, pageMs: update.medianMs, ratio,
  evaluations: first.cost.evaluations,
};
const md = `# Overload series: BTEX benzene, Langmuir at K c0/qmax = 0.5, ${first.curves.length} loadings x ${first.times.length} times

${machineLine(m)}; load average at start ${started.loadAverage.join(', ')}

| case | median ms |
|---|---|
| series, wasm | ${wasm.medianMs.toFixed(2)} |
| series, TypeScript twin | ${twin.medianMs.toFixed(2)} |
| page's work per change: chromatogram of 5 analytes + series (wasm) | ${update.medianMs.toFixed(2)} |
| first series of a fresh process (wasm) | ${firstMs.toFixed(2)} |

Loadings ${data.loadings.join(', ')}; wasm is ${ratio.median.toFixed(2)}x its twin (quartiles ${ratio.lower.toFixed(2)}-${ratio.upper.toFixed(2)});
${first.cost.evaluations} density evaluations per series.
`;
writeResults('overload', data, md);
process.stdout.write(md);
