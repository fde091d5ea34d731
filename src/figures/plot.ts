/**
 * Standalone SVG line charts: axes with nice ticks, units and labels, light grid lines, a legend,
 * one colour per analyte. No DOM and no network: the chart is a string of well-formed XML that a
 * browser, an editor or a print shop opens as is, and that an HTML page can inline.
 *
 * Why d3-scale and d3-shape rather than our own code: the hard, fiddly parts of a chart are the
 * tick positions (1-2-5 steps that land exactly on round numbers despite floating point), their
 * labels at just enough precision, and path data with bounded digits and gaps at missing values.
 * d3-scale (`nice()`, `ticks()`, `tickFormat()`) and d3-shape (`line().defined().digits()`) solve
 * exactly these, are small pure-ESM functions without a DOM, and are among the most used and
 * best-kept chart libraries. Layout (margins, legend, exponent factoring, colours) stays here,
 * since it is specific to how chromatograms should look.
 */
import { scaleLinear, type ScaleLinear } from 'd3-scale';
import { line } from 'd3-shape';

/**
 * Okabe–Ito colours, distinguishable with the common colour-vision deficiencies and in greyscale
 * print by lightness; ordered so that the first ones are the darkest on white paper (its yellow,
 * too pale on white, is left out). Its orange (#E69F00) and sky blue (#56B4E9) reach only 2.3:1
 * on white, below the 3:1 that WCAG 2.1 (1.4.11) asks of lines and markers, so they are darkened
 * at the same hue to #B07800 (3.8:1) and #3D8CBA (3.7:1); every colour here is at least 3:1.
 * Analyte i gets ANALYTE_COLORS[i % 7]; the page and the report use this one list.
 */
export const ANALYTE_COLORS: readonly string[] = [
  '#0072B2', '#D55E00', '#009E73', '#CC79A7', '#B07800', '#3D8CBA', '#000000',
];

/** Colour of the analyte with index i. */
export function analyteColor(i: number): string {
  return ANALYTE_COLORS[((i % ANALYTE_COLORS.length) + ANALYTE_COLORS.length) % ANALYTE_COLORS.length];
}

export type LineStyle = 'solid' | 'dashed' | 'dotted' | 'points';

const DASHES: Record<LineStyle, string | null> = {
  solid: null, dashed: '7 4', dotted: '1.5 3', points: null,
};

export interface Series {
  /** Legend text; series with `legend: false` are drawn but not listed. */
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Stroke colour; default: analyteColor(index of the series). */
  color?: string;
  /** 'points' draws a dot per sample (measured data), the others a line. Default 'solid'. */
  style?: LineStyle;
  /** Stroke width (px), default 1.8. */
  width?: number;
  /** Stroke opacity from 0 to 1 (default 1): a wide pale line under a thin one shows agreement. */
  opacity?: number;
  /** List the series in the legend (default true). */
  legend?: boolean;
}

export interface AxisSpec {
  /** Quantity, e.g. "time t". */
  label: string;
  /** SI unit, e.g. "s", "mol/m³"; '' for a dimensionless quantity. */
  unit: string;
  /** Fixed range; default: the data's, made nice. */
  min?: number;
  max?: number;
  /** Extend the automatic range to include zero (concentrations, signals from zero). */
  zero?: boolean;
  /**
   * Smallest span of the automatic range (data units): data that vary by less (a window holding
   * no peak, only the tails' 1e-198) are drawn flat on an axis this tall instead of being scaled up
   * until rounding noise looks like a peak.
   */
  floor?: number;
}

/** A shaded interval of x (e.g. a fit window), drawn behind the series over the plot's height. */
export interface Band {
  start: number;
  end: number;
  /** Fill colour (default grey) and opacity (default 0.12). */
  color?: string;
  opacity?: number;
  /** Text for the band's tooltip (SVG <title>). */
  label?: string;
}

/** A legend entry explaining a line style rather than a colour (e.g. "dashed: constant velocity"). */
export interface StyleKey {
  label: string;
  style: LineStyle;
  width?: number;
  opacity?: number;
}

export interface ChartSpec {
  title?: string;
  x: AxisSpec;
  y: AxisSpec;
  series: Series[];
  /** Extra legend entries, drawn in grey after the series. */
  styleKeys?: StyleKey[];
  /** Shaded x intervals behind the series (fit windows). */
  bands?: Band[];
  /** Text placed at data coordinates (x, y), centred, its baseline `dy` px above the point (default 4), e.g. peak names. */
  annotations?: { x: number; y: number; text: string; dy?: number; color?: string }[];
  /** Size in px; default 800 x 500. */
  width?: number;
  height?: number;
  /** Prefix for element ids (clip path), unique per page when charts are inlined together. */
  id?: string;
  /** Width (px) reserved right of the plot for the legend; default: fitted to the labels. */
  legendWidth?: number;
  /** Legend right of the plot, below it, or none; default: right from 640 px wide, else below. */
  legend?: 'right' | 'bottom' | 'none';
}

