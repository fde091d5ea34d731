/**
 * A one-page HTML report of a column study: the paper's figures drawn from the engine's own
 * results (Fig. 1 axial profiles, Fig. 2 outlet chromatograms, Fig. 3 velocity and pressure, Fig. 4
 * measured against fitted signal), the problem's parameters, the dimensionless groups and the
 * per-analyte retention, width, plates and resolution.
 *
 * The page is self-contained: inline SVG and CSS, no script, no network reference, so it opens
 * offline, mails as one file and prints. Two steps, as everywhere in elution: `reportInputs`
 * computes the results (the slow part, with progress), `buildReport` only draws them (fast, pure).
 * The finite-difference solution and the fit are optional inputs: given, they add Fig. 2b, Fig. 4
 * and Table 3; the solvers are passed in (`ReportSolvers`) so this module does not depend on them.
 */
import { dimensionlessGroups } from '../model/groups.js';
import {
  chromatogramFigure, interpolate, outletHoldupTimes, overloadFigure, pressureFigure, profileFigure, velocityFigure,
  type CurveLayer, type OutletCurves,
} from './figures.js';
import { overloadSeries, type OverloadSeries } from '../solvers/overload.js';
import { phaseRatio, poiseuilleViscosity, velocity as carrierVelocity } from '../model/flow.js';
import { chromatogram, profiles, type ChromatogramResult, type ProfileResult } from '../solvers/laplace.js';
import { analyteColor, escapeXml, lineChart, powerOfTen, type Band, type Series } from './plot.js';
import { btexProblem } from '../model/examples.js';
import { isOverloaded, parseProblem, type Problem, type VelocityModel } from '../model/problem.js';

/** Progress of a long-running stage: `fraction` from 0 to 1. */
export type Progress = (stage: string, fraction: number) => void;

/** A measured chromatogram: detector signal (signal units) at times (s). */
export interface MeasuredSignal {
  time: ArrayLike<number>;
  signal: ArrayLike<number>;
}

/** One analyte of a fit (the shape `fitChromatogram` returns). */
export interface FittedAnalyte {
  name: string;
  /** Fitted adsorption rate constant (1/s). */
  ka: number;
  /** Fitted desorption rate constant (1/s). */
  kd: number;
  /** Equilibrium constant ka/kd. */
  K: number;
  /** Equilibrium loading of the film, K c0 (mol/m³). */
  qe?: number;
  /** K / K of the first analyte. */
  beta?: number;
  /** Sum of squared residuals of the analyte's window (signal units²). */
  sse?: number;
  /** Coefficient of determination of the analyte's window. */
  r2?: number;
  /** Standard errors of ka and kd (1/s); null where not identifiable. */
  standardErrors?: { ka: number | null; kd: number | null };
  iterations?: number;
  evaluations?: number;
  /**
   * A saturating film (fit.isotherm, MODEL.md §13.6): its form, the loading λ = K c0/qMax with its
   * standard error, and qMax (mol/m³ of film, null with the geometry unknown).
   */
  isotherm?: { form: string; loading: number; standardError: number | null; qMax: number | null; qMaxStandardError?: number | null };
  status?: unknown;
  /** Fit window (s): shaded in Fig. 4. */
  window?: { start: number; end: number };
  /** Fitted peak's mean retention time and standard deviation (s), retention factor αK, area (a.u. s), response. */
  retentionTime?: number;
  sigma?: number;
  retentionFactor?: number;
  area?: number;
  response?: number;
}

/** A fit of the column model to a measured chromatogram. */
export interface FitSummary {
  analytes: FittedAnalyte[];
  /** The fitted model's detector signal over the fitted (cropped) range. */
  fitted: MeasuredSignal;
  status?: unknown;
  cost?: unknown;
  /** Hold-up time (s), how it was found and its standard error. */
  holdupTime?: { value: number; mode: string; standardError: number | null };
  /** True when the geometry is unknown: ka, K, qe are then α k_a, αK, α q_e. */
  phaseRatioFolded?: boolean;
  noise?: number;
  points?: number;
  r2?: number;
}

/** A finite-difference (or other) outlet solution to compare with the Laplace one. */
export type ComparisonResult = OutletCurves & { status?: unknown; cost?: unknown };

export interface ReportInputs {
  problem: Problem;
  /** Laplace chromatogram with the problem's velocity model. */
  laplace: ChromatogramResult;
  /** Laplace chromatogram with the other velocity model (Fig. 2a), on a grid covering its peaks. */
  otherVelocity?: ChromatogramResult;
  /** Profiles along the column at four times (Fig. 1). */
  profiles?: ProfileResult;
  /** Finite-difference solution with the problem's velocity model (Fig. 2b), when available. */
  fd?: ComparisonResult;
  /** Measured chromatogram (Fig. 4). */
  data?: MeasuredSignal;
  /** Fit to `data` (Fig. 4 fitted signal and Table 3). */
  fit?: FitSummary;
  /** The overload series of each saturating analyte (Fig. 5, MODEL.md §13), around its own loading. */
  overload?: OverloadSeries[];
  /** Optional parts that could not be computed, with the reason (e.g. "finite difference: ..."). */
  skipped?: string[];
  /** Page title; default from the analytes. */
  title?: string;
  /** Where the problem came from, shown under the title. */
  source?: string;
}

/** The slow solvers a report can use beyond the Laplace one; each is optional. */
export interface ReportSolvers {
  /** Finite-difference outlet chromatogram of the problem; reports progress as a fraction. */
  fd?: (problem: Problem, options: { onProgress?: (fraction: number) => void }) =>
    ComparisonResult | Promise<ComparisonResult>;
  /** Fit of the problem's analytes to a measured chromatogram. */
  fit?: (problem: Problem, data: MeasuredSignal, options: { onProgress?: (fraction: number) => void }) =>
    FitSummary | Promise<FitSummary>;
}

export interface ReportOptions {
  /** Times (s) of the Fig. 1 profiles; default `figure1Times`. */
  profileTimes?: number[];
  /** Positions per profile (default 401). */
  profilePoints?: number;
  engine?: 'wasm' | 'js';
  data?: MeasuredSignal;
  solvers?: ReportSolvers;
  onProgress?: Progress;
}

/** The times of the paper's Fig. 1 for the BTEX case (s). */
export const BTEX_FIGURE1_TIMES: readonly number[] = [5, 108, 290, 470];

function roundTo2(t: number): number {
  return Number(t.toPrecision(2));
}

