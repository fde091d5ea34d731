/**
 * The HTML report of a run in the run form (a temperature program, a carrier gas driven by
 * pressure or flow, retention from thermodynamics): the chromatogram with the oven temperature,
 * hold-up time, pressures and column flow against time beside it (`programSection`), the peaks
 * with their elution temperatures, the finite-difference chromatogram over the Gaussian one when
 * given, the run's parameters and the solvers' status. Self-contained like the paper-form report
 * (report.ts): inline SVG and CSS, no script, no network. Further sections (a measured
 * chromatogram, fitted parameters) are passed in as HTML by their owners (`sections`).
 */
import {
  desorptionRateAt, holdupTimeAt, pressureAt, retentionFactorAt, temperatureAt, type RunConditions,
} from '../model/conditions.js';
import { columnFlowAt } from '../model/run.js';
import type { MigrationChromatogramResult } from '../solvers/gaussian.js';
import { chromatogramFigure } from './figures.js';
import { programSection } from './program.js';
import { escapeXml } from './plot.js';
import { formatNumber, REPORT_CSS } from './report.js';

/** A finite-difference chromatogram under the program, as fd-program.ts returns it. */
export interface FdRunCurves {
  method: string;
  times: ArrayLike<number>;
  analytes: { name: string; concentration: ArrayLike<number>; mean: number; sigma: number; area: number }[];
  status?: { code: string; message: string };
  cost?: { engine: string; wallTimeMs: number };
}

export interface RunReportInputs {
  conditions: RunConditions;
  /** Migration + Gaussian peaks (the default solver of a run). */
  result: MigrationChromatogramResult;
  /** Finite differences under the program, when computed. */
  fd?: FdRunCurves;
  /** The oven program in GC notation, when the problem gave it so. */
  program?: string;
  /** Further sections (HTML, each starting with its <h2>), placed after the peaks. */
  sections?: string[];
  /** Parts left out, with the reason. */
  skipped?: string[];
  title?: string;
  /** Where the problem came from, shown under the title. */
  source?: string;
}

const CELSIUS = 273.15;

