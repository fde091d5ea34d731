/**
 * The column simulator page: a form bound to a problem in the CONFIG.md format, validated by the
 * library on every change (its messages, shown beside the field its key path names), the exact
 * chromatogram and profile redrawn at once on the main thread (sub-millisecond solves), and long
 * work (fits, finite differences) in a worker.
 */
import * as elution from 'elution';
import {
  btexProblem, chromatogram, chromatogramCsv, escapeXml, loadWasm, parseProblem, profiles, ProblemError,
  ProblemTypeError, SolverClient, type ChromatogramResult, type Problem, type ProfileResult,
} from 'elution';
import { MAX_INPUT_BYTES, parseChromatogramCsv, type FitResult } from 'elution';

/** A measured chromatogram: detector signal (signal units) against time (s). */
interface Measurement {
  time: Float64Array;
  signal: Float64Array;
}
import { EXAMPLE_TRUTH, exampleProblem, measurementCsv } from './example.js';
import { drawPlot, PALETTE, type Series } from './plot.js';

type Json = Record<string, unknown>;

const $ = <T extends HTMLElement = HTMLElement>(selector: string) => document.querySelector(selector) as T;

/** Column and operating fields: key path, label, unit, optional linear slider range. */
const FIELDS: Array<[path: string, label: string, unit: string, slider?: [number, number, number]]> = [
  ['column.length', 'Length L', 'm', [1, 60, 0.5]],
  ['column.radius', 'Inner radius R', 'm'],
  ['column.filmThickness', 'Film thickness δ', 'm'],
  ['column.inletPressure', 'Inlet pressure p₀', 'Pa', [1.1e5, 1e6, 1e3]],
  ['column.outletPressure', 'Outlet pressure p_L', 'Pa'],
  ['column.inletVelocity', 'Inlet velocity u₀', 'm/s', [0.05, 2, 0.01]],
  ['column.viscosity', 'Carrier viscosity μ', 'Pa s'],
  ['column.temperature', 'Temperature', 'K'],
  ['injection.duration', 'Injection pulse t₁', 's', [0.1, 30, 0.1]],
  ['detector.baseline', 'Detector baseline', 'signal'],
  ['output.end', 'Output until', 's'],
  ['output.count', 'Output points', ''],
];

/** Logarithmic slider ranges (log10 of 1/s) for the rate constants. */
const LOG_RANGE = { ka: [0, 6], kd: [-1, 3] } as const;

let state: Json = btexProblem() as unknown as Json;
let problem: Problem | null = null;
let result: ChromatogramResult | null = null;
let profile: ProfileResult | null = null;
let measurement: Measurement | null = null;
let fit: FitResult | null = null;
let fd: ChromatogramResult | null = null;
let operations: string[] = [];
/** Compute time of each redraw (validate + solve + profile + draw), ms, for the record. */
const timings: number[] = [];

// ---- key paths -------------------------------------------------------------------------------

function tokens(path: string): Array<string | number> {
  return path.split(/\.|\[(\d+)\]/).filter((t) => t !== undefined && t !== '').map((t) => (/^\d+$/.test(t) ? Number(t) : t));
}

function getPath(obj: unknown, path: string): unknown {
  let v: unknown = obj;
  for (const t of tokens(path)) v = v === undefined || v === null ? undefined : (v as Json)[t as string];
  return v;
}

function setPath(obj: Json, path: string, value: unknown): void {
  const ts = tokens(path);
  let o: Json = obj;
  for (let i = 0; i < ts.length - 1; i++) {
    const t = ts[i] as string;
    if (typeof o[t] !== 'object' || o[t] === null) o[t] = {};
    o = o[t] as Json;
  }
  const last = ts[ts.length - 1] as string;
  if (value === undefined) delete o[last];
  else o[last] = value;
}

/** A number field's text as the library sees it: empty -> absent, otherwise Number(text). */
function readNumber(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}

// ---- form ------------------------------------------------------------------------------------

