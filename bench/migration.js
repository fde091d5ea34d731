// Benchmark of the migration-equation solver (src/solvers/migration.ts, MODEL.md §8.6): a full
// programmed run of the 22 n-alkanes of Leppert et al. 2020 (C9-C30, 11.18 m x 0.104 mm x 0.104 um,
// H2 at 411 564 Pa, programme A: 40 C 60 s, 10 C/min to 300 C, 180 s), retention times and widths
// of all 22 in one call, in process:
// * wasm kernel (copying call) against its plain-TypeScript twin, benchmark.js medians and, for the
//   ratio, interleaved rounds (bench/common.js) so both see the same machine load;
// * the first call of a fresh process (instantiation included) apart from the steady state;
// * cost and delivered accuracy against the SciPy reference (test/fixtures/migration-reference.json)
//   for tolerances 1e-8 .. 1e-12.
// Writes bench/results/migration.json and migration.md. Run: npm run bench:migration
// Needs ../shared/data/leppert2020b beside the clone (the K-centric parameters).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { interleaved, load, machine, machineLine, ratioStats, runSuite, writeResults } from './common.js';

const coldStart = performance.now();
const { migrate, wasmEngine, MIGRATION_DEFAULT_RTOL } = await import('../dist/index.js');
const started = load();

const R_GAS = 8.31446261815324;
const fixture = JSON.parse(readFileSync(new URL('../test/fixtures/migration-reference.json', import.meta.url), 'utf8'));
const reference = fixture.cases.find((c) => c.name === 'leppert-A-pressure');
const csv = fileURLToPath(new URL('../../shared/data/leppert2020b/Database_Leppert2020b.csv', import.meta.url));
const rows = readFileSync(csv, 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(','));
const thermo = new Map(rows.map((f) => [f[0], { Tchar: +f[3] + 273.15, thetaChar: +f[4], dCp: +f[5], phi0: +f[6] }]));

const schedule = (s) => ({ times: Float64Array.from(s.times), values: Float64Array.from(s.values) });
const col = reference.column;
const phi = col.filmThickness / col.diameter;
const conditions = {
  length: col.length, radius: col.diameter / 2, filmThickness: col.filmThickness,
  temperature: schedule(reference.temperature),
  gas: { name: 'H2', viscosity: { eta0: 8.382e-6, T0: 273.15, xi0: 0.6892, xi1: 0.005 } },
  control: { kind: 'pressure', inlet: schedule(reference.control.inlet), outlet: schedule(reference.control.outlet) },
  injection: { duration: 0 },
  analytes: reference.analytes.map((a) => {
    const t = thermo.get(a.name);
    const C = t.dCp / R_GAS;
    const s = C + t.Tchar / t.thetaChar;
    return {
      name: a.name, c0: 1,
      retention: { a: Math.log(phi / t.phi0) - s - C * Math.log(t.Tchar), b: s * t.Tchar, c: C },
      desorption: { kind: 'film', ratio: 1e4 },
      diffusion: { coefficient: a.Cag, exponent: 1.75 },
      radialDispersion: true,
    };
  }),
};

function errors(result) {
  let time = 0, sigma = 0;
  result.analytes.forEach((a, i) => {
    time = Math.max(time, Math.abs(a.retentionTime / reference.results[i].retentionTime - 1));
    sigma = Math.max(sigma, Math.abs(a.sigma / reference.results[i].sigma - 1));
  });
  return { time, sigma };
}

function check(result) {
  if (result.status.code !== 'eluted' || !(result.analytes[21].retentionTime > 1400)) throw new Error('bad run');
}

// --- cold start: import, instantiation and the first call -------------------------------------------
wasmEngine();
const first = migrate(conditions);
const coldMs = performance.now() - coldStart;
check(first);

// --- steady state: benchmark.js medians --------------------------------------------------------------
const cases = [
  { name: 'wasm', fn: () => check(migrate(conditions)) },
  { name: 'js twin', fn: () => check(migrate(conditions, { engine: 'js' })) },
];
const suite = Object.fromEntries(runSuite('migration, 22 alkanes, programme A', cases).map((r) => [r.name, r]));
const rounds = interleaved(cases, { rounds: 21, budgetMs: 60 });
const ratio = ratioStats(rounds[1], rounds[0]);