/**
 * Four times (s) that show the analytes inside the column: the BTEX example gets the paper's
 * 5, 108, 290, 470 s; any other problem a snapshot just after the pulse has entered (1.25 t1) and
 * 0.2, 0.5, 0.8 of the last mean retention time (the paper's times are these fractions of the
 * o-xylene retention, 576.5 s, to 2%), rounded to two significant digits.
 */
export function figure1Times(problem: Problem, laplace: ChromatogramResult): number[] {
  if (sameProblem(problem, parseProblem(btexProblem()))) return [...BTEX_FIGURE1_TIMES];
  const last = Math.max(...laplace.analytes.map((a) => a.moments.mean));
  const first = Math.min(1.25 * problem.injection.duration, 0.1 * last);
  const times = [first, 0.2 * last, 0.5 * last, 0.8 * last].map(roundTo2);
  return times.filter((t, i) => i === 0 || t > times[i - 1]);
}

function sameProblem(a: Problem, b: Problem): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const OTHER: Record<VelocityModel, VelocityModel> = { variable: 'constant', constant: 'variable' };

/**
 * Times covering every peak of `result`'s velocity model: the problem's grid spacing from its start
 * to past mean + 6 sigma of the slowest analyte (the constant-velocity peaks of BTEX leave after
 * the problem's 700 s).
 */
function coveringTimes(problem: Problem, slowest: { mean: number; sigma: number }): Float64Array {
  const { start, end, count } = problem.output;
  const h = (end - start) / (count - 1);
  const stop = Math.max(end, slowest.mean + 6 * slowest.sigma);
  const n = Math.min(10 * count, Math.floor((stop - start) / h + 1e-9) + 2);
  return Float64Array.from({ length: n }, (_, j) => start + j * h);
}

/** The problem with each analyte's ka and kd replaced by the fitted ones (matched by name). */
export function withFittedConstants(problem: Problem, fit: FitSummary): Problem {
  const fitted = structuredClone(problem);
  for (const a of fitted.analytes) {
    const f = fit.analytes.find((x) => x.name === a.name);
    if (f) {
      a.ka = f.ka;
      a.kd = f.kd;
    }
  }
  return parseProblem(fitted);
}

/**
 * Computes everything a report shows. With data and a fit solver the fit runs first and every
 * figure and table shows the fitted constants (a fitting problem may come without ka, kd). Then
 * the Laplace chromatograms of both velocity models, the Fig. 1 profiles and, with a solver for
 * it, the finite-difference solution; a finite-difference solver that rejects the problem (e.g. no
 * diffusivities) leaves its part out with the reason in `skipped`. Progress goes to
 * `options.onProgress` stage by stage.
 */
export async function reportInputs(given: Problem, options: ReportOptions = {}): Promise<ReportInputs> {
  const progress: Progress = options.onProgress ?? (() => {});
  const engine = options.engine;
  let problem = given;
  let fit: FitSummary | undefined;
  if (options.solvers?.fit && options.data) {
    progress('fit', 0);
    fit = await options.solvers.fit(given, options.data, { onProgress: (f) => progress('fit', f) });
    progress('fit', 1);
    problem = withFittedConstants(given, fit);
  }
  progress('Laplace solution', 0);
  const laplace = chromatogram(problem, { engine });
  const otherModel = OTHER[problem.column.velocity];
  const skipped: string[] = [];
  let otherVelocity: ChromatogramResult | undefined;
  // a saturating film (the Thomas solution, MODEL.md §13) is solved at constant velocity only
  const saturating = problem.analytes.find((a) => a.isotherm !== undefined && a.isotherm !== 'linear');
  if (saturating && otherModel === 'variable') {
    skipped.push(`the variable-velocity chromatogram: ${saturating.name} has a ${saturating.isotherm} film, whose ` +
      'Thomas solution (MODEL.md §13) holds at constant velocity only');
  } else {
    const probe = chromatogram(problem, { engine, velocity: otherModel, times: [problem.output.start] });
    const slowest = probe.analytes.reduce((s, a) => (a.moments.mean > s.mean ? a.moments : s), probe.analytes[0].moments);
    otherVelocity = chromatogram(problem, { engine, velocity: otherModel, times: coveringTimes(problem, slowest) });
  }
  progress('Laplace solution', 0.5);
  const times = options.profileTimes ?? figure1Times(problem, laplace);
  let inside: ProfileResult | undefined;
  if (saturating) {
    skipped.push(`the profiles along the column (Fig. 1): ${saturating.name} has a ${saturating.isotherm} film, whose ` +
      'Thomas solution (MODEL.md §13) gives the outlet chromatogram only');
  } else {
    inside = profiles(problem, { engine, times, points: options.profilePoints ?? 401 });
  }
  // Fig. 5: each saturating analyte's peak against the amount injected, around its own loading
  const overload: OverloadSeries[] = [];
  for (const a of problem.analytes.filter(isOverloaded)) {
    try {
      overload.push(overloadSeries(problem, a.name, { engine }));
    } catch (err) {
      if (!(err instanceof RangeError || err instanceof TypeError)) throw err;
      skipped.push(`the overload series of ${a.name}: ${err.message}`);
    }
  }
  progress('Laplace solution', 1);
  const inputs: ReportInputs = {
    problem, laplace, otherVelocity, profiles: inside, data: options.data, fit, skipped, overload: overload.length > 0 ? overload : undefined,
  };
  if (options.solvers?.fd) {
    progress('finite difference', 0);
    try {
      inputs.fd = await options.solvers.fd(problem, { onProgress: (f) => progress('finite difference', f) });
    } catch (err) {
      // Only a rejected problem is a reason to leave the part out; anything else is a bug to see.
      if (!(err instanceof RangeError || err instanceof TypeError)) throw err;
      inputs.skipped!.push(`finite difference: ${err.message}`);
    }
    progress('finite difference', 1);
  }
  return inputs;
}

// ---------------------------------------------------------------------------------------------
// Drawing

/** A number for a table: 4 significant digits, "a×10ⁿ" for very small or large values. */
export function formatNumber(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) {
    const [m, e] = x.toExponential(digits - 1).split('e');
    return `${m.replace('-', '−')}×${powerOfTen(Number(e))}`;
  }
  const fixed = x.toPrecision(digits);
  // toPrecision switches to "1.017e+4" once the integer part has more digits than asked for.
  return (fixed.includes('e') ? String(Math.round(x)) : fixed).replace('-', '−');
}

