/**
 * Figures of a programmed run: the oven temperature, the gas hold-up time, the inlet pressure and
 * the column flow against time, drawn under the chromatogram on the same time axis, so a reader
 * sees at what temperature and flow each peak left the column. Drawn from the run conditions
 * (src/model/conditions.ts) and a result with outlet curves; the section for the HTML report
 * (`programSection`) adds the table of peaks with their elution temperatures.
 */
import {
  holdupTimeAt, inletPressureAt, outletPressureAt, temperatureAt, type RunConditions,
} from '../model/conditions.js';
import { columnFlowAt, FLOW_REFERENCE } from '../model/run.js';
import type { OutletCurves } from './figures.js';
import { analyteColor, escapeXml, lineChart } from './plot.js';

// The column flow and its default reference (25 °C, 1 atm) are the model's (src/model/run.ts): the
// closed form there stays finite at a vacuum outlet, where u(L) p(L) is Infinity * 0.
export { columnFlowAt, FLOW_REFERENCE };

/** 0 °C in K. */
const CELSIUS = 273.15;

/** The conditions of a run sampled in time. */
export interface ProgramTraces {
  /** Times (s): equally spaced, with every breakpoint of the oven and carrier schedules inside. */
  times: Float64Array;
  /** Oven temperature (K). */
  temperature: Float64Array;
  /** Gas hold-up time tM (s) with the conditions frozen at each time. */
  holdupTime: Float64Array;
  /** Inlet and outlet pressure (Pa absolute). */
  inletPressure: Float64Array;
  outletPressure: Float64Array;
  /** Column flow (m3/s) at `flowReference`. */
  flow: Float64Array;
  /** Reference temperature (K) and pressure (Pa) of `flow`. */
  flowReference: { temperature: number; pressure: number };
}

/** The flow control's reference conditions, else FLOW_REFERENCE. */
export function flowReferenceOf(c: RunConditions): { temperature: number; pressure: number } {
  const k = c.control;
  return k.kind === 'flow' ? { temperature: k.referenceTemperature, pressure: k.referencePressure } : { ...FLOW_REFERENCE };
}

/** Samples the conditions of a run from 0 to `end` s at `points` equally spaced times and every breakpoint. */
export function programTraces(c: RunConditions, end: number, points = 401): ProgramTraces {
  if (!(Number.isFinite(end) && end > 0)) throw new RangeError(`programTraces: end must be a finite time > 0 (s), got ${end}`);
  if (!(Number.isInteger(points) && points >= 2 && points <= 1e6)) {
    throw new RangeError(`programTraces: points must be an integer from 2 to 1000000, got ${points}`);
  }
  const set = new Set<number>();
  for (let j = 0; j < points; j++) set.add(j === points - 1 ? end : (end * j) / (points - 1));
  const k = c.control;
  const schedules = [c.temperature, ...(k.kind === 'pressure' ? [k.inlet, k.outlet] : k.kind === 'flow' ? [k.flow, k.outlet] : [])];
  for (const s of schedules) for (const t of s.times) if (t > 0 && t < end) set.add(t);
  const times = Float64Array.from([...set].sort((a, b) => a - b));
  const reference = flowReferenceOf(c);
  return {
    times,
    temperature: times.map((t) => temperatureAt(c, t)),
    holdupTime: times.map((t) => holdupTimeAt(c, t)),
    inletPressure: times.map((t) => inletPressureAt(c, t)),
    outletPressure: times.map((t) => outletPressureAt(c, t)),
    flow: times.map((t) => columnFlowAt(c, t, reference)),
    flowReference: reference,
  };
}

export interface ProgramFigureOptions {
  /** Width (px) of each panel (default 860). */
  width?: number;
  /** Element-id prefix, unique within a page (default 'program'). */
  id?: string;
  /** Width (px) reserved for the legend of every panel: equal values align their time axes (default 200). */
  legendWidth?: number;
  /** Time range (s) of every panel; default the traces'. */
  end?: number;
}

/** Oven temperature (°C, as GC programs are written) against time. */
export function temperatureFigure(traces: ProgramTraces, options: ProgramFigureOptions & { height?: number } = {}): string {
  return panel(traces, options, 'temperature', { label: 'oven temperature T', unit: '°C' },
    [{ label: 'oven temperature', y: traces.temperature.map((T) => T - CELSIUS) }], options.height ?? 220);
}

/** Gas hold-up time tM (s) against time. */
export function holdupFigure(traces: ProgramTraces, options: ProgramFigureOptions & { height?: number } = {}): string {
  return panel(traces, options, 'holdup', { label: 'hold-up time tM', unit: 's' },
    [{ label: 'hold-up time', y: traces.holdupTime }], options.height ?? 200);
}

/** Inlet and outlet pressure (kPa absolute) against time. */
export function pressureProgramFigure(traces: ProgramTraces, options: ProgramFigureOptions & { height?: number } = {}): string {
  return panel(traces, options, 'pressure', { label: 'pressure p', unit: 'kPa', zero: true }, [
    { label: 'inlet (absolute)', y: traces.inletPressure.map((p) => p / 1e3) },
    { label: 'outlet (absolute)', y: traces.outletPressure.map((p) => p / 1e3), style: 'dashed' },
  ], options.height ?? 200);
}

/** Column flow (mL/min at the reference conditions) against time. */
export function flowFigure(traces: ProgramTraces, options: ProgramFigureOptions & { height?: number } = {}): string {
  const ref = traces.flowReference;
  return panel(traces, options, 'flow', { label: 'column flow F', unit: 'mL/min', zero: true }, [
    { label: `at ${formatPlain(ref.temperature - CELSIUS)} °C, ${formatPlain(ref.pressure / 1e3)} kPa`, y: traces.flow.map((f) => f * 6e7) },
  ], options.height ?? 200);
}