// --- cost and accuracy against the tolerance ---------------------------------------------------------
const tolerances = [1e-8, 1e-9, 1e-10, 1e-11, 1e-12].map((rtol) => {
  const r = migrate(conditions, { rtol });
  const ms = interleaved([{ name: 'x', fn: () => migrate(conditions, { rtol }) }], { rounds: 7, budgetMs: 40, warmupMs: 200 })[0].medianMs;
  return { rtol, ms, steps: r.cost.steps, rejected: r.cost.rejected, evaluations: r.cost.evaluations, ...errors(r) };
});

const js = migrate(conditions, { engine: 'js' });
let twinDifference = 0;
first.analytes.forEach((a, i) => {
  twinDifference = Math.max(twinDifference, Math.abs(a.retentionTime / js.analytes[i].retentionTime - 1),
    Math.abs(a.sigma / js.analytes[i].sigma - 1));
});

const out = {
  machine: machine(),
  load: { atStart: started, atEnd: load() },
  case: '22 n-alkanes C9-C30, Leppert 2020 column, H2 411564 Pa abs, programme A',
  defaultRtol: MIGRATION_DEFAULT_RTOL,
  coldStartMs: coldMs,
  wasm: suite.wasm,
  twin: suite['js twin'],
  interleaved: { wasmMs: rounds[0].medianMs, twinMs: rounds[1].medianMs, speedup: ratio },
  steps: first.cost.steps, rejected: first.cost.rejected, evaluations: first.cost.evaluations,
  accuracy: errors(first),
  twinDifference,
  tolerances,
  mustHold: { limitMs: 5, wasmMedianMs: suite.wasm.medianMs, holds: suite.wasm.medianMs <= 5 },
};

const f = (x, d = 2) => x.toFixed(d);
const e = (x) => x.toExponential(1);
const md = `# Migration-equation benchmark

${machineLine(out.machine)}; load average ${started.loadAverage.join(' / ')} at the start, ${out.load.atEnd.loadAverage.join(' / ')} at the end (${started.cores} cores)

${out.case}: retention times and widths of all 22 in one call, default tolerance rtol ${e(MIGRATION_DEFAULT_RTOL)}
(${out.steps} steps, ${out.rejected} rejected or shortened to a breakpoint, ${out.evaluations} right-hand sides).

| run | median (ms) | interleaved median (ms) |
|---|---:|---:|
| wasm (copying call) | **${f(suite.wasm.medianMs)}** | ${f(rounds[0].medianMs)} |
| TS twin | ${f(suite['js twin'].medianMs)} | ${f(rounds[1].medianMs)} |

wasm over twin: **${f(ratio.median)}×** (quartiles ${f(ratio.lower)}–${f(ratio.upper)}, per-round ratios of ${rounds[0].samples.length} interleaved rounds).
Must hold (≤ 5 ms in process): ${out.mustHold.holds ? 'yes' : 'NO'}, ${f(suite.wasm.medianMs)} ms.
First call in a fresh process (import, instantiation, first run): ${f(coldMs, 1)} ms.
wasm against twin: largest relative difference ${e(twinDifference)}.

## Tolerance, cost and delivered accuracy (wasm)

Delivered: the largest relative error over the 22 alkanes against the SciPy reference (DOP853, rtol 1e-12,
its own uncertainty ${e(fixture.selfCheck)}).

| rtol | time (ms) | steps | rejected | evaluations | t_R error | sigma error |
|---:|---:|---:|---:|---:|---:|---:|
${tolerances.map((t) => `| ${e(t.rtol)} | ${f(t.ms)} | ${t.steps} | ${t.rejected} | ${t.evaluations} | ${e(t.time)} | ${e(t.sigma)} |`).join('\n')}
`;
writeResults('migration', out, md);
process.stdout.write(md);
