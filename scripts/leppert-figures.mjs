// The Leppert 2020 comparison of the README: docs/figures/leppert-A.svg (programme A predicted
// from the published parameters over the measured chromatogram) and, on stdout, the Markdown
// tables: errors per programme from the published parameters, and programme C predicted from
// parameters estimated from A and B under each choice of the estimation.
//
//   npm run build && node scripts/leppert-figures.mjs [data directory]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  parseChromatogramCsv, parseMeasuredRetention, parseRetentionDatabase, parseRunProblem, migrate, fitRetention,
  predictedOverMeasuredFigure, standaloneSvg,
} from '../dist/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.argv[2] ?? join(root, '..', 'shared', 'data', 'leppert2020b');
const read = (f) => readFileSync(join(dir, f), 'utf8');
const database = parseRetentionDatabase(read('Database_Leppert2020b.csv'), { phase: 'FS5ms' });
const conditions = {};
const measured = {};
for (const p of ['A', 'B', 'C']) {
  conditions[p] = parseRunProblem(JSON.parse(readFileSync(join(root, 'examples', `leppert-${p}.json`), 'utf8'))).conditions;
  measured[p] = Object.fromEntries(parseMeasuredRetention(read(`Leppert2020b_measured_RT_prog${p}.csv`)).map((m) => [m.name, m.retentionTime]));
}

function errors(predicted, p) {
  const names = Object.keys(measured[p]);
  const abs = names.map((n) => predicted[n] - measured[p][n]);
  const rel = names.map((n, i) => Math.abs(abs[i] / measured[p][n]));
  const mean = (x) => x.reduce((s, v) => s + Math.abs(v), 0) / x.length;
  return {
    meanAbs: mean(abs).toFixed(2), maxAbs: Math.max(...abs.map(Math.abs)).toFixed(2),
    meanRel: (100 * mean(rel)).toFixed(2), maxRel: (100 * Math.max(...rel)).toFixed(2),
    within: `${rel.filter((r) => r < 0.01).length}/${rel.length}`,
  };
}

console.log('| programme | mean abs. error (s) | max abs. error (s) | mean rel. error (%) | max rel. error (%) | within 1% |');
console.log('|---|---|---|---|---|---|');
for (const p of ['A', 'B', 'C']) {
  const r = migrate(conditions[p]);
  const e = errors(Object.fromEntries(r.analytes.map((a) => [a.name, a.retentionTime])), p);
  console.log(`| ${p} | ${e.meanAbs} | ${e.maxAbs} | ${e.meanRel} | ${e.maxRel} | ${e.within} |`);
}

const runs = ['A', 'B'].map((p) => ({ name: p, conditions: conditions[p], measured: measured[p] }));
const choices = [
  ['**default**: θchar prior σ 1 K, ΔCp fixed, time offset', {}],
  ['θchar prior σ 0.5 K', { thetaChar: { prior: 0.5 } }],
  ['θchar prior σ 2 K', { thetaChar: { prior: 2 } }],
  ['θchar fixed', { thetaChar: 'fixed' }],
  ['ΔCp prior σ 20 J/(mol K)', { dCp: { prior: 20 } }],
  ['σ_t 0.2 s (default 0.06 s)', { timeUncertainty: 0.2 }],
  ['time offset and hold-up factor', { holdupScale: true }],
  ['hold-up factor, no time offset', { holdupScale: true, timeOffset: false }],
  ['θchar free, no time offset', { thetaChar: 'free', timeOffset: false }],
  ['θchar fixed, no time offset (T_char only)', { thetaChar: 'fixed', timeOffset: false }],
];
console.log('\n| estimation (from A and B) | offset (s) | hold-up factor | rms A, B (s) | C: mean abs. (s) | C: max abs. (s) | C: mean rel. (%) | C: max rel. (%) | C within 1% |');
console.log('|---|---|---|---|---|---|---|---|---|');
const show = (e) => (e ? `${e.value.toFixed(e.value > 0.5 && e.value < 2 ? 3 : 2)} ± ${e.se.toFixed(e.value > 0.5 && e.value < 2 ? 3 : 2)}` : '–');
for (const [label, options] of choices) {
  const fit = fitRetention(runs, database, options);
  const e = errors(Object.fromEntries(fit.predict(conditions.C).map((q) => [q.name, q.retentionTime])), 'C');
  console.log(`| ${label} | ${show(fit.timeOffset)} | ${show(fit.holdupScale)} | ${fit.rms.toFixed(3)} | ${e.meanAbs} | ${e.maxAbs} | ${e.meanRel} | ${e.maxRel} | ${e.within} |`);
}

const trace = parseChromatogramCsv(read('Leppert2020b_measured_Chrom_progA.csv'), { timeColumn: 'time_s', signalColumn: 'ordinate_values' });
const { svg } = predictedOverMeasuredFigure(conditions.A, trace, {
  measuredTimes: measured.A, label: 'predicted from the published parameters',
  title: 'Programme A (40 °C, 1 min, 10 °C/min to 300 °C): predicted over measured',
});
writeFileSync(join(root, 'docs', 'figures', 'leppert-A.svg'), standaloneSvg(svg));
