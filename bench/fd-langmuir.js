// Benchmark of finite differences with a saturating film (MODEL.md §14).
// 1. Speed: the kernel (assembly/fd-langmuir.ts, copying call) against its plain-TypeScript twin
//    on 1000 steps of 800 cells, one Langmuir analyte and a competitive pair; the state is
//    checked inside the timed function (mass of the column plus what left it equals what
//    entered, to 1e-9).
// 2. Accuracy of the automatic grid: the 1 m test column of test/fd-langmuir.test.ts (diffusion
//    1e-10 m2/s, so the Thomas solution is the reference) at three loadings, the error measured
//    against the Thomas solution beside the grid rule's expectation (src/solvers/fd-langmuir.ts).
// Writes bench/results/fd-langmuir.json and .md. Run: npm run bench:fd-langmuir
import { interleaved, load, machine, machineLine, ratioStats, writeResults } from './common.js';

const { chromatogram, fdChromatogram, jsFdKernels, wasmEngine } = await import('../dist/index.js');
const started = load();

const n = 800;
const steps = 1000;
const length = 1;
const h = length / n;
const alpha = 0.02;
const faceU = new Float64Array(n + 1).fill(0.1);
const faceG = new Float64Array(n + 1);
for (let f = 1; f < n; f++) faceG[f] = 1e-10 / h;
const dts = new Float64Array(steps).fill(0.004);
const sources = Float64Array.from({ length: steps }, (_, k) => (k < 750 ? 1 : 0));
const kernelCases = [
  { name: 'one Langmuir analyte', rates: [150, 1.5, 1 / 100, 1], inflow: [0.1] },
  { name: 'competitive pair', rates: [150, 3, 1 / 50, 1, 150, 1, 1 / 150, 1], inflow: [0.1, 0.1] },
];

function advance(k, kc) {
  const m = kc.inflow.length;
  const c = new Float64Array(m * n);
  const q = new Float64Array(m * n);
  const work = new Float64Array(2 * m * n + m * (n + 1) + 3 * m);
  const outlet = new Float64Array(2 * m * steps);
  const done = k.fdLangmuirAdvance(n, m, h, alpha, faceU, faceG, Float64Array.from(kc.rates), Float64Array.from(kc.inflow),
    c, q, work, steps, dts, sources, outlet);
  if (done !== steps) throw new Error(`steps ${done}`);
  for (let i = 0; i < m; i++) {
    let held = 0;
    let eluted = 0;
    for (let j = 0; j < n; j++) held += (c[i * n + j] + alpha * q[i * n + j]) * h;
    for (let s = 0; s < steps; s++) eluted += outlet[2 * (s * m + i)];
    const injected = kc.inflow[i] * 750 * 0.004;
    if (!(Math.abs(held + eluted - injected) <= 1e-9 * injected)) throw new Error(`mass ${held + eluted} of ${injected}`);
  }
}

const speed = kernelCases.map((kc) => {
  const [wasm, twin] = interleaved([
    { name: 'wasm', fn: () => advance(wasmEngine(), kc) },
    { name: 'twin', fn: () => advance(jsFdKernels, kc) },
  ], { rounds: 11, budgetMs: 300, warmupMs: 1000 });
  return { name: kc.name, wasmMs: wasm.medianMs, twinMs: twin.medianMs, ratio: ratioStats(twin, wasm),
    nsPerCellStage: (wasm.medianMs * 1e6) / (3 * steps * n * kc.inflow.length) };
});

function problem(isotherm, lambda, end) {
  return {
    column: { length: 1, radius: 1e-3, filmThickness: 1e-5, inletPressure: 2e5, outletPressure: 1e5, inletVelocity: 0.1, velocity: 'constant' },
    injection: { duration: 3 },
    analytes: [{ name: 'a', ka: 150, kd: 1.5, c0: 1, diffusivity: 1e-10, isotherm, qMax: 100 / lambda }],
    output: { start: 0, end, count: 401 },
  };
}
const accuracy = [];
for (const [isotherm, lambda, end] of [['langmuir', 0.01, 70], ['langmuir', 0.3, 60], ['langmuir', 3, 50], ['anti-langmuir', 0.7, 80]]) {
  for (const target of [1e-2, 1e-3]) {
    const p = problem(isotherm, lambda, end);
    const t0 = performance.now();
    const r = fdChromatogram(p, { accuracy: target });
    const ms = performance.now() - t0;
    const exact = chromatogram(p, { diffusion: false }).analytes[0].concentration;
    let err = 0;
    let peak = 0;
    exact.forEach((v, i) => { err = Math.max(err, Math.abs(v - r.analytes[0].concentration[i])); peak = Math.max(peak, v); });
    const g = r.grids[0];
    accuracy.push({ isotherm, lambda, target, cells: g.cells, steps: g.steps, ms, expected: g.expectedError, measured: err / peak,
      massDefect: r.errorEstimate });
  }
}

const m = machine();
const data = { machine: m, load: started, cells: n, steps, speed, accuracy };
const md = `# Finite differences with a saturating film (MODEL.md §14)

${machineLine(m)}; load average at start ${started.loadAverage.join(', ')}

Kernel, ${steps} steps of ${n} cells (3 stages each), copying call:

| case | wasm ms | twin ms | wasm / twin speed-up (quartiles) | ns per cell and stage (wasm) |
|---|---|---|---|---|
${speed.map((s) => `| ${s.name} | ${s.wasmMs.toFixed(1)} | ${s.twinMs.toFixed(1)} | ${s.ratio.median.toFixed(2)} (${s.ratio.lower.toFixed(2)}-${s.ratio.upper.toFixed(2)}) | ${s.nsPerCellStage.toFixed(2)} |`).join('\n')}

Automatic grid on the 1 m test column (tM = 10 s, alpha ka tM = 30, K = 100, D = 1e-10 m2/s),
error against the Thomas solution as a fraction of the peak:

| isotherm | K c0/qMax | accuracy asked | cells | steps | expected (rule) | measured | mass defect | ms |
|---|---|---|---|---|---|---|---|---|
${accuracy.map((a) => `| ${a.isotherm} | ${a.lambda} | ${a.target} | ${a.cells} | ${a.steps} | ${a.expected.toExponential(1)} | ${a.measured.toExponential(1)} | ${a.massDefect.toExponential(1)} | ${a.ms.toFixed(0)} |`).join('\n')}
`;
writeResults('fd-langmuir', data, md);
process.stdout.write(md);
