// The overload series of the README: docs/figures/overload-series.svg, the outlet peak of one
// analyte (benzene of the BTEX column at constant velocity, MODEL.md §6) at growing injected
// amounts, Langmuir (solid: the front sharpens and moves forward, the tail stays) and anti-Langmuir
// (dashed: the mirror image, fronting), by the Thomas solution (MODEL.md §13). Concentrations are
// divided by c0 so that every peak has the same area t1.
//
//   npm run build && node scripts/overload-figure.mjs
import { writeFileSync } from 'node:fs';
import { btexProblem, overloadSeries, standaloneSvg, lineChart } from '../dist/index.js';

const base = btexProblem();
base.column.velocity = 'constant';
const benzene = { ...base.analytes[4] };
delete benzene.diffusivity;
delete benzene.response;
const times = Float64Array.from({ length: 1601 }, (_, i) => 100 + 120 * i / 1600);
const colors = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e'];
const series = [];
// overloadSeries (src/solvers/overload.ts) solves one peak per loading K c0/qMax and divides it by c0
const draw = (isotherm, loadings, style, firstColor) => {
  const problem = { ...base, analytes: [{ ...benzene, isotherm, qMax: 1 }], output: { start: 100, end: 220, count: 1601 } };
  const s = overloadSeries(problem, benzene.name, { loadings, times });
  if (s.status.code !== 'success') throw new Error(`${isotherm}: ${s.status.message}`);
  s.curves.forEach((c, i) => series.push({
    label: `${isotherm === 'langmuir' ? 'Langmuir' : 'anti-Langmuir'}, K c0/qmax = ${c.loading}`,
    x: s.times, y: c.concentration, style, color: colors[firstColor + i],
  }));
};
draw('langmuir', [0.001, 0.1, 0.3, 1, 3], 'solid', 0);
draw('anti-langmuir', [0.1, 0.3, 0.6], 'dashed', 1);
const svg = standaloneSvg(lineChart({
  title: 'Benzene peak against injected amount (Thomas solution, BTEX column, constant velocity)',
  x: { label: 'time t', unit: 's' },
  y: { label: 'c / c0', unit: '', zero: true },
  series,
  width: 900,
  height: 500,
}));
writeFileSync(new URL('../docs/figures/overload-series.svg', import.meta.url), svg);
process.stdout.write(`docs/figures/overload-series.svg: ${series.length} peaks\n`);