function formatPlain(x: number): string {
  return Number(x.toPrecision(6)).toString();
}

function panel(
  traces: ProgramTraces, options: ProgramFigureOptions, name: string, y: { label: string; unit: string; zero?: boolean },
  lines: { label: string; y: ArrayLike<number>; style?: 'solid' | 'dashed' }[], height: number,
): string {
  const end = options.end ?? traces.times[traces.times.length - 1];
  return lineChart({
    width: options.width ?? 860, height, id: `${options.id ?? 'program'}-${name}`, legendWidth: options.legendWidth ?? 200,
    legend: 'right',
    x: { label: 'time t', unit: 's', min: 0, max: end },
    y,
    series: lines.map((l, i) => ({ label: l.label, x: traces.times, y: l.y, color: i === 0 ? '#444444' : '#888888', style: l.style })),
  });
}

/**
 * The chromatogram with the oven temperature, hold-up time, inlet pressure and column flow below
 * it, every panel on the same time axis (0 to the last output time): five SVG strings, top down.
 */
export function programmedRunFigures(c: RunConditions, result: OutletCurves, options: ProgramFigureOptions = {}): string[] {
  const end = options.end ?? result.times[result.times.length - 1];
  const o = { width: options.width ?? 860, legendWidth: options.legendWidth ?? 200, id: options.id ?? 'program', end };
  const traces = programTraces(c, end);
  // Drawn here rather than by chromatogramFigure, to fix its time axis to the panels' below.
  const chart = lineChart({
    width: o.width, height: 380, id: `${o.id}-chromatogram`, legendWidth: o.legendWidth, legend: 'right',
    x: { label: 'time t', unit: 's', min: 0, max: end },
    y: { label: 'outlet concentration c', unit: 'mol/m³', zero: true },
    series: result.analytes.map((a, i) => ({ label: a.name, x: result.times, y: a.concentration, color: analyteColor(i) })),
  });
  return [chart, temperatureFigure(traces, o), holdupFigure(traces, o), pressureProgramFigure(traces, o), flowFigure(traces, o)];
}

/** One analyte's peak as the report's table shows it. */
export interface ProgrammedPeak {
  name: string;
  moments: { mean: number; sigma: number; elutionTemperature?: number; retentionFactor?: number; holdupTime?: number };
}

/**
 * The report's section on a programmed run: the stacked figures (`programmedRunFigures`) and the
 * table of peaks in elution order with the oven temperature, retention factor and hold-up time at
 * each retention time. `method` names how the chromatogram was computed, for the caption.
 */
export function programSection(
  c: RunConditions, result: OutletCurves & { analytes: (OutletCurves['analytes'][number] & ProgrammedPeak)[] },
  options: { method?: string; figureNumber?: string; program?: string } = {},
): string {
  const number = options.figureNumber ?? '5';
  const svgs = programmedRunFigures(c, result, { id: `fig${number}` });
  const panels = svgs.map((s) => `<div class="panel">${s}</div>`).join('\n');
  const program = options.program ? ` Oven program ${escapeXml(options.program)}.` : '';
  const ref = flowReferenceOf(c);
  const caption = `<b>Fig. ${number}.</b> Outlet chromatogram (${escapeXml(options.method ?? result.method)}) and, on the same time axis, ` +
    `the oven temperature, the gas hold-up time t<sub>M</sub> with the conditions of each instant, the inlet and outlet ` +
    `pressure and the column flow (at ${formatPlain(ref.temperature - CELSIUS)} °C and ${formatPlain(ref.pressure / 1e3)} kPa), ` +
    `carrier ${escapeXml(c.gas.name)}.${program}`;
  const order = result.analytes.map((_, i) => i).sort((i, j) => result.analytes[i].moments.mean - result.analytes[j].moments.mean);
  const cellOf = (x: number | undefined, digits: number) => (x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits));
  const rows = order.map((i) => {
    const a = result.analytes[i];
    const m = a.moments;
    const swatch = `<svg xmlns="http://www.w3.org/2000/svg" width="18" height="8" viewBox="0 0 18 8" aria-hidden="true">` +
      `<line x1="0" y1="4" x2="18" y2="4" stroke="${analyteColor(i)}" stroke-width="2"/></svg>`;
    return `<tr><td>${swatch} ${escapeXml(a.name)}</td><td class="num">${cellOf(m.mean, 2)}</td><td class="num">${cellOf(m.sigma, 3)}</td>` +
      `<td class="num">${cellOf(m.elutionTemperature === undefined ? undefined : m.elutionTemperature - CELSIUS, 1)}</td>` +
      `<td class="num">${cellOf(m.retentionFactor, 3)}</td><td class="num">${cellOf(m.holdupTime, 2)}</td></tr>`;
  }).join('\n');
  const table = `<table>\n<caption>Peaks in order of elution</caption>\n<thead><tr><th>analyte</th><th class="num">t<sub>R</sub> (s)</th>` +
    `<th class="num">σ (s)</th><th class="num">T at t<sub>R</sub> (°C)</th><th class="num">k at t<sub>R</sub></th>` +
    `<th class="num">t<sub>M</sub> at t<sub>R</sub> (s)</th></tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>`;
  return `<h2>Programmed run</h2>\n<figure id="fig${number}">\n<div class="grid1 stack">\n${panels}\n</div>\n` +
    `<figcaption>${caption}</figcaption>\n</figure>\n<div class="wide">${table}</div>`;
}