function field(path: string, label: string, unit: string, control: string): string {
  return `<label class="field" data-path="${path}"><span class="label">${label}${unit ? ` <span class="unit">(${unit})</span>` : ''}</span>` +
    `<span class="control">${control}</span><span class="error" aria-live="polite"></span></label>`;
}

function numberInput(path: string): string {
  const v = getPath(state, path);
  // A loaded problem file may hold any text here: escaped, it stays the value of the field.
  return `<input type="text" inputmode="decimal" name="${path}" value="${v === undefined ? '' : escapeXml(String(v))}">`;
}

function buildForm(): void {
  $('#column-fields').innerHTML = FIELDS.map(([path, label, unit, slider]) => {
    const range = slider
      ? `<input type="range" data-for="${path}" min="${slider[0]}" max="${slider[1]}" step="${slider[2]}" value="${getPath(state, path) ?? slider[0]}">`
      : '';
    return field(path, label, unit, range + numberInput(path));
  }).join('');
  $<HTMLSelectElement>('#velocity').value = String(getPath(state, 'column.velocity') ?? 'variable');
  const analytes = (state.analytes as Json[] | undefined) ?? [];
  $('#analytes').innerHTML = analytes.map((_, i) => {
    const p = `analytes[${i}]`;
    const log = (key: 'ka' | 'kd') => {
      const v = Number(getPath(state, `${p}.${key}`));
      const [lo, hi] = LOG_RANGE[key];
      return `<input type="range" data-for="${p}.${key}" data-log min="${lo}" max="${hi}" step="0.001" value="${Number.isFinite(v) && v > 0 ? Math.log10(v) : lo}">`;
    };
    return `<div class="analyte" data-analyte-index="${i}">` +
      `<div class="head"><span class="swatch" style="background:${PALETTE[i % PALETTE.length]}"></span>` +
      `<label class="field" data-path="${p}.name" style="flex:1"><span class="control"><input type="text" name="${p}.name" value="${escapeXml(String(getPath(state, `${p}.name`) ?? ''))}"></span><span class="error"></span></label>` +
      `<button type="button" data-remove="${i}" title="Remove this analyte">✕</button></div>` +
      field(`${p}.ka`, 'k<sub>a</sub>', '1/s', log('ka') + numberInput(`${p}.ka`)) +
      field(`${p}.kd`, 'k<sub>d</sub>', '1/s', log('kd') + numberInput(`${p}.kd`)) +
      field(`${p}.c0`, 'Inlet c₀', 'mol/m³', numberInput(`${p}.c0`)) +
      field(`${p}.response`, 'Response f', 'signal per mol/m³', numberInput(`${p}.response`)) +
      '</div>';
  }).join('');
}

function onInput(event: Event): void {
  const el = event.target as HTMLInputElement | HTMLSelectElement;
  if (el.dataset.for) {
    // A slider: write the value to its text field and the state.
    const path = el.dataset.for;
    const value = 'log' in el.dataset ? Number((10 ** Number(el.value)).toPrecision(5)) : Number(el.value);
    const text = document.querySelector<HTMLInputElement>(`input[name="${CSS.escape(path)}"]`);
    if (text) text.value = String(value);
    setPath(state, path, value);
  } else if (el.name) {
    const path = el.name;
    const isText = path.endsWith('.name') || path === 'column.velocity';
    const value = isText ? el.value : readNumber(el.value);
    setPath(state, path, value);
    const slider = document.querySelector<HTMLInputElement>(`input[data-for="${CSS.escape(path)}"]`);
    if (slider && typeof value === 'number' && Number.isFinite(value)) {
      slider.value = String('log' in slider.dataset ? Math.log10(value) : value);
    }
  } else {
    return;
  }
  update();
}

// ---- validation and redraw ---------------------------------------------------------------------

function showError(err: unknown): void {
  clearErrors();
  const message = err instanceof Error ? err.message : String(err);
  const path = err instanceof ProblemError || err instanceof ProblemTypeError ? err.path : undefined;
  const box = path ? document.querySelector(`[data-path="${CSS.escape(path)}"]`) : null;
  if (box) {
    box.classList.add('invalid');
    box.querySelector('.error')!.textContent = message;
  } else {
    $('#problem-error').textContent = message;
  }
  setStatus(`Invalid input: ${message}`);
  // The plots still show the last valid problem: grey them until the input is fixed.
  $('#outputs').classList.add('stale');
}

