/**
 * The predicted chromatogram of a programmed run drawn over the measured one: Gaussian peaks from
 * the migration moments (src/solvers/gaussian.ts) and the detector trace, each scaled to its own
 * median peak height (the model knows amounts only up to the detector's response), peaks labelled
 * with their names at the predicted apexes, measured apexes listed beside the predicted ones so
 * that order and place can be checked (and are, in test/leppert.test.ts).
 */
import type { RunConditions } from '../model/conditions.js';
import { migrate } from '../solvers/migration.js';
import { gaussianChromatogram } from '../solvers/gaussian.js';
import { lineChart, type Series } from './plot.js';

/** One peak: where the model puts its apex and where the measured trace has it. */
export interface PeakPlacement {
  name: string;
  /** Apex of the predicted peak (s). */
  predicted: number;
  /** Apex of the measured trace nearest to the expected time (s): the local maximum within `search` s of it. */
  measured: number;
  /** Height of the measured apex (signal units). */
  measuredHeight: number;
}

export interface PredictedOverMeasuredOptions {
  title?: string;
  width?: number;
  height?: number;
  /** Time range drawn (s); default from 0.8 × the first predicted apex to 1.03 × the last. */
  window?: [number, number];
  /**
   * Measured retention times (s) by name, where the measured apex is looked for (default: the
   * predicted apex); the measured apex is the largest sample within `search` s of it.
   */
  measuredTimes?: Readonly<Record<string, number>>;
  /**
   * Half-width (s) of the search for a measured apex; default 3 s around given measured times,
   * else 10 s or 0.45 of the gap to the nearest other predicted apex, whichever is less.
   */
  search?: number;
  /** More predicted traces (same conditions, other retention), drawn dashed, e.g. with estimated parameters. */
  alternatives?: { label: string; conditions: RunConditions }[];
  /** Label of the main prediction; default "predicted". */
  label?: string;
  /** Spacing of the drawn points (s); default 0.1 (the measured trace: its largest sample in each step). */
  step?: number;
}

export interface PredictedOverMeasured {
  svg: string;
  peaks: PeakPlacement[];
}

/** The predicted trace of `c`: times, the summed Gaussian peaks and each analyte's apex. */
function predictedTrace(c: RunConditions, times: Float64Array): { signal: Float64Array; apexes: number[]; heights: number[] } {
  // The migration's moments carry the rectangular pulse already (MODEL.md §9).
  const peaks = migrate(c).analytes.map((a) => ({ mean: a.retentionTime, sigma: a.sigma }));
  const g = gaussianChromatogram(c, peaks, { times });
  const signal = new Float64Array(times.length);
  for (const a of g.analytes) for (let j = 0; j < times.length; j++) signal[j] += a.concentration[j];
  return { signal, apexes: g.analytes.map((a) => a.peak.time), heights: g.analytes.map((a) => a.peak.height) };
}

/** From 0.8 × the first retention time to 1.03 × the last (the solvent and the empty end left out). */
function defaultWindow(c: RunConditions): [number, number] {
  const t = migrate(c).analytes.map((a) => a.retentionTime);
  return [0.8 * Math.min(...t), 1.03 * Math.max(...t)];
}