/** Escapes text for XML character data and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const SUPERSCRIPT: Record<string, string> = {
  '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹',
};

/** 10 to the power e with superscript digits, e.g. "10⁻⁷". */
export function powerOfTen(e: number): string {
  return '10' + String(e).split('').map((c) => SUPERSCRIPT[c]).join('');
}

export interface Axis {
  scale: ScaleLinear<number, number>;
  /** Tick values in data units. */
  ticks: number[];
  /** Tick labels (scaled by 10^-exponent). */
  labels: string[];
  /** Power of ten factored out of the tick labels into the axis title (0: none). */
  exponent: number;
  /** "label (10ⁿ unit)". */
  title: string;
}

function extent(series: Series[], key: 'x' | 'y'): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    const v = s[key];
    const w = key === 'x' ? s.y : s.x;
    for (let i = 0; i < v.length; i++) {
      if (Number.isFinite(v[i]) && Number.isFinite(w[i])) {
        if (v[i] < lo) lo = v[i];
        if (v[i] > hi) hi = v[i];
      }
    }
  }
  return [lo, hi];
}

/**
 * A nice linear axis over the data range (or the spec's fixed range). Tick labels of very small or
 * large quantities (1e-7 mol/m³, 4e5 Pa) carry a power of ten in the axis title instead of in
 * every label, as a printed figure would.
 */