function table(caption: string, head: string[], rows: string[][]): string {
  const th = head.map((h, c) => `<th${c > 0 ? ' class="num"' : ''}>${h}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((v, c) => (c > 0 ? `<td class="num">${v}</td>` : `<td>${v}</td>`)).join('')}</tr>`).join('\n');
  return `<table>\n<caption>${caption}</caption>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function fdSection(inputs: RunReportInputs): string {
  const { fd, result } = inputs;
  if (!fd) return '';
  const svg = chromatogramFigure([
    { result, label: 'migration + Gaussian peaks', style: 'solid', width: 5, opacity: 0.35 },
    { result: fd, label: 'finite differences', style: 'dashed', width: 1.5 },
  ], { id: 'fig2', width: 860, height: 400 });
  const rows = fd.analytes.map((a) => {
    const g = result.analytes.find((b) => b.name === a.name);
    const tR = g?.moments.mean ?? Number.NaN;
    return [escapeXml(a.name), tR.toFixed(3), a.mean.toFixed(3), formatNumber((a.mean - tR) / tR, 2),
      (g?.moments.sigma ?? Number.NaN).toFixed(4), a.sigma.toFixed(4), formatNumber(g ? a.area / g.area - 1 : Number.NaN, 2)];
  });
  return `<h2>Finite differences under the program</h2>\n<figure id="fig2">\n<div class="grid1"><div class="panel">${svg}</div></div>\n` +
    `<figcaption><b>Fig. 2.</b> The Gaussian chromatogram from the migration moments (wide pale line) and the ` +
    `finite-difference solution of the column model under the same program (dashed).</figcaption>\n</figure>\n` +
    table('Migration against finite differences', ['analyte', 't<sub>R</sub> migration (s)', 'mean FD (s)', 'relative difference',
      'σ migration (s)', 'σ FD (s)', 'area FD/Gaussian − 1'], rows) +
    `\n<p class="note">Finite differences: ${escapeXml(fd.status?.code ?? '–')}${fd.cost ? `, ${fd.cost.wallTimeMs.toFixed(0)} ms (${escapeXml(fd.cost.engine)})` : ''}.</p>`;
}

function parameters(c: RunConditions, program?: string): string {
  const k = c.control;
  const T = c.temperature;
  const ovenText = program !== undefined ? `${escapeXml(program)} (°C, °C/min, min)`
    : Array.from(T.times, (t, i) => `${formatNumber(t)} s: ${(T.values[i] - CELSIUS).toFixed(1)} °C`).join('; ');
  const v = c.gas.viscosity;
  const rows: [string, string, string][] = [
    ['length L', formatNumber(c.length), 'm'],
    ['inner radius R', formatNumber(c.radius), 'm'],
    ['film thickness δ', formatNumber(c.filmThickness), 'm'],
    ['oven', ovenText, ''],
    ['carrier gas', escapeXml(c.gas.name), ''],
    ['viscosity η(T) = η₀ (T/T₀)^(ξ₀ + ξ₁ (T − T₀)/T₀)', `η₀ = ${formatNumber(v.eta0)}, T₀ = ${formatNumber(v.T0)}, ξ₀ = ${v.xi0}, ξ₁ = ${v.xi1}`, 'Pa s, K'],
    ['control', k.kind === 'flow' ? `flow, at ${formatNumber(k.referenceTemperature)} K and ${formatNumber(k.referencePressure)} Pa`
      : k.kind === 'pressure' ? 'inlet pressure' : 'inlet velocity (the paper\'s model)', ''],
    ['inlet / outlet pressure at t = 0', `${formatNumber(pressureAt(c, 0, 0))} / ${formatNumber(pressureAt(c, c.length, 0))}`, 'Pa'],
    ['column flow at t = 0 (25 °C, 1 atm unless stated)', formatNumber(columnFlowAt(c, 0) * 6e7), 'mL/min'],
    ['hold-up time at t = 0', holdupTimeAt(c, 0).toFixed(2), 's'],
    ['injection (rectangular pulse) t<sub>1</sub>', formatNumber(c.injection.duration), 's'],
  ];
  const run = table('Column, carrier and oven', ['parameter', 'value', 'unit'], rows);
  const T0 = temperatureAt(c, 0);
  const analytes = table(`Analytes: retention ln k = a + b/T + c ln T; k and k<sub>d</sub> at ${(T0 - CELSIUS).toFixed(0)} °C and 200 °C`,
    ['analyte', 'a', 'b (K)', 'c', `k (${(T0 - CELSIUS).toFixed(0)} °C)`, 'k (200 °C)', 'k<sub>d</sub> (200 °C, 1/s)', 'desorption', 'c<sub>0</sub> (mol/m³)'],
    c.analytes.map((a) => [
      escapeXml(a.name), formatNumber(a.retention.a, 5), formatNumber(a.retention.b, 5), formatNumber(a.retention.c, 5),
      formatNumber(retentionFactorAt(a, T0)), formatNumber(retentionFactorAt(a, 473.15)),
      formatNumber(desorptionRateAt(a, 473.15, pressureAt(c, c.length / 2, 0), c.filmThickness)),
      a.desorption.kind, formatNumber(a.c0),
    ]));
  return `<h2>Parameters</h2>\n${run}\n<div class="wide">${analytes}</div>`;
}

/** The report page (HTML5, also well-formed XML) of a programmed run. */
export function buildRunReport(inputs: RunReportInputs): string {
  const { conditions: c, result } = inputs;
  const names = c.analytes.map((a) => escapeXml(a.name));
  const title = escapeXml(inputs.title ?? `Programmed run: ${names.length === 1 ? names[0] : `${names.length} analytes`}`);
  const sections: string[] = [];
  sections.push(`<h1>${title}</h1>\n<p class="subtitle">${names.join(', ')}; carrier ${escapeXml(c.gas.name)}` +
    `${inputs.program ? `; oven ${escapeXml(inputs.program)}` : ''}; L = ${formatNumber(c.length)} m` +
    `${inputs.source ? `; problem: ${escapeXml(inputs.source)}` : ''}.</p>`);
  sections.push(programSection(c, result, { method: 'migration equation + Gaussian peaks', figureNumber: '1', program: inputs.program }));
  const fd = fdSection(inputs);
  if (fd) sections.push(fd);
  for (const s of inputs.sections ?? []) sections.push(s);
  for (const reason of inputs.skipped ?? []) sections.push(`<p class="note">Not shown: ${escapeXml(reason)}</p>`);
  sections.push(parameters(c, inputs.program));
  const m = result.migration;
  sections.push(`<h2>Solver status</h2>\n<ul class="note">\n<li>Migration: ${escapeXml(m.status.code)} (${escapeXml(m.status.message)}); ` +
    `${m.cost.steps} steps, ${m.cost.rejected} rejected, relative tolerance ${formatNumber(m.rtol)}, ${m.cost.wallTimeMs.toFixed(1)} ms (${escapeXml(m.cost.engine)}).</li>\n` +
    `<li>Chromatogram: ${escapeXml(result.status.code)}; ${result.times.length} times; ${result.warnings.map(escapeXml).join('; ') || 'every peak on the output times'}.</li>\n</ul>`);
  return `<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>${title}</title>
<link rel="icon" href="data:,"/>
<style>${REPORT_CSS}</style>
</head>
<body>
${sections.join('\n\n')}
<p class="note">Made by elution from the problem above; every figure is drawn from the computed results.</p>
</body>
</html>
`;
}