function clearErrors(): void {
  document.querySelectorAll('.invalid').forEach((e) => e.classList.remove('invalid'));
  document.querySelectorAll('#inputs .error').forEach((e) => { e.textContent = ''; });
}

function setStatus(text: string): void {
  $('#status').textContent = text;
}

/** Validates the form, solves, redraws: the whole synchronous work of one slider move. */
function update(): void {
  const started = performance.now();
  try {
    problem = parseProblem(state);
  } catch (err) {
    problem = null;
    showError(err);
    return;
  }
  clearErrors();
  $('#outputs').classList.remove('stale');
  result = chromatogram(problem);
  const timeSlider = $<HTMLInputElement>('#profile-time');
  timeSlider.max = String(problem.output.end);
  const at = Math.min(Number(timeSlider.value), problem.output.end);
  profile = profiles(problem, { times: [at], points: 801 }); // bands near the inlet are ~0.1 m wide
  fd = null;
  draw();
  const ms = performance.now() - started;
  timings.push(ms);
  setStatus(`Solved ${problem.analytes.length} analytes × ${result.times.length} times in ${ms.toFixed(2)} ms ` +
    `(${result.cost.engine}, ${result.status.code}).`);
}

/**
 * A table row for one analyte, its cells set as text (with an optional class): an analyte name is
 * any text, and must never become markup.
 */
function tableRow(analyte: string, cells: [text: string, cls?: string][]): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.dataset.analyte = analyte;
  for (const [text, cls] of cells) {
    const td = tr.insertCell();
    td.textContent = text;
    if (cls) td.className = cls;
  }
  return tr;
}

function draw(): void {
  if (!result || !problem || !profile) return;
  const mode = $<HTMLSelectElement>('#mode').value === 'signal' && result.signal ? 'signal' : 'concentration';
  const series: Series[] = [];
  if (mode === 'signal') {
    if (measurement) series.push({ label: 'measured', x: measurement.time, y: measurement.signal, color: '#222', width: 1 });
    series.push({ label: 'model (exact)', x: result.times, y: result.signal!, color: PALETTE[0] });
    if (fit) series.push({ label: 'fitted', x: fit.fitted.time, y: fit.fitted.signal, color: PALETTE[1], dashed: true });
    if (fd?.signal) series.push({ label: 'finite differences', x: fd.times, y: fd.signal, color: PALETTE[2], dashed: true });
  } else {
    result.analytes.forEach((a, i) => series.push({ label: a.name, x: result!.times, y: a.concentration, color: PALETTE[i % PALETTE.length] }));
    fd?.analytes.forEach((a, i) => series.push({ label: `${a.name} (FD)`, x: fd!.times, y: a.concentration, color: PALETTE[i % PALETTE.length], dashed: true }));
  }
  const at = profile.times[0];
  drawPlot($<HTMLCanvasElement>('#chromatogram'), {
    xLabel: 'time t (s)', yLabel: mode === 'signal' ? 'detector signal' : 'c(L, t) (mol/m³)', series, marker: at,
  });
  drawPlot($<HTMLCanvasElement>('#profile'), {
    xLabel: 'position x (m)', yLabel: `c(x, ${at} s) (mol/m³)`,
    series: profile.analyteNames.map((name, i) => ({ label: name, x: profile!.x, y: profile!.concentrations[0][i], color: PALETTE[i % PALETTE.length] })),
  });
  $<HTMLOutputElement>('#profile-time-value').value = `${at} s`;
  const fmt = (v: number, d = 4) => (Number.isFinite(v) ? Number(v.toPrecision(d)).toString() : '–');
  $('#peaks tbody').replaceChildren(...result.analytes.map((a) => tableRow(a.name, [
    [a.name], [fmt(a.moments.mean, 6), 'mean'], [fmt(a.peak.time, 6), 'peak-time'], [fmt(a.peak.height)],
    [fmt(a.moments.plates)], [a.resolutionToNext === null ? '–' : fmt(a.resolutionToNext, 3)],
  ])));
}