export function linearAxis(spec: AxisSpec, data: [number, number], range: [number, number], tickCount: number): Axis {
  let [lo, hi] = data;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (spec.zero) {
    lo = Math.min(lo, 0);
    hi = Math.max(hi, 0);
  }
  if (spec.min !== undefined) lo = spec.min;
  if (spec.max !== undefined) hi = spec.max;
  if (spec.floor !== undefined && spec.floor > 0 && spec.min === undefined && spec.max === undefined && !(hi - lo >= spec.floor)) {
    // Too small a variation to be data: an axis `floor` tall (from zero when zero is shown).
    if (spec.zero && lo >= 0) hi = lo + spec.floor;
    else if (spec.zero && hi <= 0) lo = hi - spec.floor;
    else {
      const mid = (lo + hi) / 2;
      lo = mid - spec.floor / 2;
      hi = mid + spec.floor / 2;
    }
  }
  if (!(hi > lo)) {
    // A flat series (constant velocity): show it in the middle of a small range around it.
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const scale = scaleLinear().domain([lo, hi]).range(range);
  if (spec.min === undefined && spec.max === undefined) scale.nice(tickCount);
  const ticks = scale.ticks(tickCount);
  const [d0, d1] = scale.domain();
  const magnitude = Math.max(Math.abs(d0), Math.abs(d1));
  const e = magnitude > 0 ? Math.floor(Math.log10(magnitude)) : 0;
  const exponent = e < -2 || e > 4 ? e : 0;
  const factor = 10 ** exponent;
  const format = scaleLinear().domain([d0 / factor, d1 / factor]).tickFormat(tickCount);
  // Without d3's thousands separator: "1000" reads as a number in any locale and in print.
  const labels = ticks.map((t) => format(t / factor).replace(/,/g, ''));
  const unit = [exponent !== 0 ? powerOfTen(exponent) : '', spec.unit].filter(Boolean).join(' ');
  return { scale, ticks, labels, exponent, title: unit ? `${spec.label} (${unit})` : spec.label };
}

/** Approximate advance width (px) of text in the chart font, for layout without a DOM. */
function textWidth(text: string, fontSize: number): number {
  return [...text].length * fontSize * 0.56;
}

const FONT = "font-family=\"'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif\"";

/**
 * Points of a series as pixel coordinates (0.1 px), thinned without visible change so that files
 * stay small: interior points of runs at one height (the long baselines of a chromatogram) are
 * dropped, and a line with many more samples than pixel columns keeps, per column, its first,
 * lowest, highest and last point (the M4 rule, exact at the pixel level for an x-ordered series).
 * Dots drop repeats of the same pixel. Non-finite samples become gaps (null).
 */
function pixels(s: Series, x: Axis, y: Axis): ([number, number] | null)[] {
  const n = Math.min(s.x.length, s.y.length);
  const raw: ([number, number] | null)[] = [];
  for (let i = 0; i < n; i++) {
    const ok = Number.isFinite(s.x[i]) && Number.isFinite(s.y[i]);
    raw.push(ok ? [Math.round(x.scale(s.x[i]) * 10) / 10, Math.round(y.scale(s.y[i]) * 10) / 10] : null);
  }
  if (s.style === 'points') {
    return raw.filter((p, i) => p !== null && !(i > 0 && raw[i - 1] !== null && raw[i - 1]![0] === p[0] && raw[i - 1]![1] === p[1]));
  }
  const range = x.scale.range();
  const columns = Math.abs(range[1] - range[0]);
  const ordered = raw.every((p, i) => i === 0 || p === null || raw[i - 1] === null || raw[i - 1]![0] <= p[0]);
  const thinned = ordered && n > 8 * columns ? m4(raw) : raw;
  return thinned.filter((p, i) => {
    if (p === null) return true;
    const before = thinned[i - 1];
    const after = thinned[i + 1];
    return !(before && after && before[1] === p[1] && after[1] === p[1]);
  });
}

/** First, min, max and last point of each whole-pixel column, in order; gaps kept. */
function m4(points: ([number, number] | null)[]): ([number, number] | null)[] {
  const out: ([number, number] | null)[] = [];
  let group: [number, number][] = [];
  const flush = () => {
    if (group.length === 0) return;
    let lo = group[0];
    let hi = group[0];
    for (const p of group) {
      if (p[1] < lo[1]) lo = p;
      if (p[1] > hi[1]) hi = p;
    }
    const keep = new Set([group[0], lo, hi, group[group.length - 1]]);
    for (const p of group) if (keep.has(p)) out.push(p);
    group = [];
  };
  for (const p of points) {
    if (p === null) {
      flush();
      out.push(null);
    } else {
      if (group.length > 0 && Math.floor(group[0][0]) !== Math.floor(p[0])) flush();
      group.push(p);
    }
  }
  flush();
  return out;
}

function seriesPath(s: Series, index: number, x: Axis, y: Axis): string {
  const color = escapeXml(s.color ?? analyteColor(index));
  const style = s.style ?? 'solid';
  const label = escapeXml(s.label);
  const pts = pixels(s, x, y);
  if (style === 'points') {
    // One path of zero-length segments with round caps: a dot per sample, a fraction of the size
    // of one <circle> per sample.
    const d = pts.filter((p): p is [number, number] => p !== null).map(([a, b]) => `M${a},${b}h0`).join('');
    return `<path class="series" data-label="${label}" d="${d}" fill="none" stroke="${color}" ` +
      `stroke-width="${s.width ?? 3.2}" stroke-linecap="round"/>`;
  }
  const d = line<[number, number] | null>()
    .defined((p) => p !== null)
    .x((p) => p![0])
    .y((p) => p![1])
    .digits(1)(pts) ?? '';
  const dash = DASHES[style] ? ` stroke-dasharray="${DASHES[style]}"` : '';
  return `<path class="series" data-label="${label}" d="${d}" fill="none" stroke="${color}" ` +
    `stroke-width="${s.width ?? 1.8}" stroke-linejoin="round"${dash}${opacityAttr(s.opacity)}/>`;
}

function opacityAttr(opacity: number | undefined): string {
  return opacity === undefined || opacity >= 1 ? '' : ` stroke-opacity="${Math.max(0, opacity)}"`;
}

function legendSample(style: LineStyle, color: string, x: number, y: number, width: number, opacity?: number): string {
  if (style === 'points') {
    return `<path d="M${x + 6},${y}h0M${x + 14},${y}h0M${x + 22},${y}h0" stroke="${color}" stroke-width="3.2" ` +
      'stroke-linecap="round"/>';
  }
  const dash = DASHES[style] ? ` stroke-dasharray="${DASHES[style]}"` : '';
  return `<line x1="${x}" y1="${y}" x2="${x + 28}" y2="${y}" stroke="${color}" stroke-width="${width}"${dash}` +
    `${opacityAttr(opacity)}/>`;
}

interface LegendEntry {
  cls: string;
  label: string;
  style: LineStyle;
  color: string;
  width: number;
  opacity?: number;
}

function legendRow(e: LegendEntry, x: number, y: number, label: string): string {
  return `<g class="${e.cls}">${legendSample(e.style, escapeXml(e.color), x, y, e.width, e.opacity)}` +
    `<text x="${x + 34}" y="${y + 4.5}" fill="#111111">${escapeXml(label)}</text></g>`;
}

/**
 * Legend right of the plot, one row per entry: labels cut to the legend's width, rows beyond the
 * plot's height summarised as "+ n more", so the legend never runs off the chart.
 */
function rightLegend(entries: LegendEntry[], styleKeys: number, x: number, y0: number, width: number, plotH: number,
  font: number): string {
  const chars = Math.max(4, Math.floor((width - 46) / (font * 0.56) + 1e-9));
  const fit = (t: string) => ([...t].length > chars ? [...t].slice(0, chars - 1).join('') + '…' : t);
  const series = entries.slice(0, entries.length - styleKeys);
  const keys = entries.slice(entries.length - styleKeys);
  const rows = Math.max(1, Math.floor((plotH - 10) / 20) - keys.length - (keys.length > 0 ? 1 : 0));
  const shown = series.length > rows ? series.slice(0, rows - 1) : series;
  const out: string[] = ['<g class="legend">'];
  let y = y0;
  for (const e of shown) {
    out.push(legendRow(e, x, y, fit(e.label)));
    y += 20;
  }
  if (shown.length < series.length) {
    out.push(`<text class="legend-more" x="${x}" y="${y + 4.5}" fill="#111111">+ ${series.length - shown.length} more</text>`);
    y += 20;
  }
  if (keys.length > 0 && series.length > 0) y += 6;
  for (const e of keys) {
    out.push(legendRow(e, x, y, fit(e.label)));
    y += 20;
  }
  out.push('</g>');
  return out.join('');
}

/** Entries laid out left to right in rows no wider than `width` (small charts: legend below). */
function flowRows(entries: LegendEntry[], width: number, font: number): { e: LegendEntry; dx: number }[][] {
  const rows: { e: LegendEntry; dx: number }[][] = [];
  let row: { e: LegendEntry; dx: number }[] = [];
  let used = 0;
  for (const e of entries) {
    const w = 34 + textWidth(e.label, font) + 18;
    if (row.length > 0 && used + w > width) {
      rows.push(row);
      row = [];
      used = 0;
    }
    row.push({ e, dx: used });
    used += w;
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

function bottomLegend(rows: { e: LegendEntry; dx: number }[][], x: number, y0: number): string {
  const out: string[] = ['<g class="legend">'];
  rows.forEach((row, r) => {
    for (const { e, dx } of row) out.push(legendRow(e, x + dx, y0 + r * 20, e.label));
  });
  out.push('</g>');
  return out.join('');
}

/**
 * An SVG line chart (an `<svg>` element with the SVG namespace, no XML declaration: inline it in
 * HTML, or pass it to `standaloneSvg` for a file).
 */
export function lineChart(spec: ChartSpec): string {
  const width = spec.width ?? 800;
  const height = spec.height ?? 500;
  const id = (spec.id ?? 'chart').replace(/[^A-Za-z0-9_-]/g, '_');
  const font = 13;
  const listed = spec.series.map((s, i) => ({ s, i })).filter(({ s }) => s.legend !== false);
  const keys = spec.styleKeys ?? [];
  const entries: LegendEntry[] = [
    ...listed.map(({ s, i }) => ({
      cls: 'legend-entry', label: s.label, style: s.style ?? 'solid', color: s.color ?? analyteColor(i),
      width: s.width ?? 1.8, opacity: s.opacity,
    })),
    ...keys.map((k) => ({
      cls: 'legend-entry legend-style', label: k.label, style: k.style, color: '#555555', width: k.width ?? 1.8, opacity: k.opacity,
    })),
  ];
  const position = entries.length === 0 ? 'none' : spec.legend ?? (width >= 640 ? 'right' : 'bottom');
  const left = 84;
  const legendWidth = position !== 'right' ? 0 : spec.legendWidth ??
    Math.min(width * 0.38, 46 + Math.max(...entries.map((e) => textWidth(e.label, font))));
  const bottomRows = position === 'bottom' ? flowRows(entries, width - left - 16, font) : [];
  const margin = {
    top: spec.title ? 40 : 16, right: 16 + legendWidth, bottom: 58 + bottomRows.length * 20 + (bottomRows.length > 0 ? 6 : 0), left,
  };
  const plotW = Math.max(40, width - margin.left - margin.right);
  const plotH = Math.max(40, height - margin.top - margin.bottom);
  const xAxis = linearAxis(spec.x, extent(spec.series, 'x'), [margin.left, margin.left + plotW],
    Math.max(3, Math.round(plotW / 90)));
  const yAxis = linearAxis(spec.y, extent(spec.series, 'y'), [margin.top + plotH, margin.top],
    Math.max(3, Math.round(plotH / 60)));
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" ${FONT} font-size="${font}" role="img">`);
  if (spec.title) out.push(`<title>${escapeXml(spec.title)}</title>`);
  out.push(`<defs><clipPath id="${id}-plot"><rect x="${margin.left}" y="${margin.top}" width="${plotW}" ` +
    `height="${plotH}"/></clipPath></defs>`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  if (spec.title) {
    out.push(`<text class="chart-title" x="${margin.left}" y="${margin.top - 14}" font-size="15" ` +
      `font-weight="bold" fill="#111111">${escapeXml(spec.title)}</text>`);
  }
  // Grid and ticks.
  const bottom = margin.top + plotH;
  const grid: string[] = [];
  const ticks: string[] = [];
  xAxis.ticks.forEach((t, k) => {
    const px = Math.round(xAxis.scale(t) * 10) / 10;
    grid.push(`M${px},${margin.top}V${bottom}`);
    ticks.push(`<line x1="${px}" y1="${bottom}" x2="${px}" y2="${bottom + 5}"/>`);
    ticks.push(`<text class="tick x-tick" x="${px}" y="${bottom + 19}" text-anchor="middle" stroke="none">` +
      `${escapeXml(xAxis.labels[k])}</text>`);
  });
  yAxis.ticks.forEach((t, k) => {
    const py = Math.round(yAxis.scale(t) * 10) / 10;
    grid.push(`M${margin.left},${py}H${margin.left + plotW}`);
    ticks.push(`<line x1="${margin.left - 5}" y1="${py}" x2="${margin.left}" y2="${py}"/>`);
    ticks.push(`<text class="tick y-tick" x="${margin.left - 8}" y="${py + 4.5}" text-anchor="end" stroke="none">` +
      `${escapeXml(yAxis.labels[k])}</text>`);
  });
  out.push(`<path class="grid" d="${grid.join('')}" stroke="#e4e4e4" stroke-width="1" fill="none"/>`);
  if (spec.bands && spec.bands.length > 0) {
    out.push(`<g class="bands" clip-path="url(#${id}-plot)">`);
    for (const b of spec.bands) {
      if (!(Number.isFinite(b.start) && Number.isFinite(b.end))) continue;
      const a = Math.round(Math.min(xAxis.scale(b.start), xAxis.scale(b.end)) * 10) / 10;
      const w = Math.round(Math.abs(xAxis.scale(b.end) - xAxis.scale(b.start)) * 10) / 10;
      const tip = b.label ? `<title>${escapeXml(b.label)}</title>` : '';
      out.push(`<rect class="band" x="${a}" y="${margin.top}" width="${w}" height="${plotH}" ` +
        `fill="${escapeXml(b.color ?? '#777777')}" fill-opacity="${b.opacity ?? 0.12}">${tip}</rect>`);
    }
    out.push('</g>');
  }
  out.push(`<g class="series-group" clip-path="url(#${id}-plot)">`);
  spec.series.forEach((s, i) => out.push(seriesPath(s, i, xAxis, yAxis)));
  out.push('</g>');
  if (spec.annotations && spec.annotations.length > 0) {
    out.push('<g class="annotations" font-size="11" text-anchor="middle">');
    for (const a of spec.annotations) {
      if (!(Number.isFinite(a.x) && Number.isFinite(a.y))) continue;
      const px = Math.round(xAxis.scale(a.x) * 10) / 10;
      const py = Math.round((yAxis.scale(a.y) - (a.dy ?? 4)) * 10) / 10;
      out.push(`<text class="annotation" x="${px}" y="${py}" fill="${a.color ?? '#111111'}">${escapeXml(a.text)}</text>`);
    }
    out.push('</g>');
  }
  out.push(`<rect class="frame" x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" ` +
    'fill="none" stroke="#333333" stroke-width="1"/>');
  out.push(`<g class="ticks" stroke="#333333" fill="#222222">${ticks.join('')}</g>`);
  out.push(`<text class="axis-title x-title" x="${margin.left + plotW / 2}" y="${bottom + 44}" ` +
    `text-anchor="middle" fill="#111111">${escapeXml(xAxis.title)}</text>`);
  out.push(`<text class="axis-title y-title" transform="translate(20,${margin.top + plotH / 2}) rotate(-90)" ` +
    `text-anchor="middle" fill="#111111">${escapeXml(yAxis.title)}</text>`);
  if (position === 'right') out.push(rightLegend(entries, keys.length, margin.left + plotW + 14, margin.top + 10, legendWidth, plotH, font));
  if (position === 'bottom') out.push(bottomLegend(bottomRows, margin.left, bottom + 68));
  out.push('</svg>');
  return out.join('\n');
}

/** A chart as an SVG file: XML declaration, then the `<svg>` element. */
export function standaloneSvg(svg: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`;
}
