/**
 * The figures of a chromatography study, drawn from result objects with `lineChart`: outlet
 * chromatograms, axial profiles, carrier velocity and pressure, measured against fitted signal and
 * its residuals. Each returns an `<svg>` element (see `standaloneSvg` for a file).
 */
import { holdupTime, pressure, velocity } from '../model/flow.js';
import { analyteColor as colorOf, lineChart, type LineStyle, type Series, type StyleKey } from './plot.js';
import type { ProfileResult } from '../solvers/laplace.js';
import type { OverloadSeries } from '../solvers/overload.js';
import type { Column, Problem } from '../model/problem.js';

/**
 * What a chromatogram figure needs from a solver result: the Laplace `ChromatogramResult` has this
 * shape, and so has the finite-difference one (`method: 'fd'`).
 */
export interface OutletCurves {
  method: string;
  velocity?: string;
  /** Output times (s). */
  times: ArrayLike<number>;
  /** Outlet concentration of each analyte at each time (mol/m³). */
  analytes: { name: string; concentration: ArrayLike<number> }[];
}

/** One result drawn in a chromatogram figure, with its line style and its legend text. */
export interface CurveLayer {
  result: OutletCurves;
  /** Legend text for the line style, e.g. "variable velocity" (omit with a single layer). */
  label?: string;
  style?: LineStyle;
  /** Stroke width (px) and opacity of this layer's lines. */
  width?: number;
  opacity?: number;
}

export interface FigureOptions {
  title?: string;
  /** Size (px), default 800 x 500. */
  width?: number;
  height?: number;
  /** Element-id prefix, unique within a page. */
  id?: string;
  /** Width (px) reserved for the legend; equal values align the axes of stacked charts. */
  legendWidth?: number;
  /** Legend placement (see ChartSpec.legend); 'none' for panels that share one legend. */
  legend?: 'right' | 'bottom' | 'none';
}

/**
 * Outlet chromatograms c_i(L, t), one colour per analyte (by the first layer's order); further
 * layers (other velocity model, other method) in other line styles, matched to analytes by name.
 */
export function chromatogramFigure(layers: CurveLayer[], options: FigureOptions = {}): string {
  if (layers.length === 0) throw new RangeError('chromatogramFigure: layers must hold at least one result');
  const names = layers[0].result.analytes.map((a) => a.name);
  const series: Series[] = [];
  layers.forEach((layer, k) => {
    for (const a of layer.result.analytes) {
      const i = names.indexOf(a.name);
      series.push({
        label: a.name, x: layer.result.times, y: a.concentration, color: colorOf(i < 0 ? series.length : i),
        style: layer.style ?? (k === 0 ? 'solid' : 'dashed'), width: layer.width, opacity: layer.opacity, legend: k === 0,
      });
    }
  });
  const styleKeys: StyleKey[] = layers.length > 1
    ? layers.map((l, k) => ({
      label: l.label ?? l.result.method, style: l.style ?? (k === 0 ? 'solid' : 'dashed'), width: l.width, opacity: l.opacity,
    }))
    : [];
  return lineChart({
    title: options.title, width: options.width, height: options.height, id: options.id ?? 'chromatogram',
    x: { label: 'time t', unit: 's' },
    y: { label: 'outlet concentration c', unit: 'mol/m³', zero: true },
    series, styleKeys,
  });
}

/** Concentration of every analyte along the column at `result.times[index]`. */
export function profileFigure(result: ProfileResult, index: number, options: FigureOptions = {}): string {
  if (!Number.isInteger(index) || index < 0 || index >= result.times.length) {
    throw new RangeError(`profileFigure: index must be an integer from 0 to ${result.times.length - 1}, got ${index}`);
  }
  const series: Series[] = result.analyteNames.map((name, i) => ({
    label: name, x: result.x, y: result.concentrations[index][i], color: colorOf(i),
  }));
  return lineChart({
    title: options.title ?? `t = ${result.times[index]} s`, width: options.width, height: options.height,
    id: options.id ?? `profile-${index}`, legend: options.legend,
    x: { label: 'distance from inlet x', unit: 'm', min: 0, max: result.x[result.x.length - 1] },
    y: { label: 'concentration c', unit: 'mol/m³', zero: true },
    series,
  });
}

/** Positions 0..L (m), `points` of them. */
function positions(column: Column, points: number): Float64Array {
  const x = new Float64Array(points);
  for (let i = 0; i < points; i++) x[i] = (column.length * i) / (points - 1);
  return x;
}

/** Carrier velocity u(x) of the variable (Poiseuille) and constant models (MODEL.md §1.1). */
export function velocityFigure(problem: Problem, options: FigureOptions = {}): string {
  const x = positions(problem.column, 201);
  const variable = { ...problem.column, velocity: 'variable' as const };
  const constant = { ...problem.column, velocity: 'constant' as const };
  return lineChart({
    title: options.title, width: options.width, height: options.height, id: options.id ?? 'velocity',
    x: { label: 'distance from inlet x', unit: 'm', min: 0, max: problem.column.length },
    y: { label: 'carrier velocity u', unit: 'm/s', zero: true },
    series: [
      { label: 'variable (Poiseuille)', x, y: x.map((xi) => velocity(variable, xi)), color: colorOf(0) },
      { label: 'constant', x, y: x.map((xi) => velocity(constant, xi)), color: colorOf(1), style: 'dashed' },
    ],
  });
}

