/** A small line plot on a canvas: axes with round ticks, several series, a legend. */
import { ANALYTE_COLORS } from 'elution';

export interface Series {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  color: string;
  dashed?: boolean;
  width?: number;
  /** A dot per sample (measured data) instead of a line. */
  points?: boolean;
}

export interface PlotSpec {
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** A vertical marker (e.g. the time of the profile), in x units. */
  marker?: number;
  /**
   * Smallest span of the y axis (y units): a window that holds no peak (values like 1e-198) is
   * drawn flat on an axis this tall, never scaled up until rounding looks like a peak.
   */
  yFloor?: number;
  /** Shaded x intervals behind the series (fit windows). */
  bands?: { start: number; end: number; color: string; label?: string; edges?: boolean; alpha?: number }[];
  /** The x range drawn (x units); default: the data's. The y axis then spans the data inside it. */
  xRange?: [number, number];
}

/** Where a plot was drawn: its data ranges and its frame (CSS px on the canvas). */
export interface PlotFrame {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  left: number;
  top: number;
  width: number;
  height: number;
  /** The legend's entries: left, top, width, height (CSS px). */
  legend: [number, number, number, number][];
}

/** The report's Okabe–Ito colours (the package's ANALYTE_COLORS): an analyte has one colour everywhere. */
export const PALETTE: readonly string[] = ANALYTE_COLORS;

function niceStep(span: number, count: number): number {
  const raw = span / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

function format(v: number, step: number): string {
  if (Math.abs(v) < 1e-9 * step) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) {
    // Enough mantissa digits to tell neighbouring ticks apart.
    return v.toExponential(Math.max(0, Math.floor(Math.log10(a)) - Math.floor(Math.log10(step))));
  }
  return v.toFixed(Math.max(0, -Math.floor(Math.log10(step))));
}

/**
 * CSS sizes of the canvases drawn, kept by a ResizeObserver. Reading clientWidth while the page
 * has changed (a slider move rewrites the peak table and the status line before the plots are
 * drawn) forces the browser to lay the whole page out at once, once per plot: most of a redraw.
 * The observer reads the sizes when layout is clean, and asks for a redraw when one changes.
 */
const sizes = new WeakMap<Element, [number, number]>();
const resized = new Set<() => void>();
let redrawQueued = false;
const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver((entries) => {
  let changed = false;
  for (const e of entries) {
    const before = sizes.get(e.target);
    const now: [number, number] = [e.target.clientWidth, e.target.clientHeight];
    sizes.set(e.target, now);
    if (before && (before[0] !== now[0] || before[1] !== now[1])) changed = true;
  }
  if (changed && !redrawQueued) {
    redrawQueued = true;
    requestAnimationFrame(() => {
      redrawQueued = false;
      resized.forEach((f) => f());
    });
  }
});

/** Calls `redraw` (at the next frame) whenever a drawn canvas changes its CSS size. */
export function onPlotResize(redraw: () => void): void {
  resized.add(redraw);
}

/** The canvas's CSS size (px): observed once it has been drawn, read (forcing layout) only before. */
function cssSize(canvas: HTMLCanvasElement): [number, number] {
  const known = sizes.get(canvas);
  if (known && known[0] > 0 && known[1] > 0) return known;
  const now: [number, number] = [canvas.clientWidth, canvas.clientHeight];
  sizes.set(canvas, now);
  observer?.observe(canvas);
  return now;
}