// ---- worker: fit and finite differences ------------------------------------------------------

const solver = new SolverClient(() => new Worker(new URL('./solver.worker.ts', import.meta.url), { type: 'module' }));
let running: AbortController | null = null;

function updateButtons(): void {
  const busy = running !== null;
  const fitButton = $<HTMLButtonElement>('#fit');
  fitButton.disabled = busy || !measurement;
  fitButton.title = measurement ? '' : 'Load a measured chromatogram first';
  $<HTMLButtonElement>('#apply-fit').disabled = busy || !fit;
  $<HTMLButtonElement>('#fd').disabled = busy;
  $<HTMLButtonElement>('#cancel').disabled = !busy;
}

async function inWorker<T>(label: string, note: string, job: (signal: AbortSignal) => Promise<T>): Promise<T | null> {
  running = new AbortController();
  updateButtons();
  const progress = $<HTMLProgressElement>('#progress');
  progress.value = 0;
  $(note).textContent = `${label}…`;
  const started = performance.now();
  try {
    const value = await job(running.signal);
    $(note).textContent = `${label}: done in ${((performance.now() - started) / 1000).toFixed(2)} s.`;
    return value;
  } catch (err) {
    const e = err as Error;
    $(note).textContent = e.name === 'AbortError' ? `${label}: cancelled.` : `${label} failed: ${e.message}`;
    return null;
  } finally {
    running = null;
    progress.value = 0;
    updateButtons();
  }
}

const onProgress = (fraction: number) => { $<HTMLProgressElement>('#progress').value = fraction; };

async function runFit(): Promise<void> {
  if (!problem || !measurement) return;
  const data = measurement;
  const value = await inWorker('Fit', '#fit-note', (signal) =>
    solver.run<FitResult>('fit', [problem, { time: data.time, signal: data.signal }], { onProgress, signal }));
  if (!value) return;
  fit = value;
  const fmt = (v: number) => (typeof v === 'number' && Number.isFinite(v) ? Number(v.toPrecision(6)).toString() : '–');
  const table = $<HTMLTableElement>('#fit-table');
  table.hidden = false;
  table.tBodies[0].replaceChildren(...value.analytes.map((a) => tableRow(a.name, [
    [a.name], [fmt(a.ka), 'ka'], [fmt(a.kd), 'kd'], [fmt(a.K)], [fmt(a.qe)], [fmt(a.beta)], [fmt(a.sse)], [fmt(a.r2), 'r2'],
    [fmt(a.standardErrors?.ka)], [fmt(a.standardErrors?.kd)],
    [typeof a.status === 'object' && a.status ? String((a.status as { code?: unknown }).code) : String(a.status)],
  ])));
  $<HTMLSelectElement>('#mode').value = 'signal';
  updateButtons();
  draw();
}

function applyFit(): void {
  if (!fit) return;
  const analytes = state.analytes as Json[];
  for (const a of fit.analytes) {
    const target = analytes.find((b) => b.name === a.name);
    if (target) { target.ka = a.ka; target.kd = a.kd; }
  }
  buildForm();
  update();
}

async function runFd(): Promise<void> {
  if (!problem) return;
  const p = problem;
  const value = await inWorker('Finite differences', '#fd-note', (signal) =>
    solver.run<ChromatogramResult>('fd', [p, {}], { onProgress, signal }));
  if (value) { fd = value; draw(); }
}

// ---- files, example, exports -------------------------------------------------------------------

function setMeasurement(data: Measurement, source: string): void {
  measurement = data;
  fit = null;
  $<HTMLTableElement>('#fit-table').hidden = true;
  $('#data-info').textContent = `${source}: ${data.time.length} points, t = ${data.time[0]} … ${data.time[data.time.length - 1]} s.`;
  $<HTMLSelectElement>('#mode').value = 'signal';
  updateButtons();
  draw();
}

