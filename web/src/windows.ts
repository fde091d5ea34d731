/**
 * The crop and the peak windows of a fit, drawn and dragged on the measured chromatogram, typed in
 * fields, and peaks named by clicking them. What it edits is the `fit.crop`, `fit.windows` and
 * `injection.duration` of a fitting problem (CONFIG.md): `problemOf` writes them into a copy of
 * the problem loaded from a file, or into a new one with the geometry unknown, whose analytes are
 * the named windows in the order they elute.
 */
import { escapeXml } from 'elution';
import { drawPlot, PALETTE, type PlotFrame } from './plot.js';

type Json = Record<string, unknown>;

/** A peak window (s) and the analyte it belongs to ('' until named). */
export interface PeakWindow {
  name: string;
  start: number;
  end: number;
}

export interface Measured {
  time: Float64Array;
  signal: Float64Array;
}

/** Times set by dragging are kept to 0.01 s, as a person would type them. */
export function roundTime(t: number): number {
  return Math.round(t * 100) / 100;
}

/** Pixels within which a press takes hold of an edge; a press that moves less is a click. */
const EDGE_PX = 6;
const CLICK_PX = 4;

/**
 * The fit settings of a new fitting problem (as examples/fusion-2022.json): the baseline fitted
 * per group of windows with a linear drift, response factors and the hold-up time fitted, and each
 * window weighted by its peak height so that small peaks count as much as large ones.
 */
const NEW_FIT: Json = {
  baseline: { mode: 'fit', drift: 'linear', scope: 'window' },
  response: 'fit',
  holdupTime: 'fit',
  weighting: 'peak',
};

/**
 * The window around the peak nearest `t`: the largest signal within `reach` (s) of it, the
 * half-height points on either side, and from there 1.5 half-widths before and 2.5 after the apex
 * (room for a tail), rounded to 0.01 s.
 */
export function windowAround(data: Measured, t: number, reach: number): { apex: number; start: number; end: number } | null {
  const { time, signal } = data;
  let apex = -1;
  let low = Infinity;
  for (let j = 0; j < time.length; j++) {
    if (Math.abs(time[j] - t) > reach) continue;
    if (apex < 0 || signal[j] > signal[apex]) apex = j;
    low = Math.min(low, signal[j]);
  }
  if (apex < 0 || !(signal[apex] > low)) return null;
  const half = low + 0.5 * (signal[apex] - low);
  let a = apex;
  while (a > 0 && signal[a] > half) a--;
  let b = apex;
  while (b < time.length - 1 && signal[b] > half) b++;
  const width = Math.max(time[b] - time[a], 2 * (time[Math.min(apex + 1, time.length - 1)] - time[apex]));
  return { apex: time[apex], start: roundTime(time[apex] - 1.5 * width), end: roundTime(time[apex] + 2.5 * width) };
}