/** Pressure p(x) along the column (the physical column's, the same in both velocity models). */
export function pressureFigure(problem: Problem, options: FigureOptions = {}): string {
  const x = positions(problem.column, 201);
  return lineChart({
    title: options.title, width: options.width, height: options.height, id: options.id ?? 'pressure',
    x: { label: 'distance from inlet x', unit: 'm', min: 0, max: problem.column.length },
    y: { label: 'pressure p', unit: 'Pa', zero: true },
    series: [{ label: 'p(x), both models', x, y: x.map((xi) => pressure(problem.column, xi)), color: colorOf(0) }],
  });
}

/** Gas hold-up time tM(x) (s) of both velocity models, for captions and automatic times. */
export function outletHoldupTimes(problem: Problem): { variable: number; constant: number } {
  const c = problem.column;
  return {
    variable: holdupTime({ ...c, velocity: 'variable' }, c.length),
    constant: holdupTime({ ...c, velocity: 'constant' }, c.length),
  };
}

/** A measured or computed detector signal against time. */
export interface SignalTrace {
  label: string;
  /** Times (s). */
  time: ArrayLike<number>;
  /** Detector signal (signal units). */
  signal: ArrayLike<number>;
  style?: LineStyle;
  color?: string;
}

/** Detector signals against time, e.g. measured (points) and fitted (line). */
export function signalFigure(traces: SignalTrace[], options: FigureOptions & { unit?: string } = {}): string {
  return lineChart({
    title: options.title, width: options.width, height: options.height, id: options.id ?? 'signal', legendWidth: options.legendWidth,
    x: { label: 'time t', unit: 's' },
    y: { label: 'detector signal', unit: options.unit ?? 'a.u.' },
    series: traces.map((t, i) => ({
      label: t.label, x: t.time, y: t.signal, style: t.style, color: t.color ?? (i === 0 ? '#555555' : colorOf(i - 1)),
      width: t.style === 'points' ? 2.6 : 1.8,
    })),
  });
}

/** Residual (measured - model) against time, with the zero line. */
export function residualFigure(time: ArrayLike<number>, residual: ArrayLike<number>,
  options: FigureOptions & { unit?: string } = {}): string {
  const t0 = time.length > 0 ? time[0] : 0;
  const t1 = time.length > 0 ? time[time.length - 1] : 1;
  return lineChart({
    title: options.title, width: options.width, height: options.height ?? 260, id: options.id ?? 'residual', legendWidth: options.legendWidth,
    x: { label: 'time t', unit: 's' },
    y: { label: 'residual', unit: options.unit ?? 'a.u.', zero: true },
    series: [
      { label: 'zero', x: [t0, t1], y: [0, 0], color: '#999999', width: 1, legend: false },
      { label: 'measured − model', x: time, y: residual, color: colorOf(1), width: 1 },
    ],
  });
}

/**
 * `model` sampled at `time` by linear interpolation (clamped at the ends): residuals of data on one
 * grid against a model on another.
 */
export function interpolate(modelTime: ArrayLike<number>, model: ArrayLike<number>, time: ArrayLike<number>): Float64Array {
  const out = new Float64Array(time.length);
  const n = Math.min(modelTime.length, model.length);
  if (n === 0) return out.fill(NaN);
  let j = 0;
  for (let i = 0; i < time.length; i++) {
    const t = time[i];
    if (t <= modelTime[0]) {
      out[i] = model[0];
      continue;
    }
    if (t >= modelTime[n - 1]) {
      out[i] = model[n - 1];
      continue;
    }
    if (modelTime[j] > t) j = 0;
    while (j + 1 < n && modelTime[j + 1] < t) j++;
    const a = modelTime[j];
    const b = modelTime[j + 1];
    out[i] = b > a ? model[j] + ((model[j + 1] - model[j]) * (t - a)) / (b - a) : model[j];
  }
  return out;
}

/** A loading for a legend: three significant digits. */
function loadingText(l: number): string {
  return String(Number(l.toPrecision(3)));
}

/**
 * The overload series of one analyte (overloadSeries): c/c0 against time, one line per loading
 * K c0/qMax in the order given, the analyte's own loading thicker and marked (`ownLabel`, default
 * "problem"). The time axis spans the peaks
 * (where some curve exceeds 1e-3 of the tallest, with a margin of a tenth of that span).
 */
export function overloadFigure(series: OverloadSeries, options: FigureOptions & { ownLabel?: string } = {}): string {
  const t = series.times;
  const top = Math.max(...series.curves.map((c) => c.peak.height));
  let first = t.length - 1;
  let last = 0;
  for (const c of series.curves) {
    for (let j = 0; j < t.length; j++) {
      if (c.concentration[j] > 1e-3 * top) {
        first = Math.min(first, j);
        last = Math.max(last, j);
      }
    }
  }
  if (last < first) [first, last] = [0, t.length - 1];
  const margin = Math.ceil((last - first) / 10) + 1;
  const from = Math.max(0, first - margin);
  const to = Math.min(t.length, last + margin + 1);
  const kind = series.isotherm === 'langmuir' ? 'Langmuir' : 'anti-Langmuir';
  return lineChart({
    title: options.title ?? `${series.analyte}: peak against injected amount (${kind} film, Thomas solution)`,
    width: options.width, height: options.height, id: options.id ?? 'overload', legend: options.legend, legendWidth: options.legendWidth,
    x: { label: 'time t', unit: 's' },
    y: { label: 'c / c0', unit: '', zero: true },
    series: series.curves.map((c, i) => ({
      label: `K c0/qMax = ${loadingText(c.loading)}${c.loading === series.ownLoading ? ` (${options.ownLabel ?? 'problem'})` : ''}`,
      x: t.subarray(from, to), y: c.concentration.subarray(from, to), color: colorOf(i),
      width: c.loading === series.ownLoading ? 2.6 : 1.8,
    })),
  });
}