async function openFile(file: File): Promise<void> {
  // the command line's limit on input files (CONFIG.md, Limits): a larger file is not read at all
  if (file.size > MAX_INPUT_BYTES) {
    $('#data-info').textContent = `${file.name}: ${file.size} bytes, above the limit of ${MAX_INPUT_BYTES} bytes ` +
      `(${MAX_INPUT_BYTES / 1024 ** 2} MiB) for an input file; not read`;
    return;
  }
  const text = await file.text();
  try {
    if (/\.json$/i.test(file.name) || text.trimStart().startsWith('{')) {
      state = JSON.parse(text) as Json;
      buildForm();
      update();
      $('#data-info').textContent = `Problem loaded from ${file.name}.`;
    } else {
      setMeasurement(parseChromatogramCsv(text), file.name);
    }
  } catch (err) {
    $('#data-info').textContent = `${file.name}: ${(err as Error).message}`;
  }
}

/** The synthetic example: the library's chromatogram of BTEX with moved constants (example.ts). */
function exampleCsv(): string {
  const r = chromatogram(exampleProblem(btexProblem()));
  return measurementCsv(r.times, r.signal!);
}

function download(name: string, blob: Blob): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

function wire(): void {
  const inputs = $('#inputs');
  inputs.addEventListener('input', onInput);
  inputs.addEventListener('change', onInput);
  inputs.addEventListener('click', (e) => {
    const remove = (e.target as HTMLElement).dataset.remove;
    if (remove === undefined) return;
    (state.analytes as Json[]).splice(Number(remove), 1);
    buildForm();
    update();
  });
  $('#add-analyte').addEventListener('click', () => {
    const analytes = (state.analytes ??= []) as Json[];
    analytes.push({ name: `analyte ${analytes.length + 1}`, ka: 1000, kd: 10, c0: elution.BTEX_C0, response: 2e8 });
    buildForm();
    update();
  });
  $('#reset').addEventListener('click', () => {
    state = btexProblem() as unknown as Json;
    buildForm();
    update();
  });
  $('#mode').addEventListener('change', draw);
  $('#profile-time').addEventListener('input', update);
  $('#file').addEventListener('change', (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (file) void openFile(file);
  });
  const drop = $('#drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const file = e.dataTransfer?.files[0];
    if (file) void openFile(file);
  });
  $('#load-example').addEventListener('click', () => setMeasurement(parseChromatogramCsv(exampleCsv()), 'example (synthetic BTEX)'));
  $('#fit').addEventListener('click', () => void runFit());
  $('#apply-fit').addEventListener('click', applyFit);
  $('#fd').addEventListener('click', () => void runFd());
  $('#cancel').addEventListener('click', () => running?.abort());
  $('#export-csv').addEventListener('click', () => {
    if (result) download('chromatogram.csv', new Blob([chromatogramCsv(result)], { type: 'text/csv' }));
  });
  $('#export-png').addEventListener('click', () => {
    $<HTMLCanvasElement>('#chromatogram').toBlob((blob) => blob && download('chromatogram.png', blob), 'image/png');
  });
  $('#export-json').addEventListener('click', () => {
    const body = { ...(problem ?? state), ...(fit ? { fit: fit.analytes } : {}) };
    download('problem.json', new Blob([JSON.stringify(body, null, 2) + '\n'], { type: 'application/json' }));
  });
  window.addEventListener('resize', draw);
}

/** For the console and the end-to-end tests. */
const app = {
  get state() { return state; },
  get result() { return result; },
  get fit() { return fit; },
  get measurement() { return measurement; },
  timings, solver, exampleCsv, EXAMPLE_TRUTH, redraw: update,
  get operations() { return operations; },
  ready: null as Promise<void> | null,
};
Object.assign(window, { elution, app });

async function start(): Promise<void> {
  // The wasm comes from its URL (compiled while it streams in); the worker uses the embedded copy.
  await loadWasm(elution.wasmUrl);
  buildForm();
  wire();
  updateButtons();
  update();
  try {
    operations = await solver.ready;
  } catch (err) {
    $('#fd-note').textContent = `The solver worker did not start: ${(err as Error).message}`;
  }
  updateButtons();
}

app.ready = start();