function cell(text: string, numeric = true): string {
  return numeric ? `<td class="num">${text}</td>` : `<td>${text}</td>`;
}

/** A table whose columns from `numericFrom` on are right-aligned numbers, except `textColumns`. */
function htmlTable(caption: string, head: string[], rows: string[][], numericFrom = 1, textColumns: number[] = []): string {
  const numeric = (c: number) => c >= numericFrom && !textColumns.includes(c);
  const th = head.map((h, c) => `<th${numeric(c) ? ' class="num"' : ''}>${h}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((v, c) => cell(v, numeric(c))).join('')}</tr>`).join('\n');
  return `<table>\n<caption>${caption}</caption>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** Full width at half height (s) of a sampled peak, by linear interpolation; null if not resolved. */
export function halfHeightWidth(times: ArrayLike<number>, c: ArrayLike<number>): number | null {
  let j = 0;
  for (let i = 1; i < c.length; i++) if (c[i] > c[j]) j = i;
  const half = c[j] / 2;
  if (!(half > 0)) return null;
  let a = j;
  while (a > 0 && c[a] > half) a--;
  let b = j;
  while (b < c.length - 1 && c[b] > half) b++;
  if (c[a] > half || c[b] > half || b - j < 1 || j - a < 1) return null;
  const left = times[a] + ((half - c[a]) * (times[a + 1] - times[a])) / (c[a + 1] - c[a]);
  const right = times[b - 1] + ((c[b - 1] - half) * (times[b] - times[b - 1])) / (c[b - 1] - c[b]);
  return right - left;
}

function statusText(s: unknown): string {
  if (s === undefined || s === null) return '–';
  if (typeof s === 'string') return escapeXml(s);
  if (typeof s === 'object' && 'code' in s) {
    const o = s as { code: unknown; message?: unknown };
    return escapeXml(String(o.code)) + (o.message ? ` (${escapeXml(String(o.message))})` : '');
  }
  return escapeXml(JSON.stringify(s));
}

function costText(c: unknown): string {
  if (typeof c !== 'object' || c === null) return '';
  const o = c as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof o.engine === 'string') parts.push(escapeXml(o.engine));
  for (const [k, v] of Object.entries(o)) {
    if (k === 'engine' || typeof v !== 'number') continue;
    parts.push(k === 'wallTimeMs' ? `${v.toFixed(1)} ms` : `${escapeXml(k)} ${formatNumber(v)}`);
  }
  return parts.join(', ');
}

/** One legend (colour per analyte) for a group of panels, as HTML with tiny inline SVG samples. */
function sharedLegend(names: string[]): string {
  const keys = names.map((n, i) => `<span class="key"><svg xmlns="http://www.w3.org/2000/svg" width="28" height="10" ` +
    `viewBox="0 0 28 10" aria-hidden="true"><line x1="0" y1="5" x2="28" y2="5" stroke="${analyteColor(i)}" stroke-width="2"/></svg> ` +
    `${escapeXml(n)}</span>`);
  return `<p class="legend">${keys.join('\n')}</p>`;
}

function figure(id: string, svgs: string[], caption: string, columns: 1 | 2 = 1): string {
  const body = svgs.map((s) => `<div class="panel">${s}</div>`).join('\n');
  return `<figure id="${id}">\n<div class="${columns === 2 ? 'grid2' : 'grid1'}">\n${body}\n</div>\n` +
    `<figcaption>${caption}</figcaption>\n</figure>`;
}

/** The report pages' style sheet (also the programmed-run report's, run-report.ts). */
export const REPORT_CSS = `
:root { color-scheme: light; }
body { font-family: 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif; color: #111; background: #fff;
  max-width: 1080px; margin: 24px auto; padding: 0 16px; line-height: 1.45; font-size: 15px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 32px 0 8px; border-bottom: 1px solid #ccc; padding-bottom: 4px; }
.subtitle { color: #444; margin: 0 0 16px; }
figure { margin: 16px 0 24px; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-size: 14px; color: #333; margin-top: 6px; }
.grid1 { display: grid; grid-template-columns: 1fr; gap: 8px; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
.panel svg { display: block; width: 100%; height: auto; }
table { border-collapse: collapse; margin: 8px 0 20px; font-size: 14px; break-inside: avoid; }
caption { text-align: left; font-weight: bold; padding-bottom: 4px; }
th, td { padding: 3px 10px; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }
th { border-bottom: 2px solid #888; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num, tbody td:first-child { white-space: nowrap; }
th { font-size: 13px; }
.wide { overflow-x: auto; }
.note { font-size: 13px; color: #444; }
.legend { margin: 8px 0 0; }
.legend .key { display: inline-block; margin-right: 18px; white-space: nowrap; }
.legend svg { vertical-align: middle; }
.params { display: grid; grid-template-columns: 1fr 1fr; gap: 0 32px; }
@media (max-width: 760px) { .grid2, .params { grid-template-columns: 1fr; } }
/* Print: keep the two-column panels (a page is narrower than 760 px), let a figure break between
   panels but not inside one, and show wide tables whole instead of scrolled. */
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; }
  .grid2, .params { grid-template-columns: 1fr 1fr; }
  figure { break-inside: auto; page-break-inside: auto; }
  .panel, figcaption { break-inside: avoid; page-break-inside: avoid; }
  .wide { overflow: visible; }
  table { font-size: 8pt; }
  th { font-size: 8pt; }
  th, td { padding: 2px 5px; }
}
`;

function resultsTable(problem: Problem, laplace: ChromatogramResult, other?: ChromatogramResult): string {
  const order = laplace.analytes.map((_, i) => i).sort((i, j) => laplace.analytes[i].moments.mean - laplace.analytes[j].moments.mean);
  const rows = order.map((i, r) => {
    const a = laplace.analytes[i];
    const next = r + 1 < order.length ? laplace.analytes[order[r + 1]].name : null;
    const o = other?.analytes.find((b) => b.name === a.name);
    return [
      escapeXml(a.name),
      a.moments.mean.toFixed(2),
      a.peak.time.toFixed(2),
      formatNumber(a.peak.height),
      formatNumber(a.peak.height / problem.analytes[i].c0, 3),
      a.moments.sigma.toFixed(2),
      (4 * a.moments.sigma).toFixed(1),
      formatNumber(halfHeightWidth(laplace.times, a.concentration), 3),
      Math.round(a.moments.plates).toString(),
      formatNumber(a.moments.retentionFactor),
      a.resolutionToNext === null ? '–' : `${a.resolutionToNext.toFixed(2)} (${escapeXml(next ?? '')})`,
      o ? o.moments.mean.toFixed(1) : '–',
    ];
  });
  const otherHead = other ? `t<sub>R</sub>, ${other.velocity} velocity (s)` : 'other model';
  return '<div class="wide">' + htmlTable(`Table 1. Outlet peaks, ${laplace.velocity} velocity, in order of elution`, [
    'analyte', 'mean t<sub>R</sub> (s)', 'peak time (s)', 'peak c (mol/m³)', 'peak c/c<sub>0</sub>', 'σ (s)',
    'base width 4σ (s)', 'width at half height (s)', 'plates N', 'retention factor αK', 'R<sub>s</sub> to next', otherHead,
  ], rows) + `</div>\n<p class="note">Mean t<sub>R</sub>, σ and N = t<sub>R</sub>²/σ² are the exact moments of the model without
diffusion (MODEL.md §5); peak time and height are the located maximum of the computed chromatogram; the width at half
height is measured on the output grid; R<sub>s</sub> = Δt<sub>R</sub>/(2(σ<sub>1</sub> + σ<sub>2</sub>)).</p>`;
}

function parameterTables(problem: Problem): string {
  const c = problem.column;
  const tM = outletHoldupTimes(problem);
  const rows: [string, string, string][] = [
    ['length L', formatNumber(c.length), 'm'],
    ['inner radius R', formatNumber(c.radius), 'm'],
    ['film thickness δ', formatNumber(c.filmThickness), 'm'],
    ['inlet pressure p<sub>0</sub>', formatNumber(c.inletPressure), 'Pa'],
    ['outlet pressure p<sub>L</sub>', formatNumber(c.outletPressure), 'Pa'],
    ['inlet velocity u<sub>0</sub>', formatNumber(c.inletVelocity), 'm/s'],
    ['outlet velocity u(L), Poiseuille', formatNumber(carrierVelocity({ ...c, velocity: 'variable' }, c.length)), 'm/s'],
    ['viscosity μ', c.viscosity === undefined ? '–' : formatNumber(c.viscosity), 'Pa s'],
    ['viscosity implied by Poiseuille', formatNumber(poiseuilleViscosity(c)), 'Pa s'],
    ['temperature', c.temperature === undefined ? '–' : formatNumber(c.temperature, 5), 'K'],
    ['velocity model', escapeXml(c.velocity), ''],
    ['hold-up time t<sub>M</sub>, variable / constant', `${tM.variable.toFixed(2)} / ${tM.constant.toFixed(2)}`, 's'],
    ['injection (rectangular pulse) t<sub>1</sub>', formatNumber(problem.injection.duration), 's'],
    ['detector baseline', problem.detector ? formatNumber(problem.detector.baseline, 5) : '–', 'a.u.'],
    ['output grid', `${problem.output.start} … ${problem.output.end}, ${problem.output.count} times`, 's'],
  ];
  const column = htmlTable('Table 2a. Column and operation', ['parameter', 'value', 'unit'],
    rows.map(([a, b, u]) => [a, b, u]), 1);
  const alpha = phaseRatio(c);
  const analytes = htmlTable('Table 2b. Analytes', [
    'analyte', 'k<sub>a</sub> (1/s)', 'k<sub>d</sub> (1/s)', 'K = k<sub>a</sub>/k<sub>d</sub>', 'αK',
    'c<sub>0</sub> (mol/m³)', 'D<sub>0</sub> (m²/s)', 'response f (a.u. m³/mol)',
  ], problem.analytes.map((a) => [
    escapeXml(a.name), formatNumber(a.ka), formatNumber(a.kd), formatNumber(a.ka / a.kd), formatNumber(alpha * a.ka / a.kd),
    formatNumber(a.c0), formatNumber(a.diffusivity), formatNumber(a.response),
  ]));
  return `${column}\n<div class="wide">${analytes}</div>`;
}

function groupTables(problem: Problem): string {
  const g = dimensionlessGroups(problem);
  const scales = htmlTable(`Table 2c. Scales and dimensionless groups (MODEL.md §2.1; scaled on ${escapeXml(problem.analytes[0].name)})`,
    ['group', 'value'], [
      ['phase ratio α = 2δ/R', formatNumber(g.phaseRatio)],
      ['time scale τ = 1/k<sub>d,1</sub> (s)', formatNumber(g.timeScale)],
      ['length scale L<sub>s</sub> = u<sub>0</sub>R/(2δk<sub>a,1</sub>) (m)', formatNumber(g.lengthScale)],
      ['Damköhler number Da = L<sub>s</sub>/(u<sub>0</sub>τ)', formatNumber(g.damkohler)],
      ['column length L/L<sub>s</sub>', formatNumber(g.length)],
      ['pulse length t<sub>1</sub>/τ', formatNumber(g.pulse)],
      ['pressure ratio p<sub>L</sub>/p<sub>0</sub>', formatNumber(g.outletPressure)],
    ]);
  const per = htmlTable('Table 2d. Per analyte', ['analyte', 'Pe<sup>−1</sup> = D<sub>0</sub>/(u<sub>0</sub>L<sub>s</sub>)',
    'β = K/K<sub>1</sub>', 'K<sub>a</sub> = K<sub>d</sub> = k<sub>d</sub>τ'],
  g.analytes.map((a) => [escapeXml(a.name), formatNumber(a.inversePeclet), formatNumber(a.beta), formatNumber(a.rate)]));
  return `<div class="params">\n<div>${scales}</div>\n<div>${per}</div>\n</div>`;
}

/** Largest |a - b| over b's peak height, per analyte, with `a` interpolated onto b's times. */
function deviation(a: OutletCurves, b: OutletCurves): { name: string; relative: number }[] {
  return b.analytes.map((ref) => {
    const other = a.analytes.find((x) => x.name === ref.name);
    if (!other) return { name: ref.name, relative: NaN };
    const at = interpolate(a.times, other.concentration, b.times);
    let peak = 0;
    let worst = 0;
    for (let j = 0; j < b.times.length; j++) {
      peak = Math.max(peak, Math.abs(ref.concentration[j]));
      worst = Math.max(worst, Math.abs(at[j] - ref.concentration[j]));
    }
    return { name: ref.name, relative: peak > 0 ? worst / peak : NaN };
  });
}

function checkSignal(s: MeasuredSignal, path: string): void {
  if (s.time.length !== s.signal.length || s.time.length < 2) {
    throw new RangeError(`${path}: time and signal must have the same length >= 2, got ${s.time.length} and ${s.signal.length}`);
  }
}

/** The fitted model's value in [start, end] that is largest, with its time: where a peak's label goes. */
function apex(time: ArrayLike<number>, signal: ArrayLike<number>, start: number, end: number): { time: number; value: number } | null {
  let best: { time: number; value: number } | null = null;
  for (let j = 0; j < time.length; j++) {
    if (time[j] < start || time[j] > end || !Number.isFinite(signal[j])) continue;
    if (best === null || signal[j] > best.value) best = { time: time[j], value: signal[j] };
  }
  return best;
}

/** The samples of `s` with start <= time <= end. */
function within(s: MeasuredSignal, start: number, end: number): { time: Float64Array; signal: Float64Array } {
  const time: number[] = [];
  const signal: number[] = [];
  for (let j = 0; j < s.time.length; j++) {
    if (s.time[j] >= start && s.time[j] <= end) {
      time.push(s.time[j]);
      signal.push(s.signal[j]);
    }
  }
  return { time: Float64Array.from(time), signal: Float64Array.from(signal) };
}

const MEASURED_COLOR = '#555555';
const MODEL_COLOR = '#D55E00';

/**
 * Fig. 4: the measured signal against the model over the fitted range (the crop: what the fit saw,
 * not an injection transient it left out), the fit windows shaded in their analyte's colour and
 * each peak named at its apex; below, the residual on its own scale, over the points fitted (inside
 * the windows); then one panel per window, zoomed so that the measured points stand apart from the
 * model line.
 */
function measuredFigure(data: MeasuredSignal, model: MeasuredSignal | null, modelLabel: string, fit?: FitSummary): string {
  let crop: [number, number] = [data.time[0], data.time[data.time.length - 1]];
  if (fit && fit.fitted.time.length > 1) crop = [fit.fitted.time[0], fit.fitted.time[fit.fitted.time.length - 1]];
  const measured = within(data, crop[0], crop[1]);
  const windows = (fit?.analytes ?? []).map((a, i) => ({ name: a.name, color: analyteColor(i), window: a.window }))
    .filter((w): w is { name: string; color: string; window: { start: number; end: number } } => w.window !== undefined);
  const bands: Band[] = windows.map((w) => ({ start: w.window.start, end: w.window.end, color: w.color, opacity: 0.14,
    label: `${w.name} fit window ${w.window.start}–${w.window.end} s` }));
  const labels = model ? windows.map((w) => {
    const top = apex(model.time, model.signal, w.window.start, w.window.end);
    return top ? { x: top.time, y: top.value, text: w.name, dy: 6 } : null;
  }).filter((a): a is { x: number; y: number; text: string; dy: number } => a !== null) : [];
  const series: Series[] = [{ label: 'measured', x: measured.time, y: measured.signal, style: 'points', color: MEASURED_COLOR, width: 2.2 }];
  if (model) series.push({ label: modelLabel, x: model.time, y: model.signal, color: MODEL_COLOR, width: 1.2 });
  const xAxis = { label: 'time t', unit: 's', min: crop[0], max: crop[1] };
  const svgs = [lineChart({
    id: 'fig4a', width: 860, height: 420, legendWidth: 230, x: xAxis, y: { label: 'detector signal', unit: 'a.u.' },
    series, bands, annotations: labels,
  })];
  let residualNote = '';
  if (model) {
    const at = interpolate(model.time, model.signal, measured.time);
    // Inside the windows when the fit has them (outside, the baseline is not fitted and the residual says nothing).
    const inWindow = (t: number) => windows.length === 0 || windows.some((w) => t >= w.window.start && t <= w.window.end);
    const residual = Float64Array.from(measured.signal, (v, j) => (inWindow(measured.time[j]) ? v - at[j] : NaN));
    svgs.push(lineChart({
      id: 'fig4b', width: 860, height: 230, legendWidth: 230, x: xAxis, y: { label: 'residual', unit: 'a.u.', zero: true },
      series: [
        { label: 'zero', x: crop, y: [0, 0], color: '#999999', width: 1, legend: false },
        { label: 'measured − model', x: measured.time, y: residual, color: '#0072B2', width: 1 },
      ],
      bands,
    }));
    residualNote = windows.length > 0 ? '; below, the residual measured − model over the points fitted (inside the windows), on its own scale'
      : '; below, the residual measured − model, on its own scale';
  }
  const caption = `<b>Fig. 4${windows.length > 0 && model ? 'a, b' : ''}.</b> Measured detector signal (points) against the ` +
    `${escapeXml(modelLabel || 'model')}` +
    (fit ? ` over the fitted range ${formatNumber(crop[0])}–${formatNumber(crop[1])} s` : '') +
    (windows.length > 0 ? ', the fit windows shaded and each peak named at its apex' : '') +
    (model ? residualNote + '.' : '. No model signal: the problem gives no response factors.');
  let html = figure('fig4', svgs, caption);
  if (model && windows.length > 0) {
    const panels = windows.map((w, k) => {
      const m = within(data, w.window.start, w.window.end);
      const f = within(model, w.window.start, w.window.end);
      return lineChart({
        id: `fig4c-${k}`, width: 440, height: 300, title: w.name, legend: 'none',
        x: { label: 'time t', unit: 's', min: w.window.start, max: w.window.end }, y: { label: 'detector signal', unit: 'a.u.' },
        series: [
          { label: 'measured', x: m.time, y: m.signal, style: 'points', color: MEASURED_COLOR, width: 3 },
          { label: modelLabel, x: f.time, y: f.signal, color: w.color, width: 1.6 },
        ],
      });
    });
    html += '\n' + figure('fig4c', panels, '<b>Fig. 4c.</b> Each fit window alone: measured points and the model line in the ' +
      'analyte’s colour, on the window’s own scales.', 2);
  }
  return html;
}

function fitSection(inputs: ReportInputs): string {
  const { data, fit, laplace } = inputs;
  if (!data) return '';
  checkSignal(data, 'data');
  let model: MeasuredSignal | null = null;
  let modelLabel = '';
  if (fit) {
    checkSignal(fit.fitted, 'fit.fitted');
    model = fit.fitted;
    modelLabel = 'fitted model';
  } else if (laplace.signal) {
    model = { time: laplace.times, signal: laplace.signal };
    modelLabel = 'model with the problem’s constants (not fitted)';
  }
  let html = measuredFigure(data, model, modelLabel, fit);
  if (fit) html += '\n' + fitTable(fit);
  return `<h2>Measured and fitted</h2>\n${html}`;
}

/** The isotherm cells of a Table 3 row: form, loading ± se and, with a known geometry, qMax ± se. */
function isothermCells(x: FittedAnalyte, known: boolean): string[] {
  const i = x.isotherm;
  const withSe = (v: number | null, se: number | null | undefined) =>
    v === null ? '–' : formatNumber(v) + (se != null ? ` ± ${formatNumber(se, 2)}` : '');
  if (!i) return ['linear', '–', ...(known ? ['–'] : [])];
  return [escapeXml(i.form), withSe(i.loading, i.standardError), ...(known ? [withSe(i.qMax, i.qMaxStandardError)] : [])];
}

/** Table 3: the fitted constants; with the phase ratio folded, α k_a, αK and α q_e; the isotherms when a film saturates. */
function fitTable(fit: FitSummary): string {
  const a = fit.phaseRatioFolded ? 'α' : '';
  // the isotherm columns only when a film saturates (a linear fit's table as before)
  const saturating = fit.analytes.some((x) => x.isotherm !== undefined);
  const rows = fit.analytes.map((x) => [
    escapeXml(x.name),
    formatNumber(x.ka) + (x.standardErrors?.ka != null ? ` ± ${formatNumber(x.standardErrors.ka, 2)}` : ''),
    formatNumber(x.kd) + (x.standardErrors?.kd != null ? ` ± ${formatNumber(x.standardErrors.kd, 2)}` : ''),
    formatNumber(x.K), formatNumber(x.qe), formatNumber(x.beta),
    ...(saturating ? isothermCells(x, !fit.phaseRatioFolded) : []),
    formatNumber(x.sse), formatNumber(x.r2),
    x.iterations === undefined ? '–' : String(x.iterations), statusText(x.status),
  ]);
  const isothermHead = saturating
    ? ['isotherm', 'loading K c<sub>0</sub>/q<sub>max</sub>', ...(fit.phaseRatioFolded ? [] : ['q<sub>max</sub> (mol/m³)'])] : [];
  return htmlTable('Table 3. Fitted constants (± one standard error)', [
    'analyte', `${a}k<sub>a</sub> (1/s)`, 'k<sub>d</sub> (1/s)', `${a}K`, `${a}q<sub>e</sub> (mol/m³)`, 'β', ...isothermHead, 'SSE', 'R²',
    'iterations', 'status',
  ], rows, 1, [9 + isothermHead.length]) + `\n<p class="note">Fit status: ${statusText(fit.status)}${fit.cost ? '; cost: ' + costText(fit.cost) : ''}.</p>`;
}

/**
 * Fig. 5: the overload series of each saturating analyte, c/c0 at its own loading and around it,
 * with a sentence on what the figure shows. `folded`: the fit's column is one of α = 1 standing
 * for the unknown geometry (fittedOverloadSeries), which the caption says; `fitted`: the own
 * loading is the fit's.
 */
function overloadSection(all: OverloadSeries[], folded: boolean, fitted = folded): string {
  const parts = all.map((s, k) => {
    const id = all.length > 1 ? `fig5${String.fromCharCode(97 + k)}` : 'fig5';
    const label = all.length > 1 ? `5${String.fromCharCode(97 + k)}` : '5';
    const name = escapeXml(s.analyte);
    const short = (x: number) => String(Number(x.toPrecision(3)));
    const list = s.curves.map((c) => short(c.loading) + (c.loading === s.ownLoading ? (fitted ? ' (fitted)' : ' (the problem’s)') : ''));
    const what = s.isotherm === 'langmuir'
      ? 'As the amount injected grows the Langmuir film saturates: the front sharpens towards a shock and comes ' +
        'earlier while the tail stays where the linear peak’s was, so the peak tails more and more.'
      : 'As the amount injected grows the anti-Langmuir film takes up ever more: the rear sharpens towards a shock and ' +
        'the peak comes later, fronting more and more.';
    const bad = s.curves.filter((c) => c.status.code !== 'success');
    const state = bad.length === 0
      ? `Every curve keeps the area t<sub>1</sub> = ${formatNumber(s.pulse)} s over the output times.`
      : `Not faithful at K c<sub>0</sub>/q<sub>max</sub> = ${bad.map((c) => short(c.loading)).join(', ')}: ` +
        `${escapeXml(bad[0].status.message)}.`;
    return figure(id, [overloadFigure(s, { id, width: 860, height: 400, ownLabel: fitted ? 'fitted' : 'problem' })],
      `<b>Fig. ${label}.</b> ${name}: the outlet peak divided by c<sub>0</sub> at the loadings K c<sub>0</sub>/q<sub>max</sub> = ` +
      `${list.join(', ')}, by the Thomas solution (MODEL.md §13)` +
      (folded ? ', on a column of phase ratio 1 carrying the fitted α k<sub>a</sub>, k<sub>d</sub> and hold-up time (the peak ' +
        'depends on these and the loading only)' : `, q<sub>max</sub> = ${formatNumber(s.qMax)} mol/m³ kept and c<sub>0</sub> varied`) +
      `. ${what} ${state}`);
  });
  return '<h2>Peak against injected amount</h2>\n' + parts.join('\n');
}

/**
 * The overload series of each saturating analyte of a fit whose geometry is unknown: the Thomas
 * peak depends on α k_a tM, k_d, t1 and the loading only, so a constant-velocity column of phase
 * ratio 1 (length 1 m, u0 = 1/tM) with k_a = the fitted α k_a stands for the unknown one. The
 * times are those fitted (the cropped run); a curve that leaves them is off-grid. A fitted film
 * at its linear bound has none (its peak does not change with the amount); one the series refuses
 * is listed in `skipped` with the reason.
 */
export function fittedOverloadSeries(fit: FitSummary, injection: number, engine?: 'wasm' | 'js'): { series: OverloadSeries[]; skipped: string[] } {
  const tM = fit.holdupTime?.value;
  const series: OverloadSeries[] = [];
  const skipped: string[] = [];
  if (tM === undefined) return { series, skipped };
  for (const a of fit.analytes) {
    const i = a.isotherm as (FittedAnalyte['isotherm'] & { atBound?: boolean }) | undefined;
    if (!i || (i.form !== 'langmuir' && i.form !== 'anti-langmuir') || i.atBound || !(i.loading > 0)) continue;
    const K = a.ka / a.kd;
    const problem = {
      column: {
        length: 1, radius: 1e-4, filmThickness: 5e-5, inletPressure: 2e5, outletPressure: 1e5, inletVelocity: 1 / tM, velocity: 'constant',
      },
      injection: { duration: injection },
      analytes: [{ name: a.name, ka: a.ka, kd: a.kd, c0: 1, isotherm: i.form, qMax: K / i.loading }],
      output: { start: fit.fitted.time[0], end: fit.fitted.time[fit.fitted.time.length - 1], count: 2 },
    };
    try {
      series.push(overloadSeries(problem, a.name, { engine, times: fit.fitted.time }));
    } catch (err) {
      if (!(err instanceof RangeError || err instanceof TypeError)) throw err;
      skipped.push(`the overload series of ${a.name}: ${err.message}`);
    }
  }
  return { series, skipped };
}

/** What a report of a fit with the geometry unknown draws from: the data, the fit, where they came from. */
export interface FitReportInputs {
  data: MeasuredSignal;
  fit: FitSummary;
  /** Injection pulse length t1 (s). */
  injection?: number;
  /** The overload series of each saturating analyte (Fig. 5; fittedOverloadSeries). */
  overload?: OverloadSeries[];
  /** Parts left out, with the reason (e.g. an overload series refused). */
  skipped?: string[];
  title?: string;
  /** Where the problem and the data came from, shown under the title. */
  source?: string;
}

/**
 * The report of a fit whose column geometry is unknown (the phase ratio folded into α k_a): the
 * fit determines each peak's moments, α k_a, k_d and the hold-up time, but not the column's length,
 * radius, film, pressures or velocity, so the figures that need a column (Fig. 1–3, Table 2) are
 * left out, saying so, and Table 1 is drawn from the fitted peaks.
 */
export function buildFitReport(inputs: FitReportInputs): string {
  const { data, fit } = inputs;
  checkSignal(data, 'data');
  checkSignal(fit.fitted, 'fit.fitted');
  const names = fit.analytes.map((a) => escapeXml(a.name));
  const title = escapeXml(inputs.title ?? `Fit of a measured chromatogram: ${names.join(', ')}`);
  const tM = fit.holdupTime;
  const sections: string[] = [];
  sections.push(`<h1>${title}</h1>\n<p class="subtitle">${names.length} analyte${names.length === 1 ? '' : 's'}; column geometry unknown` +
    (tM ? `; hold-up time t<sub>M</sub> = ${formatNumber(tM.value, 5)} s (${escapeXml(tM.mode)}` +
      `${tM.standardError != null ? ` ± ${formatNumber(tM.standardError, 2)} s` : ''})` : '') +
    `${inputs.source ? `; ${escapeXml(inputs.source)}` : ''}.</p>`);
  sections.push('<p class="note">The column’s geometry is unknown, so the fit determines α k<sub>a</sub> (the phase ratio ' +
    'α = 2δ/R folded in), k<sub>d</sub>, the hold-up time and each peak’s area, but not the column’s length, radius, film ' +
    'thickness, pressures or carrier velocity. Left out for that reason: the profiles along the column (Fig. 1), the outlet ' +
    'chromatograms of the two velocity models (Fig. 2), velocity and pressure along the column (Fig. 3) and the column’s ' +
    'parameters and dimensionless groups (Table 2). Table 1 is drawn from what the fit determines: the fitted peaks’ ' +
    'moments.</p>');
  sections.push(fittedPeaksTable(fit));
  sections.push(fitSection({ data, fit } as unknown as ReportInputs));
  const rows: [string, string, string][] = [];
  if (tM) rows.push(['hold-up time t<sub>M</sub>', formatNumber(tM.value, 5) + (tM.standardError != null ? ` ± ${formatNumber(tM.standardError, 2)}` : ''), `s (${escapeXml(tM.mode)})`]);
  if (inputs.injection !== undefined) rows.push(['injection (rectangular pulse) t<sub>1</sub>', formatNumber(inputs.injection), 's']);
  rows.push(['fitted range', `${formatNumber(fit.fitted.time[0])} … ${formatNumber(fit.fitted.time[fit.fitted.time.length - 1])}`, 's']);
  if (fit.points !== undefined) rows.push(['points fitted', String(fit.points), '']);
  if (fit.noise !== undefined) rows.push(['noise (first differences)', formatNumber(fit.noise), 'a.u.']);
  if (fit.r2 !== undefined) rows.push(['R² over all points fitted', formatNumber(fit.r2, 5), '']);
  sections.push('<h2>Parameters</h2>\n' + htmlTable('Table 2. Fit', ['parameter', 'value', 'unit'], rows, 1));
  if (inputs.overload?.length) sections.push(overloadSection(inputs.overload, true));
  for (const reason of inputs.skipped ?? []) sections.push(`<p class="note">Not shown: ${escapeXml(reason)}</p>`);
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
<p class="note">Made by elution from the problem and data above; every figure is drawn from the computed results.</p>
</body>
</html>
`;
}

/** Table 1 of a fit without a column: each fitted peak's moments, plates and resolution to the next. */
function fittedPeaksTable(fit: FitSummary): string {
  const order = fit.analytes.map((_, i) => i).filter((i) => fit.analytes[i].retentionTime !== undefined)
    .sort((i, j) => fit.analytes[i].retentionTime! - fit.analytes[j].retentionTime!);
  const rows = order.map((i, r) => {
    const a = fit.analytes[i];
    const next = r + 1 < order.length ? fit.analytes[order[r + 1]] : null;
    const rs = next && a.sigma !== undefined && next.sigma !== undefined
      ? `${((next.retentionTime! - a.retentionTime!) / (2 * (a.sigma + next.sigma))).toFixed(2)} (${escapeXml(next.name)})` : '–';
    return [
      escapeXml(a.name), a.retentionTime!.toFixed(3), a.sigma === undefined ? '–' : formatNumber(a.sigma),
      a.sigma === undefined ? '–' : Math.round((a.retentionTime! / a.sigma) ** 2).toString(),
      formatNumber(a.retentionFactor), formatNumber(a.area), formatNumber(a.response), rs,
    ];
  });
  return '<div class="wide">' + htmlTable('Table 1. Fitted peaks, in order of elution', [
    'analyte', 'mean t<sub>R</sub> (s)', 'σ (s)', 'plates N', 'retention factor αK', 'area (a.u. s)', 'response f',
    'R<sub>s</sub> to next',
  ], rows) + '</div>\n<p class="note">Mean t<sub>R</sub> = t<sub>M</sub>(1 + αK) + t<sub>1</sub>/2 and σ are the moments of ' +
    'the fitted model (MODEL.md §5), N = t<sub>R</sub>²/σ², R<sub>s</sub> = Δt<sub>R</sub>/(2(σ<sub>1</sub> + σ<sub>2</sub>)); ' +
    'the response f is the area over c<sub>0</sub> t<sub>1</sub> (64), with p<sub>L</sub>/p<sub>0</sub> unknown taken as 1.</p>';
}

/** The report page (HTML5, also well-formed XML) for computed inputs. */
export function buildReport(inputs: ReportInputs): string {
  const { problem, laplace, otherVelocity, profiles: inside, fd } = inputs;
  const names = problem.analytes.map((a) => escapeXml(a.name));
  const title = escapeXml(inputs.title ?? `Column simulation: ${problem.analytes.length === 1 ? names[0] : `${names.length} analytes`}`);
  const sections: string[] = [];
  sections.push(`<h1>${title}</h1>\n<p class="subtitle">${names.join(', ')}; ${escapeXml(laplace.velocity)} carrier velocity; ` +
    `L = ${formatNumber(problem.column.length)} m, t<sub>M</sub> = ${laplace.analytes[0].moments.holdupTime.toFixed(2)} s` +
    `${inputs.source ? `; problem: ${escapeXml(inputs.source)}` : ''}` +
    `${inputs.fit ? '; k<sub>a</sub>, k<sub>d</sub> from the fit (Table 3)' : ''}.</p>`);
  sections.push(resultsTable(problem, laplace, otherVelocity));

  // Fig. 1
  // Small multiples share one legend, so each panel keeps its height for the data.
  if (inside) {
    const panels = inside.times.map((_, k) => profileFigure(inside, k, { id: `fig1-${k}`, width: 440, height: 320, legend: 'none' }));
    sections.push('<h2>Inside the column</h2>\n' + sharedLegend(inside.analyteNames) + '\n' + figure('fig1', panels,
      `<b>Fig. 1.</b> Concentration of every analyte along the column at t = ${inside.times.join(', ')} s ` +
      `(Laplace solution, ${escapeXml(inside.velocity)} velocity). Each panel has its own concentration scale.`, 2));
  }

  // Fig. 2
  const layers: CurveLayer[] = [{ result: laplace, label: `${laplace.velocity} velocity`, style: 'solid' }];
  if (otherVelocity) layers.push({ result: otherVelocity, label: `${otherVelocity.velocity} velocity`, style: 'dashed' });
  let fig2 = figure('fig2a', [chromatogramFigure(layers, { id: 'fig2a', width: 860, height: 430 })],
    `<b>Fig. 2${fd ? 'a' : ''}.</b> Outlet chromatograms, Laplace solution: ${escapeXml(laplace.velocity)} velocity (solid)` +
    (otherVelocity ? ` against ${escapeXml(otherVelocity.velocity)} velocity (dashed), same constants.` : '.'));
  if (fd) {
    const fdLayers: CurveLayer[] = [
      // A wide pale Laplace line under the thin dashed FD one: where they agree, the dashes sit inside it.
      { result: laplace, label: 'Laplace (no diffusion)', style: 'solid', width: 5, opacity: 0.35 },
      { result: fd, label: fd.method === 'fd' ? 'finite difference (with diffusion)' : fd.method, style: 'dashed', width: 1.5 },
    ];
    const dev = deviation(fd, laplace);
    fig2 += '\n' + figure('fig2b', [chromatogramFigure(fdLayers, { id: 'fig2b', width: 860, height: 430 })],
      `<b>Fig. 2b.</b> Outlet chromatograms, ${escapeXml(laplace.velocity)} velocity: Laplace solution (wide pale line) against ` +
      `the finite-difference solution (dashed).`);
    fig2 += '\n' + htmlTable('Finite difference against Laplace', ['analyte', 'largest |c<sub>FD</sub> − c<sub>Laplace</sub>| / peak'],
      dev.map((d) => [escapeXml(d.name), formatNumber(d.relative, 2)])) +
      `\n<p class="note">Finite difference: status ${statusText(fd.status)}${fd.cost ? '; cost: ' + costText(fd.cost) : ''}.</p>`;
  }
  for (const reason of inputs.skipped ?? []) fig2 += `\n<p class="note">Not shown: ${escapeXml(reason)}</p>`;
  sections.push('<h2>Outlet chromatograms</h2>\n' + fig2);

  // Fig. 3
  sections.push('<h2>Carrier flow</h2>\n' + figure('fig3', [
    velocityFigure(problem, { id: 'fig3a', width: 440, height: 320, title: 'velocity' }),
    pressureFigure(problem, { id: 'fig3b', width: 440, height: 320, title: 'pressure' }),
  ], '<b>Fig. 3.</b> Carrier velocity and pressure along the column: ideal gas in Poiseuille flow, ' +
    'p(x) = (p<sub>0</sub>² − (p<sub>0</sub>² − p<sub>L</sub>²) x/L)<sup>1/2</sup>, u = u<sub>0</sub>p<sub>0</sub>/p ' +
    '(MODEL.md §1.1); the constant-velocity model keeps u = u<sub>0</sub>.', 2));

  // Fig. 4, Table 3
  const fitHtml = fitSection(inputs);
  if (fitHtml) sections.push(fitHtml);

  // Fig. 5
  if (inputs.overload?.length) sections.push(overloadSection(inputs.overload, false, inputs.fit !== undefined));

  sections.push('<h2>Parameters</h2>\n' + parameterTables(problem) + '\n' + groupTables(problem));
  const solves = [laplace, otherVelocity].filter((r): r is ChromatogramResult => r !== undefined)
    .map((r) => `<li>Laplace, ${escapeXml(r.velocity)} velocity, ${r.times.length} times: ${statusText(r.status)}; ` +
      `${costText(r.cost)}.</li>`);
  if (inside) {
    solves.push(`<li>Profiles, ${inside.times.length} times × ${inside.x.length} positions: ${statusText(inside.status)}; ` +
      `${costText(inside.cost)}.</li>`);
  }
  sections.push(`<h2>Solver status</h2>\n<ul class="note">\n${solves.join('\n')}\n</ul>`);

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