export class WindowEditor {
  crop: { start: number; end: number } | null = null;
  windows: PeakWindow[] = [];
  /** The injection pulse as typed (s). */
  pulse = '';
  /** True once anything was set here (a new problem is then built from the editor). */
  touched = false;
  /** The fitting problem loaded from a file, which the editor's values are written into. */
  private base: Json | null = null;
  private data: Measured | null = null;
  private frame: PlotFrame | null = null;
  private view: [number, number] | null = null;
  private drag: {
    kind: 'new' | 'edge' | 'move'; target: 'crop' | number; edge?: 'start' | 'end';
    px: number; t0: number; original: { start: number; end: number }; moved: boolean;
  } | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly canvas: HTMLCanvasElement,
    /** Called after every change of the crop, the windows or the pulse. */
    private readonly changed: () => void,
  ) {
    canvas.addEventListener('pointerdown', (e) => this.down(e));
    canvas.addEventListener('pointermove', (e) => this.move(e));
    canvas.addEventListener('pointerup', (e) => this.up(e));
    canvas.addEventListener('pointercancel', () => { this.drag = null; this.draw(); });
    root.addEventListener('input', (e) => this.typed(e.target as HTMLInputElement));
    root.addEventListener('change', (e) => {
      const el = e.target as HTMLInputElement;
      if (el.name === 'drag-target' || el.id === 'view-whole') this.draw();
    });
    root.addEventListener('click', (e) => {
      const remove = (e.target as HTMLElement).dataset.removeWindow;
      if (remove === undefined) return;
      this.windows.splice(Number(remove), 1);
      this.touched = true;
      this.render(`[data-remove-window="${Math.min(Number(remove), this.windows.length - 1)}"]`);
      this.changed();
    });
  }

  /** Starts from a fitting problem's crop, windows and pulse (a file just opened). */
  load(problem: Json): void {
    this.base = problem;
    const fit = (problem.fit ?? {}) as Json;
    const crop = fit.crop as { start: number; end: number } | undefined;
    this.crop = crop ? { start: crop.start, end: crop.end } : null;
    const windows = (fit.windows ?? {}) as Record<string, { start: number; end: number }>;
    this.windows = Object.entries(windows).map(([name, w]) => ({ name, start: w.start, end: w.end }));
    this.pulse = String((problem.injection as Json | undefined)?.duration ?? '');
    this.touched = false;
    this.render();
  }

  /** Forgets the file's problem and everything set here (a simulator problem was opened). */
  unload(): void {
    this.base = null;
    this.crop = null;
    this.windows = [];
    this.touched = false;
    this.render();
  }

  /** The measured chromatogram to draw; `pulse` is the simulator's t₁, the default of a new problem. */
  setData(data: Measured | null, pulse: number): void {
    this.data = data;
    if (this.pulse === '') this.pulse = String(pulse);
    this.root.hidden = !data;
    this.render();
  }

  /** Whether the page fits the editor's problem (a file was opened, or something was set here). */
  get active(): boolean {
    return this.base !== null || this.touched;
  }

  /**
   * The fitting problem: the file's (or a new one with unknown geometry) with the editor's crop,
   * named windows and pulse. Throws an Error naming what is missing for a window without a name.
   */
  problem(): Json {
    const unnamed = this.windows.findIndex((w) => w.name.trim() === '');
    if (unnamed >= 0) {
      const w = this.windows[unnamed];
      throw new Error(`the window ${w.start}–${w.end} s has no analyte: click its peak or type a name`);
    }
    const names = this.windows.map((w) => w.name.trim());
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice !== undefined) throw new Error(`two windows are named "${twice}": one window per analyte`);
    const p: Json = this.base ? structuredClone(this.base) : { injection: {}, analytes: [], fit: structuredClone(NEW_FIT) };
    const pulse = this.pulse.trim() === '' ? Number.NaN : Number(this.pulse);
    p.injection = { ...((p.injection as Json | undefined) ?? {}), duration: Number.isFinite(pulse) ? pulse : this.pulse };
    const fit = (p.fit ??= {}) as Json;
    if (this.crop) fit.crop = { ...this.crop };
    else delete fit.crop;
    const ordered = [...this.windows].sort((a, b) => a.start - b.start);
    if (ordered.length > 0) fit.windows = Object.fromEntries(ordered.map((w) => [w.name.trim(), { start: w.start, end: w.end }]));
    else delete fit.windows;
    const analytes = (p.analytes ??= []) as Json[];
    // A named window of an analyte the problem lacks adds it (c0 1 mol/m³: with the response fitted
    // it only scales the fitted response factor).
    for (const w of ordered) if (!analytes.some((a) => a?.name === w.name.trim())) analytes.push({ name: w.name.trim(), c0: 1 });
    return p;
  }

  /** Re-renders the fields and the table from the editor's values, then the plot. */
  render(focus?: string): void {
    const set = (id: string, v: string) => {
      const el = this.root.querySelector<HTMLInputElement>(id)!;
      if (document.activeElement !== el) el.value = v;
    };
    set('#crop-start', this.crop ? String(this.crop.start) : '');
    set('#crop-end', this.crop ? String(this.crop.end) : '');
    set('#fit-pulse', this.pulse);
    const body = this.root.querySelector('#window-table tbody')!;
    body.innerHTML = this.windows.map((w, i) => {
      const who = w.name ? escapeXml(w.name) : `window ${i + 1}`;
      return `<tr data-window="${i}"${w.name ? '' : ' class="unnamed"'}>` +
        `<td><input type="text" data-window-field="name" data-window-index="${i}" aria-label="Analyte of window ${i + 1}" placeholder="click its peak" value="${escapeXml(w.name)}"></td>` +
        `<td><input type="text" inputmode="decimal" data-window-field="start" data-window-index="${i}" aria-label="Start of the window of ${who} (s)" value="${w.start}"></td>` +
        `<td><input type="text" inputmode="decimal" data-window-field="end" data-window-index="${i}" aria-label="End of the window of ${who} (s)" value="${w.end}"></td>` +
        `<td><button type="button" data-remove-window="${i}" aria-label="Remove the window of ${who}">Remove</button></td></tr>`;
    }).join('');
    if (focus) {
      const el = this.root.querySelector<HTMLElement>(focus);
      el?.focus();
      if (el instanceof HTMLInputElement) el.select();
    }
    this.draw();
  }

  private typed(el: HTMLInputElement): void {
    const number = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
    if (el.id === 'crop-start' || el.id === 'crop-end') {
      const start = number(this.root.querySelector<HTMLInputElement>('#crop-start')!.value);
      const end = number(this.root.querySelector<HTMLInputElement>('#crop-end')!.value);
      const both = this.root.querySelector<HTMLInputElement>('#crop-start')!.value.trim() === '' &&
        this.root.querySelector<HTMLInputElement>('#crop-end')!.value.trim() === '';
      this.crop = both ? null : { start, end };
    } else if (el.id === 'fit-pulse') {
      this.pulse = el.value;
    } else if (el.dataset.windowField) {
      const w = this.windows[Number(el.dataset.windowIndex)];
      if (el.dataset.windowField === 'name') {
        w.name = el.value;
        el.closest('tr')!.classList.toggle('unnamed', el.value.trim() === '');
      } else w[el.dataset.windowField as 'start' | 'end'] = number(el.value);
    } else return;
    this.touched = true;
    this.draw();
    this.changed();
  }

  /** The x range shown: the whole run, or the crop with 5 % either side once a crop is set. */
  private range(): [number, number] | undefined {
    if (!this.data) return undefined;
    const t = this.data.time;
    const whole: [number, number] = [t[0], t[t.length - 1]];
    const showWhole = this.root.querySelector<HTMLInputElement>('#view-whole')!.checked;
    if (showWhole || !this.crop || !(this.crop.end > this.crop.start)) return whole;
    const pad = 0.05 * (this.crop.end - this.crop.start);
    return [Math.max(whole[0], this.crop.start - pad), Math.min(whole[1], this.crop.end + pad)];
  }

  draw(): void {
    if (!this.data || this.root.hidden) return;
    const range = this.view ?? this.range()!;
    const bands = [];
    if (this.crop && this.crop.end > this.crop.start) {
      // What the crop leaves out, greyed.
      if (this.crop.start > range[0]) bands.push({ start: range[0], end: this.crop.start, color: '#777777', alpha: 0.3 });
      if (this.crop.end < range[1]) bands.push({ start: this.crop.end, end: range[1], color: '#777777', alpha: 0.3 });
      bands.push({ start: this.crop.start, end: this.crop.end, color: '#555555', alpha: 0, edges: true });
    }
    const order = [...this.windows].sort((a, b) => a.start - b.start);
    for (const w of this.windows) {
      if (!(w.end > w.start)) continue;
      bands.push({ start: w.start, end: w.end, color: PALETTE[order.indexOf(w) % PALETTE.length], label: w.name || '?', edges: true });
    }
    this.frame = drawPlot(this.canvas, {
      xLabel: 'time t (s)', yLabel: 'detector signal', xRange: range, bands,
      series: [{ label: 'measured', x: this.data.time, y: this.data.signal, color: '#222222', width: 1 }],
    });
  }

  /** The frame last drawn, for tests: data ranges and plot box (CSS px). */
  get plotFrame(): PlotFrame | null {
    return this.frame;
  }

  private timeAt(px: number): number {
    const f = this.frame!;
    return f.x0 + ((px - f.left) / f.width) * (f.x1 - f.x0);
  }

  private pixelOf(t: number): number {
    const f = this.frame!;
    return f.left + ((t - f.x0) / (f.x1 - f.x0)) * f.width;
  }

  private target(): 'crop' | 'window' {
    return this.root.querySelector<HTMLInputElement>('input[name="drag-target"]:checked')?.value === 'window' ? 'window' : 'crop';
  }

  private down(e: PointerEvent): void {
    if (!this.frame || !this.data || e.button !== 0) return;
    const px = e.offsetX;
    const t = this.timeAt(px);
    const near = (v: number) => Math.abs(this.pixelOf(v) - px) <= EDGE_PX;
    this.view = [this.frame.x0, this.frame.x1]; // the view stays put while dragging
    const start = { px, t0: t, moved: false };
    if (this.target() === 'crop') {
      const c = this.crop;
      if (c && (near(c.start) || near(c.end))) {
        this.drag = { ...start, kind: 'edge', target: 'crop', edge: near(c.start) ? 'start' : 'end', original: { ...c } };
      } else this.drag = { ...start, kind: 'new', target: 'crop', original: { start: t, end: t } };
    } else {
      const i = this.windows.findIndex((w) => near(w.start) || near(w.end));
      const inside = this.windows.findIndex((w) => t > w.start && t < w.end);
      if (i >= 0) {
        const w = this.windows[i];
        this.drag = { ...start, kind: 'edge', target: i, edge: near(w.start) ? 'start' : 'end', original: { start: w.start, end: w.end } };
      } else if (inside >= 0) {
        const w = this.windows[inside];
        this.drag = { ...start, kind: 'move', target: inside, original: { start: w.start, end: w.end } };
      } else this.drag = { ...start, kind: 'new', target: -1, original: { start: t, end: t } };
    }
    this.canvas.setPointerCapture(e.pointerId);
  }

  /** The interval the drag gives at pointer position `px`, or null when it is still a click. */
  private dragged(px: number): { start: number; end: number } | null {
    const d = this.drag!;
    if (!d.moved && Math.abs(px - d.px) < CLICK_PX) return null;
    d.moved = true;
    const t = this.timeAt(px);
    const o = d.original;
    let start: number;
    let end: number;
    if (d.kind === 'new') [start, end] = [Math.min(d.t0, t), Math.max(d.t0, t)];
    else if (d.kind === 'move') [start, end] = [o.start + (t - d.t0), o.end + (t - d.t0)];
    else {
      const other = d.edge === 'start' ? o.end : o.start;
      [start, end] = [Math.min(other, t), Math.max(other, t)];
    }
    return { start: roundTime(start), end: roundTime(end) };
  }

  private apply(interval: { start: number; end: number }): void {
    const d = this.drag!;
    if (d.target === 'crop') this.crop = interval;
    else if (d.target === -1) {
      this.windows.push({ name: '', ...interval });
      d.target = this.windows.length - 1;
    } else Object.assign(this.windows[d.target as number], interval);
  }

  private move(e: PointerEvent): void {
    if (!this.drag) return;
    const interval = this.dragged(e.offsetX);
    if (!interval) return;
    this.apply(interval);
    this.draw();
  }

  private up(e: PointerEvent): void {
    const d = this.drag;
    if (!d) return;
    const interval = this.dragged(e.offsetX);
    if (interval) this.apply(interval);
    this.drag = null;
    this.view = null;
    if (interval) {
      // A drag narrower than a few pixels made nothing.
      if (!(interval.end - interval.start > 0) && d.kind === 'new') {
        if (d.target === 'crop') this.crop = null;
        else this.windows.splice(d.target as number, 1);
      }
      this.touched = true;
      this.render();
      this.changed();
      return;
    }
    this.name(d.t0);
  }

  /**
   * A click at time t names the peak there: the window holding t (made around the nearest peak if
   * none does) gets its name field focused.
   */
  private name(t: number): void {
    let i = this.windows.findIndex((w) => t >= w.start && t <= w.end);
    if (i < 0 && this.data && this.frame) {
      const around = windowAround(this.data, t, 0.01 * (this.frame.x1 - this.frame.x0));
      if (!around) return;
      this.windows.push({ name: '', start: around.start, end: around.end });
      i = this.windows.length - 1;
      this.touched = true;
      this.changed();
    }
    this.render(`input[data-window-field="name"][data-window-index="${i}"]`);
  }
}