/** Draws `spec` on `canvas`, sized to its CSS box at the device pixel ratio. */
export function drawPlot(canvas: HTMLCanvasElement, spec: PlotSpec, scale?: number, width?: number, height?: number): PlotFrame {
  const dpr = scale ?? (window.devicePixelRatio || 1);
  const size = width === undefined || height === undefined ? cssSize(canvas) : [width, height];
  const w = width ?? (size[0] || 600);
  const h = height ?? (size[1] || 300);
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const g = canvas.getContext('2d')!;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.fillStyle = '#fff';
  g.fillRect(0, 0, w, h);
  const left = 72, right = 12, bottom = 40;
  g.font = '11px system-ui, sans-serif';
  // The legend sits above the frame, its entries in rows as wide as the plot: it never covers a
  // peak, at any width (a phone's 390 px included).
  const legend = legendLayout(g, spec.series, left, w - left - right);
  const top = 10 + 15 * legend.rows;
  const pw = w - left - right, ph = h - top - bottom;

  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  const range = spec.xRange;
  for (const s of spec.series) {
    for (let i = 0; i < s.x.length; i++) {
      const x = s.x[i], y = s.y[i];
      if (range && !(x >= range[0] && x <= range[1])) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  if (range) [x0, x1] = range;
  if (!(x1 > x0)) { x0 = 0; x1 = 1; }
  if (spec.yFloor !== undefined && spec.yFloor > 0 && !(y1 - y0 >= spec.yFloor)) y1 = y0 + spec.yFloor;
  if (!(y1 > y0)) { y1 = y0 + (Math.abs(y0) || 1); }
  const pad = 0.05 * (y1 - y0);
  y0 -= pad; y1 += pad;
  const X = (x: number) => left + ((x - x0) / (x1 - x0)) * pw;
  const Y = (y: number) => top + (1 - (y - y0) / (y1 - y0)) * ph;

  g.strokeStyle = '#ddd';
  g.fillStyle = '#333';
  g.lineWidth = 1;
  g.font = '11px system-ui, sans-serif';
  const xs = niceStep(x1 - x0, 8);
  g.textAlign = 'center';
  g.textBaseline = 'top';
  for (let v = Math.ceil(x0 / xs) * xs; v <= x1 + 1e-9 * xs; v += xs) {
    g.beginPath(); g.moveTo(X(v), top); g.lineTo(X(v), top + ph); g.stroke();
    g.fillText(format(v, xs), X(v), top + ph + 4);
  }
  const ys = niceStep(y1 - y0, 6);
  g.textAlign = 'right';
  g.textBaseline = 'middle';
  for (let v = Math.ceil(y0 / ys) * ys; v <= y1 + 1e-9 * ys; v += ys) {
    g.beginPath(); g.moveTo(left, Y(v)); g.lineTo(left + pw, Y(v)); g.stroke();
    g.fillText(format(v, ys), left - 4, Y(v));
  }
  g.strokeStyle = '#333';
  g.strokeRect(left, top, pw, ph);
  g.textAlign = 'center';
  g.textBaseline = 'bottom';
  g.fillText(spec.xLabel, left + pw / 2, h - 2);
  g.save();
  g.translate(12, top + ph / 2);
  g.rotate(-Math.PI / 2);
  g.textBaseline = 'middle';
  g.fillText(spec.yLabel, 0, 0);
  g.restore();

  g.save();
  g.beginPath();
  g.rect(left, top, pw, ph);
  g.clip();
  if (spec.marker !== undefined) {
    g.strokeStyle = '#999';
    g.setLineDash([2, 3]);
    g.beginPath(); g.moveTo(X(spec.marker), top); g.lineTo(X(spec.marker), top + ph); g.stroke();
  }
  for (const b of spec.bands ?? []) {
    g.globalAlpha = b.alpha ?? 0.15;
    g.fillStyle = b.color;
    g.fillRect(X(b.start), top, X(b.end) - X(b.start), ph);
    g.globalAlpha = 1;
    if (b.edges) {
      // Edges a pointer can take hold of.
      g.strokeStyle = b.color;
      g.lineWidth = 2;
      g.setLineDash([]);
      g.beginPath(); g.moveTo(X(b.start), top); g.lineTo(X(b.start), top + ph); g.moveTo(X(b.end), top); g.lineTo(X(b.end), top + ph); g.stroke();
    }
    if (b.label) {
      g.fillStyle = '#222';
      g.textAlign = 'center';
      g.textBaseline = 'top';
      g.fillText(b.label, (X(b.start) + X(b.end)) / 2, top + 2);
    }
  }
  for (const s of spec.series) {
    if (s.points) {
      g.fillStyle = s.color;
      for (let i = 0; i < s.x.length; i++) if (Number.isFinite(s.y[i])) g.fillRect(X(s.x[i]) - 1, Y(s.y[i]) - 1, 2, 2);
      continue;
    }
    g.strokeStyle = s.color;
    g.lineWidth = s.width ?? 1.5;
    g.setLineDash(s.dashed ? [6, 4] : []);
    g.beginPath();
    let pen = false;
    for (let i = 0; i < s.x.length; i++) {
      if (!Number.isFinite(s.y[i])) { pen = false; continue; }
      if (!pen) g.moveTo(X(s.x[i]), Y(s.y[i]));
      else g.lineTo(X(s.x[i]), Y(s.y[i]));
      pen = true;
    }
    g.stroke();
  }
  g.restore();

  g.setLineDash([]);
  g.textAlign = 'left';
  g.textBaseline = 'middle';
  spec.series.forEach((s, i) => {
    const [lx, ly] = legend.at[i];
    g.strokeStyle = s.color;
    g.lineWidth = 2;
    g.setLineDash(s.dashed ? [6, 4] : []);
    g.beginPath(); g.moveTo(lx, ly); g.lineTo(lx + 22, ly); g.stroke();
    g.fillStyle = '#222';
    g.fillText(s.label, lx + 28, ly);
  });
  g.setLineDash([]);
  return {
    x0, x1, y0, y1, left, top, width: pw, height: ph,
    legend: legend.at.map(([lx, ly], i) => [lx, ly - 6, 28 + g.measureText(spec.series[i].label).width, 12]),
  };
}

/** Positions (swatch start, middle line) of the legend's entries in rows over the frame, and the rows used. */
function legendLayout(g: CanvasRenderingContext2D, series: Series[], left: number, width: number): { at: [number, number][]; rows: number } {
  const at: [number, number][] = [];
  let x = left;
  let row = 0;
  for (const s of series) {
    const w = 28 + g.measureText(s.label).width + 14;
    if (x > left && x + w > left + width) { x = left; row++; }
    at.push([x, 8 + 15 * row]);
    x += w;
  }
  return { at, rows: series.length === 0 ? 0 : row + 1 };
}
