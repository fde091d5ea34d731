// Benchmark of the Thomas solution (Langmuir kinetics without diffusion, MODEL.md §13): the
// BTEX column at constant velocity (Table 1 and 3 of MODEL.md §6) with every analyte overloaded
// to K c0/qmax = 0.5, 2001 output times each, wasm kernel (copying call) against its
// plain-TypeScript twin; the first call of a fresh process apart. The result is checked inside
// the timed function (area of every peak c0 t1 to 1e-3). Writes bench/results/thomas.json and
// thomas.md. Run: npm run bench:thomas
import { interleaved, load, machine, machineLine, ratioStats, writeResults } from './common.js';

const coldStart = performance.now();
const { jsThomasKernels, wasmEngine } = await import('../dist/index.js');
const started = load();

const alpha = 2 * 1e-6 / 9e-5;
const holdup = 20 / 0.41;
const pulse = 4;
const loading = 0.5;
const analytes = [[1.0168e4, 14.291], [0.6483e4, 11.057], [0.9203e4, 16.94], [0.2953e4, 11.502], [0.0579e4, 5.299]]
  .map(([ka, kd]) => ({ retention: alpha * ka * holdup, kd, kappa: loading * kd }));
const n = 2001;
const times = Float64Array.from({ length: n }, (_, i) => 900 * i / (n - 1));
const out = new Float64Array(n);

function run(k) {
  let evaluations = 0;
  for (const a of analytes) {
    evaluations += k.thomasConcentration(times, holdup, a.retention, a.kd, a.kappa, pulse, 1, out);
    let area = 0;
    for (let i = 1; i < n; i++) area += 0.5 * (out[i] + out[i - 1]) * (times[i] - times[i - 1]);
    if (!(Math.abs(area / pulse - 1) < 1e-3)) throw new Error(`area ${area}`);
  }
  return evaluations;
}

const t0 = performance.now();
const evaluations = run(wasmEngine());
const first = performance.now() - t0;
const coldMs = performance.now() - coldStart;
const [wasm, twin] = interleaved([
  { name: 'wasm', fn: () => run(wasmEngine()) },
  { name: 'twin', fn: () => run(jsThomasKernels) },
], { rounds: 11, budgetMs: 200, warmupMs: 1000 });
const ratio = ratioStats(twin, wasm);
const m = machine();
const data = {
  machine: m, load: started, loading, outputTimes: n, analytes: analytes.length,
  evaluationsPerTime: evaluations / (n * analytes.length),
  firstCallMs: first, coldStartMs: coldMs, wasmMs: wasm.medianMs, twinMs: twin.medianMs, ratio,
};
const md = `# Thomas solution (Langmuir, no diffusion): BTEX column, 5 analytes x ${n} times, K c0/qmax = ${loading}

${machineLine(m)}; load average at start ${started.loadAverage.join(', ')}

| case | median ms per chromatogram |
|---|---|
| wasm (copying call) | ${wasm.medianMs.toFixed(2)} |
| TypeScript twin | ${twin.medianMs.toFixed(2)} |
| first wasm call of a fresh process | ${first.toFixed(2)} |

wasm is ${ratio.median.toFixed(2)}x its twin (quartiles ${ratio.lower.toFixed(2)}-${ratio.upper.toFixed(2)});
${data.evaluationsPerTime.toFixed(1)} density evaluations per output time.
`;
writeResults('thomas', data, md);
process.stdout.write(md);