function median(x: number[]): number {
  const s = [...x].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** The largest sample of the measured trace within `half` s of `t`: its time and height. */
function measuredApex(time: ArrayLike<number>, signal: ArrayLike<number>, t: number, half: number): { time: number; height: number } {
  let best = -1;
  for (let j = 0; j < time.length; j++) {
    if (Math.abs(time[j] - t) <= half && (best < 0 || signal[j] > signal[best])) best = j;
  }
  return best < 0 ? { time: NaN, height: NaN } : { time: time[best], height: signal[best] };
}

/**
 * The predicted chromatogram of `conditions` (migration moments, Gaussian peaks) over the
 * `measured` trace, both normalised to their median peak height, peaks labelled.
 */
export function predictedOverMeasuredFigure(
  conditions: RunConditions, measured: { time: ArrayLike<number>; signal: ArrayLike<number> },
  options: PredictedOverMeasuredOptions = {},
): PredictedOverMeasured {
  const { time, signal } = measured;
  if (time.length < 2 || time.length !== signal.length) {
    throw new RangeError(`measured must have times and signals of one length (>= 2), got ${time.length} and ${signal.length}`);
  }
  const window = options.window ?? defaultWindow(conditions);
  const step = options.step ?? 0.1;
  if (!(step > 0 && (window[1] - window[0]) / step <= 1e6)) throw new RangeError(`options.step must be > 0 (s) and give at most 1e6 points, got ${step}`);
  // The drawn grid: bins of `step` over the window; the measured trace keeps its largest sample
  // in each bin (apex heights survive), the predictions are evaluated at the bin centres.
  const bins = Math.max(2, Math.ceil((window[1] - window[0]) / step));
  const times = Float64Array.from({ length: bins }, (_, b) => window[0] + (b + 0.5) * step);
  const drawn = new Float64Array(bins).fill(NaN);
  for (let j = 0; j < time.length; j++) {
    const b = Math.floor((time[j] - window[0]) / step);
    if (b >= 0 && b < bins && !(drawn[b] >= signal[j])) drawn[b] = signal[j];
  }
  const main = predictedTrace(conditions, times);
  const names = conditions.analytes.map((a) => a.name);
  const peaks: PeakPlacement[] = names.map((name, i) => {
    const given = options.measuredTimes?.[name];
    const gap = Math.min(...main.apexes.filter((_, k) => k !== i).map((t) => Math.abs(t - main.apexes[i])));
    const search = options.search ?? (given !== undefined ? 3 : Math.min(10, 0.45 * gap));
    const apex = measuredApex(time, signal, given ?? main.apexes[i], search);
    return { name, predicted: main.apexes[i], measured: apex.time, measuredHeight: apex.height };
  });
  const inside = (t: number) => t >= window[0] && t <= window[1];
  const measuredScale = median(peaks.map((p) => p.measuredHeight).filter(Number.isFinite));
  const predictedScale = median(main.heights);
  const series: Series[] = [
    { label: 'measured', x: times, y: drawn.map((y) => y / measuredScale), color: '#555555', width: 1.2 },
    { label: options.label ?? 'predicted', x: times, y: main.signal.map((y) => y / predictedScale), color: '#0072B2', width: 1.4 },
  ];
  (options.alternatives ?? []).forEach((alt, k) => {
    const trace = predictedTrace(alt.conditions, times);
    series.push({
      label: alt.label, x: times, y: trace.signal.map((y) => y / median(trace.heights)),
      color: ['#D55E00', '#009E73', '#CC79A7'][k % 3], style: 'dashed', width: 1.4,
    });
  });
  const annotations = peaks.filter((p) => inside(p.predicted)).map((p, i) => ({
    x: p.predicted,
    y: Math.max(main.heights[names.indexOf(p.name)] / predictedScale,
      Number.isFinite(p.measuredHeight) ? p.measuredHeight / measuredScale : 0),
    text: p.name, dy: i % 2 === 0 ? 6 : 18,
  }));
  // The scale from the analytes' apexes: a solvent peak many times higher is cut at the top.
  const top = Math.max(...annotations.map((a) => a.y));
  const svg = lineChart({
    title: options.title,
    x: { label: 'time t', unit: 's', min: window[0], max: window[1] },
    y: { label: 'signal / median peak height', unit: '', min: 0, max: 1.3 * top },
    series,
    annotations,
    width: options.width ?? 1000,
    height: options.height ?? 420,
    legend: 'bottom',
    id: 'predicted-over-measured',
  });
  return { svg, peaks };
}

/**
 * The report's section for a programmed run with a measured chromatogram: the figure and a table
 * of the peaks (predicted and measured apex, difference) in elution order.
 */
export function predictedOverMeasuredSection(
  conditions: RunConditions, measured: { time: ArrayLike<number>; signal: ArrayLike<number> }, options: PredictedOverMeasuredOptions = {},
): string {
  const { svg, peaks } = predictedOverMeasuredFigure(conditions, measured, { width: 900, ...options });
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const f = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '–');
  const rows = [...peaks].sort((a, b) => a.predicted - b.predicted).map((p) =>
    `<tr><td>${esc(p.name)}</td><td>${f(p.predicted)}</td><td>${f(p.measured)}</td><td>${f(p.predicted - p.measured)}</td>` +
    `<td>${f((100 * (p.predicted - p.measured)) / p.measured)}</td></tr>`);
  const d = peaks.map((p) => Math.abs(p.predicted - p.measured)).filter(Number.isFinite);
  const mean = d.reduce((s, x) => s + x, 0) / Math.max(1, d.length);
  return `<section class="measured-program"><h2>Predicted over measured</h2>
<figure>${svg}<figcaption>The predicted chromatogram (Gaussian peaks from the migration moments) over the measured
trace, each scaled to its median peak height; names at the predicted apexes. Mean |predicted − measured apex|
${f(mean)} s, largest ${f(Math.max(...d))} s, over ${d.length} peaks.</figcaption></figure>
<table><thead><tr><th>analyte</th><th>predicted apex (s)</th><th>measured apex (s)</th><th>difference (s)</th><th>difference (%)</th></tr></thead>
<tbody>${rows.join('')}</tbody></table></section>`;
}
