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
import {
  clearFieldErrors, defaultForm, FieldError, fieldOfError, formHtml, peakRows, programText, readForm, runProblem,
  showFieldError, type ProgramForm,
} from './program.js';
import type { ProgrammedRun } from 'elution';
import { drawPlot, onPlotResize, PALETTE, type PlotFrame, type PlotSpec, type Series } from './plot.js';
import { WindowEditor } from './windows.js';
import {
  applyForm, ConditionsError, conditionsFieldOf, conditionsHtml, convertPressures, formOfState, PRESETS,
  readForm as readConditions, type ConditionsForm, type PressureUnit,
} from './conditions.js';

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

/** The film isotherms (MODEL.md §13) and what each field means, shown on hover and focus. */
const ISOTHERM_CHOICES: Array<[value: string, text: string]> = [
  ['linear', 'linear'], ['langmuir', 'Langmuir (tails)'], ['anti-langmuir', 'anti-Langmuir (fronts)'],
];
const ISOTHERM_HELP = 'How the film takes up the analyte (analytes[i].isotherm). Linear: the paper\'s model, the peak keeps its ' +
  'shape at any amount. Langmuir: the film saturates (dq/dt = ka c (1 − q/qmax) − kd q), so a large amount tails and comes ' +
  'earlier. Anti-Langmuir: uptake grows with loading (ka c (1 + q/qmax) − kd q), so the peak fronts and comes later. A ' +
  'saturating film is solved exactly by the Thomas solution: constant velocity, diffusion neglected.';
const QMAX_HELP = 'Saturation capacity q_max of the film (analytes[i].qMax, mol/m³ of film). The peak\'s shape depends on the ' +
  'loading K c0/qmax (K = ka/kd): below about 0.01 it is the linear peak; anti-Langmuir needs it below 1.';

/** Whether an analyte of the state has a saturating film. */
function saturates(a: Json | undefined): boolean {
  return a?.isotherm === 'langmuir' || a?.isotherm === 'anti-langmuir';
}

let state: Json = btexProblem() as unknown as Json;
/** The operating conditions as a GC user gives them (conditions.ts), written into `state`. */
let conditions: ConditionsForm = formOfState(state);
let problem: Problem | null = null;
let result: ChromatogramResult | null = null;
let profile: ProfileResult | null = null;
let measurement: Measurement | null = null;
let fit: FitResult | null = null;
/**
 * The fitting problem (CONFIG.md `fit` key; k_a, k_d and the column optional) that Fit fits, when
 * one was opened or the crop and windows were set on the plot: the file's problem (or a new one)
 * with the editor's crop, windows and pulse, checked by parseFitProblem. Null otherwise (Fit then
 * fits the simulator's problem) or while it is invalid (`fitSetupError` says why).
 */
let fitProblem: Json | null = null;
let fitSetupError: string | null = null;
let editor: WindowEditor;
/** The text and name of the last CSV opened, re-read when the column or unit choice changes. */
let csvSource: { text: string; name: string } | null = null;
let fd: ChromatogramResult | null = null;
let operations: string[] = [];
/** The chromatogram as last drawn, for the PNG and SVG exports. */
let chromatogramSpec: PlotSpec | null = null;
/** The y range (data units) the chromatogram was last drawn on. */
let chromatogramAxis: PlotFrame | null = null;
/** Which run the page shows: the paper's isothermal model, or a temperature-programmed run. */
let runMode: 'isothermal' | 'programmed' = 'isothermal';
let programForm: ProgramForm = defaultForm();
let programmed: ProgrammedRun | null = null;
/** The run problem last sent to the worker (run form, CONFIG.md). */
let runState: Json | null = null;
/** Number of the latest programmed request: older answers are dropped. */
let programRequest = 0;
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

/** The id of the message element of the field at `path` (key paths hold dots and brackets). */
function errorId(path: string): string {
  return `error-${path.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** A label's text without markup, for aria-label ("k<sub>a</sub>" reads "ka"). */
function plainText(html: string): string {
  return html.replace(/<[^>]*>/g, '');
}

function field(path: string, label: string, unit: string, control: string): string {
  return `<div class="field" data-path="${path}"><span class="label" aria-hidden="true">${label}${unit ? ` <span class="unit">(${unit})</span>` : ''}</span>` +
    `<span class="control">${control}</span><span class="error" id="${errorId(path)}" aria-live="polite"></span></div>`;
}

/** The accessible name of the field at `path`: its label and unit as text. */
function accessibleName(label: string, unit: string): string {
  return escapeXml(plainText(label) + (unit ? ` (${unit})` : ''));
}

function numberInput(path: string, name: string): string {
  const v = getPath(state, path);
  // A loaded problem file may hold any text here: escaped, it stays the value of the field.
  return `<input type="text" inputmode="decimal" name="${path}" aria-label="${name}" aria-describedby="${errorId(path)}" ` +
    `value="${v === undefined ? '' : escapeXml(String(v))}">`;
}

// ---- operating conditions as a GC user gives them (conditions.ts) -------------------------------

function renderConditions(focus?: string): void {
  $('#conditions').innerHTML = conditionsHtml(conditions);
  if (focus) $<HTMLElement>(focus)?.focus();
  lockDerivedFields();
}

/** Under pressure, u₀ and the viscosity are computed: their SI fields are read-only then. */
function lockDerivedFields(): void {
  const pressure = conditions.drive === 'pressure';
  for (const path of ['column.inletVelocity', 'column.viscosity']) {
    document.querySelectorAll<HTMLInputElement>(`input[name="${path}"], input[data-for="${path}"]`).forEach((el) => {
      el.disabled = pressure;
      el.title = pressure ? 'Computed from the pressures, the column and the gas (Poiseuille); choose "inlet velocity u₀" to give it' : '';
    });
  }
}

/** Puts the state's column into the practical fields (all but the one being typed in) and SI fields. */
function showConditions(): void {
  const shown = formOfState(state, conditions);
  for (const key of ['length', 'diameter', 'film', 'temperature', 'inlet', 'outlet', 'velocity'] as const) {
    const el = document.querySelector<HTMLInputElement>(`#cond-${key}`);
    if (el && document.activeElement !== el) el.value = shown[key];
  }
  for (const [path] of FIELDS) {
    const v = getPath(state, path);
    const text = document.querySelector<HTMLInputElement>(`input[name="${CSS.escape(path)}"]`);
    if (text && document.activeElement !== text && typeof v === 'number') text.value = String(v);
    const slider = document.querySelector<HTMLInputElement>(`input[data-for="${CSS.escape(path)}"]`);
    if (slider && typeof v === 'number' && Number.isFinite(v)) slider.value = String(v);
  }
}

function markCondition(field: string, message: string): void {
  const box = document.querySelector(`[data-cond="${field}"]`);
  if (!box) return;
  box.classList.add('invalid');
  box.querySelector('.error')!.textContent = message;
  box.querySelectorAll('input, select').forEach((e) => e.setAttribute('aria-invalid', 'true'));
}

/** Writes the practical fields into the state; false (the field marked) when one is refused. */
function applyConditions(): boolean {
  try {
    applyForm(conditions, state);
    return true;
  } catch (err) {
    if (!(err instanceof ConditionsError)) throw err;
    clearErrors();
    markCondition(err.field, err.message);
    setStatus(`Invalid input: ${err.message}`);
    $('#outputs').classList.add('stale');
    setExports(false, err.message);
    problem = null;
    return false;
  }
}

function onConditions(event: Event): void {
  const el = event.target as HTMLInputElement | HTMLSelectElement;
  const field = el.dataset.condField;
  if (!field) return;
  // Handled here only: a re-render below detaches the element before the form's own handler sees it.
  event.stopPropagation();
  if (field === 'preset') {
    if (event.type !== 'change' || el.value === '') return;
    const [, length, diameter, film] = PRESETS[Number(el.value)];
    conditions = { ...readConditions($('#conditions'), conditions), length: String(length), diameter: String(diameter), film: String(film) };
    renderConditions('#cond-preset');
    $<HTMLSelectElement>('#cond-preset').value = el.value;
  } else if (field === 'unit' || field === 'scale') {
    if (event.type !== 'change') return;
    const read = readConditions($('#conditions'), conditions);
    conditions = convertPressures({ ...read, unit: conditions.unit, scale: conditions.scale }, read.unit as PressureUnit, read.scale);
    renderConditions(`#cond-${field}`);
  } else if (field === 'drive') {
    if (event.type !== 'change') return;
    conditions = readConditions($('#conditions'), conditions);
    // Given u₀ starts from the value the pressures gave.
    if (conditions.drive === 'velocity') conditions.velocity = formOfState(state, conditions).velocity;
    renderConditions(`input[name="cond-drive"][value="${conditions.drive}"]`);
  } else {
    if (event.type === 'change' && el.tagName !== 'SELECT') return;
    conditions = readConditions($('#conditions'), conditions);
  }
  if (!applyConditions()) return;
  showConditions();
  update();
}

/** Flow, mean velocity, hold-up time, u₀ and viscosity of the problem shown. */
function showDerived(p: Problem): void {
  const el = document.querySelector('#cond-derived');
  if (!el) return;
  const c = elution.runConditions(p);
  const tM = elution.holdupTimeAt(c, 0);
  const flow = elution.columnFlowAt(c, 0, elution.FLOW_REFERENCE) / elution.ML_PER_MIN;
  const eta = elution.viscosityAt(c.gas.viscosity, elution.temperatureAt(c, 0));
  el.textContent = `Column flow ${flow.toPrecision(3)} mL/min (at 25 °C, 1 atm) · mean velocity ū ${(100 * elution.meanVelocityAt(c, 0)).toPrecision(4)} cm/s · ` +
    `hold-up time t_M ${(tM / 60).toPrecision(4)} min (${tM.toPrecision(4)} s) · u₀ ${(100 * p.column.inletVelocity).toPrecision(4)} cm/s · ` +
    `viscosity ${(eta * 1e6).toPrecision(4)} µPa s${conditions.drive === 'pressure' ? ` (${conditions.gas} at ${conditions.temperature} °C)` : ''}`;
}

function buildForm(): void {
  $('#column-fields').innerHTML = FIELDS.map(([path, label, unit, slider]) => {
    const name = accessibleName(label, unit);
    const range = slider
      ? `<input type="range" data-for="${path}" aria-label="${name}, slider" min="${slider[0]}" max="${slider[1]}" step="${slider[2]}" value="${getPath(state, path) ?? slider[0]}">`
      : '';
    return field(path, label, unit, range + numberInput(path, name));
  }).join('');
  $<HTMLSelectElement>('#velocity').value = String(getPath(state, 'column.velocity') ?? 'variable');
  conditions = formOfState(state, conditions);
  renderConditions();
  const analytes = (state.analytes as Json[] | undefined) ?? [];
  $('#analytes').innerHTML = analytes.map((_, i) => {
    const p = `analytes[${i}]`;
    const who = escapeXml(String(getPath(state, `${p}.name`) ?? `analyte ${i + 1}`));
    const log = (key: 'ka' | 'kd') => {
      const v = Number(getPath(state, `${p}.${key}`));
      const [lo, hi] = LOG_RANGE[key];
      // A logarithmic slider announces the rate constant, not its log10.
      return `<input type="range" data-for="${p}.${key}" data-log aria-label="${key === 'ka' ? 'ka' : 'kd'} of ${who} (1/s), logarithmic slider" ` +
        `aria-valuetext="${Number.isFinite(v) ? escapeXml(String(v)) : ''} per second" min="${lo}" max="${hi}" step="0.001" ` +
        `value="${Number.isFinite(v) && v > 0 ? Math.log10(v) : lo}">`;
    };
    return `<div class="analyte" data-analyte-index="${i}">` +
      `<div class="head"><span class="swatch" style="background:${PALETTE[i % PALETTE.length]}"></span>` +
      `<div class="field name" data-path="${p}.name"><span class="control"><input type="text" name="${p}.name" ` +
      `aria-label="Name of analyte ${i + 1}" aria-describedby="${errorId(`${p}.name`)}" value="${escapeXml(String(getPath(state, `${p}.name`) ?? ''))}"></span>` +
      `<span class="error" id="${errorId(`${p}.name`)}" aria-live="polite"></span></div>` +
      `<button type="button" data-remove="${i}" aria-label="Remove analyte ${who}" title="Remove this analyte">✕</button></div>` +
      field(`${p}.ka`, 'k<sub>a</sub>', '1/s', log('ka') + numberInput(`${p}.ka`, `ka of ${who} (1/s)`)) +
      field(`${p}.kd`, 'k<sub>d</sub>', '1/s', log('kd') + numberInput(`${p}.kd`, `kd of ${who} (1/s)`)) +
      field(`${p}.c0`, 'Inlet c₀', 'mol/m³', numberInput(`${p}.c0`, `Inlet c0 of ${who} (mol/m³)`)) +
      field(`${p}.response`, 'Response f', 'signal per mol/m³', numberInput(`${p}.response`, `Response f of ${who} (signal per mol/m³)`)) +
      isothermFields(i, who) +
      '</div>';
  }).join('');
}

/** A field explained on hover and focus: its hint is also part of its inputs' description. */
function explainedField(path: string, label: string, unit: string, control: string, help: string): string {
  const hint = `hint-${errorId(path)}`;
  return `<div class="field explained" data-path="${path}" title="${escapeXml(help)}"><span class="label" aria-hidden="true">${label}` +
    `${unit ? ` <span class="unit">(${unit})</span>` : ''}</span><span class="control">${control.replace('aria-describedby="', `aria-describedby="${hint} `)}</span>` +
    `<span class="hint" id="${hint}">${escapeXml(help)}</span><span class="error" id="${errorId(path)}" aria-live="polite"></span></div>`;
}

/** The isotherm of analyte i and, for a saturating film, its q_max. */
function isothermFields(i: number, who: string): string {
  const p = `analytes[${i}]`;
  const a = (state.analytes as Json[])[i];
  const value = typeof a?.isotherm === 'string' ? a.isotherm : 'linear';
  // a value the page does not offer (a loaded file's) stays selectable, so the library's message names it
  const choices = ISOTHERM_CHOICES.some(([v]) => v === value) ? ISOTHERM_CHOICES : [...ISOTHERM_CHOICES, [value, value]];
  const select = `<select name="${p}.isotherm" aria-label="Isotherm of ${who}" aria-describedby="${errorId(`${p}.isotherm`)}">` +
    choices.map(([v, t]) => `<option value="${escapeXml(v)}"${v === value ? ' selected' : ''}>${escapeXml(t)}</option>`).join('') + '</select>';
  let html = explainedField(`${p}.isotherm`, 'Isotherm', '', select, ISOTHERM_HELP);
  if (saturates(a) || a?.qMax !== undefined) {
    html += explainedField(`${p}.qMax`, 'Capacity q<sub>max</sub>', 'mol/m³ of film',
      numberInput(`${p}.qMax`, `Saturation capacity qmax of ${who} (mol/m³ of film)`), QMAX_HELP);
  }
  return html;
}

/**
 * A new isotherm: a saturating film gets a q_max (loading K c0/qmax = 0.3 when ka, kd and c0 are
 * numbers) if it has none, a linear one loses its q_max (the library refuses q_max with a linear
 * isotherm); the form is rebuilt with the focus kept on the isotherm.
 */
function onIsotherm(path: string, value: string): void {
  const base = path.slice(0, -'.isotherm'.length);
  const a = getPath(state, base) as Json;
  if (value === 'linear') {
    delete a.isotherm;
    delete a.qMax;
  } else if (a.qMax === undefined) {
    const load = (Number(a.ka) / Number(a.kd)) * Number(a.c0);
    if (Number.isFinite(load) && load > 0) a.qMax = Number((load / 0.3).toPrecision(3));
  }
  buildForm();
  document.querySelector<HTMLSelectElement>(`select[name="${CSS.escape(path)}"]`)?.focus();
}

function onInput(event: Event): void {
  const el = event.target as HTMLInputElement | HTMLSelectElement;
  // The run mode and the program editor have their own handlers.
  if (el.closest('#run-mode, #programmed-inputs, #conditions')) return;
  if (el.dataset.for) {
    // A slider: write the value to its text field and the state.
    const path = el.dataset.for;
    const value = 'log' in el.dataset ? Number((10 ** Number(el.value)).toPrecision(5)) : Number(el.value);
    if ('log' in el.dataset) el.setAttribute('aria-valuetext', `${value} per second`);
    const text = document.querySelector<HTMLInputElement>(`input[name="${CSS.escape(path)}"]`);
    if (text) text.value = String(value);
    setPath(state, path, value);
  } else if (el.name) {
    const path = el.name;
    const isText = path.endsWith('.name') || path.endsWith('.isotherm') || path === 'column.velocity';
    const value = isText ? el.value : readNumber(el.value);
    setPath(state, path, value);
    if (path.endsWith('.isotherm')) {
      // select fires input and change: the form is rebuilt once
      if (event.type !== 'change') return;
      onIsotherm(path, el.value);
    }
    const slider = document.querySelector<HTMLInputElement>(`input[data-for="${CSS.escape(path)}"]`);
    if (slider && typeof value === 'number' && Number.isFinite(value)) {
      slider.value = String('log' in slider.dataset ? Math.log10(value) : value);
    }
  } else {
    return;
  }
  // The practical fields show the same column; under pressure, u₀ follows the new values.
  if (el.name?.startsWith('column.') || el.dataset.for?.startsWith('column.')) {
    conditions = formOfState(state, conditions);
    if (conditions.drive === 'pressure' && !applyConditions()) return;
    showConditions();
  }
  update();
}

// ---- validation and redraw ---------------------------------------------------------------------

function showError(err: unknown): void {
  clearErrors();
  let message = err instanceof Error ? err.message : String(err);
  const path = err instanceof ProblemError || err instanceof ProblemTypeError ? err.path : undefined;
  // The practical field of the same key shows the message too.
  const cond = conditionsFieldOf(path);
  if (cond && path !== 'column.inletVelocity') markCondition(cond, message);
  const box = path ? document.querySelector(`[data-path="${CSS.escape(path)}"]`) : null;
  if (box) {
    // The library sees Number(text): say what was typed, not "NaN".
    const typed = box.querySelector<HTMLInputElement>('input[type="text"]')?.value;
    if (typed !== undefined) message = message.replace(/got NaN\b/, `got "${typed}"`);
    box.classList.add('invalid');
    box.querySelector('.error')!.textContent = message;
    box.querySelectorAll('input, select').forEach((e) => e.setAttribute('aria-invalid', 'true'));
  } else {
    $('#problem-error').textContent = message;
  }
  setStatus(`Invalid input: ${message}`);
  // The plots still show the last valid problem: grey them until the input is fixed, and export nothing.
  $('#outputs').classList.add('stale');
  setExports(false, message);
}

function clearErrors(): void {
  document.querySelectorAll('.invalid').forEach((e) => e.classList.remove('invalid'));
  document.querySelectorAll('#inputs [aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
  document.querySelectorAll('#inputs .error').forEach((e) => { e.textContent = ''; });
}

/** Exports only what the form shows: disabled (with the reason) while an input is invalid. */
function setExports(enabled: boolean, reason = ''): void {
  document.querySelectorAll<HTMLButtonElement>('#exports button').forEach((b) => {
    b.disabled = !enabled;
    b.title = enabled ? '' : `Fix the input first: ${reason}`;
  });
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
  // A saturating film (MODEL.md §13) is solved by the Thomas solution: no diffusion, outlet only.
  const saturating = problem.analytes.some((a) => a.isotherm === 'langmuir' || a.isotherm === 'anti-langmuir');
  try {
    result = chromatogram(problem, saturating ? { diffusion: false } : {});
  } catch (err) {
    // the Thomas solution's conditions (constant velocity, ...), named by their key
    problem = null;
    showError(err);
    return;
  }
  clearErrors();
  $('#outputs').classList.remove('stale');
  setExports(true);
  showDerived(problem);
  const timeSlider = $<HTMLInputElement>('#profile-time');
  timeSlider.max = String(problem.output.end);
  timeSlider.disabled = saturating;
  const at = Math.min(Number(timeSlider.value), problem.output.end);
  profile = saturating ? null : profiles(problem, { times: [at], points: 801 }); // bands near the inlet are ~0.1 m wide
  fd = null;
  draw();
  const ms = performance.now() - started;
  timings.push(ms);
  setStatus(`Solved ${problem.analytes.length} analytes × ${result.times.length} times in ${ms.toFixed(2)} ms ` +
    `(${result.cost.engine}, ${result.status.code})` + (saturating ? ', saturating films by the Thomas solution, diffusion neglected.' : '.') +
    ((result.warnings ?? []).length > 0 ? ` ${result.warnings!.join(' ')}` : ''));
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
  if (runMode === 'programmed') return drawProgrammed();
  if (!result || !problem) return;
  // "Detector signal" needs a response factor for every analyte: otherwise it is not offered.
  const signalOption = $<HTMLSelectElement>('#mode').querySelector<HTMLOptionElement>('option[value="signal"]')!;
  signalOption.disabled = !result.signal;
  signalOption.textContent = result.signal ? 'detector signal' : 'detector signal (needs every analyte\'s response f)';
  if (!result.signal) $<HTMLSelectElement>('#mode').value = 'concentration';
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
  const at = profile ? profile.times[0] : undefined;
  // The y axis spans at least 1e-3 of the tallest peak the moments expect (area / (σ √(2π))), so a
  // window past every peak draws a flat line, not the tails' rounding noise scaled up into a peak.
  const expected = Math.max(...result.analytes.map((a) => a.moments.area / (a.moments.sigma * Math.sqrt(2 * Math.PI))));
  const floor = mode === 'signal' ? undefined : 1e-3 * expected;
  chromatogramSpec = {
    xLabel: 'time t (s)', yLabel: mode === 'signal' ? 'detector signal' : 'c(L, t) (mol/m³)', series, marker: at, yFloor: floor,
  };
  chromatogramAxis = drawPlot($<HTMLCanvasElement>('#chromatogram'), chromatogramSpec);
  const profileCanvas = $<HTMLCanvasElement>('#profile');
  // (a canvas is display: block in the style sheet, which the hidden attribute does not override)
  profileCanvas.style.display = profile ? '' : 'none';
  $('#profile-note').textContent = profile ? '' : 'No axial profile: the Thomas solution of a saturating film (MODEL.md §13) gives the outlet ' +
    'chromatogram only; finite differences (method fd, elution profile --method fd) give profiles with it.';
  if (profile) {
    drawPlot(profileCanvas, {
      xLabel: 'position x (m)', yLabel: `c(x, ${at} s) (mol/m³)`,
      series: profile.analyteNames.map((name, i) => ({ label: name, x: profile!.x, y: profile!.concentrations[0][i], color: PALETTE[i % PALETTE.length] })),
    });
    $<HTMLOutputElement>('#profile-time-value').value = `${at} s`;
  }
  drawOverload();
  const fmt = (v: number, d = 4) => (Number.isFinite(v) ? Number(v.toPrecision(d)).toString() : '–');
  // An analyte whose peak lies outside the output window has no located peak to show.
  const outside = new Set((result.warnings ?? []).map((w) => result!.analytes.find((a) => w.startsWith(`${a.name}: the peak lies outside`))?.name));
  $('#peaks tbody').replaceChildren(...result.analytes.map((a) => tableRow(a.name, outside.has(a.name) ? [
    [a.name], [fmt(a.moments.mean, 6), 'mean'], ['outside the output window', 'peak-time'], ['–'],
  ] : [
    [a.name], [fmt(a.moments.mean, 6), 'mean'], [fmt(a.peak.time, 6), 'peak-time'], [fmt(a.peak.height)],
    [fmt(a.moments.plates)], [a.resolutionToNext === null ? '–' : fmt(a.resolutionToNext, 3)],
  ])));
}


/** The overload series last drawn (for the tests and the console). */
let overload: elution.OverloadSeries | null = null;

/**
 * The selected saturating analyte's peak against injected amount (overloadSeries): c/c0 at a
 * tenth, a third, 1x and 3x its loading ((1 + λ)/2 for anti-Langmuir), on the problem's times.
 */
function drawOverload(): void {
  const panel = $('#overload-panel');
  const names = problem ? problem.analytes.filter((a) => a.isotherm === 'langmuir' || a.isotherm === 'anti-langmuir').map((a) => a.name) : [];
  panel.hidden = names.length === 0;
  if (names.length === 0) {
    overload = null;
    return;
  }
  const select = $<HTMLSelectElement>('#overload-analyte');
  const chosen = names.includes(select.value) ? select.value : names[0];
  select.replaceChildren(...names.map((n) => {
    const o = document.createElement('option');
    o.value = o.textContent = n;
    o.selected = n === chosen;
    return o;
  }));
  overload = elution.overloadSeries(problem!, chosen, { diffusion: false });
  const s = overload;
  const short = (x: number) => String(Number(x.toPrecision(3)));
  // the time axis spans the peaks: where a curve exceeds 1e-3 of the tallest, a tenth of that span either side
  const top = Math.max(...s.curves.map((c) => c.peak.height));
  let first = Infinity;
  let last = -Infinity;
  for (const c of s.curves) {
    c.concentration.forEach((v, j) => {
      if (v > 1e-3 * top) {
        first = Math.min(first, s.times[j]);
        last = Math.max(last, s.times[j]);
      }
    });
  }
  const margin = last > first ? 0.1 * (last - first) : 0;
  drawPlot($<HTMLCanvasElement>('#overload'), {
    xLabel: 'time t (s)', yLabel: 'c / c₀',
    xRange: last > first ? [Math.max(s.times[0], first - margin), Math.min(s.times[s.times.length - 1], last + margin)] : undefined,
    series: s.curves.map((c, i) => ({
      label: `K c₀/qmax = ${short(c.loading)}${c.loading === s.ownLoading ? ' (this problem)' : ''}`,
      x: s.times, y: c.concentration, color: PALETTE[i % PALETTE.length], width: c.loading === s.ownLoading ? 2.5 : 1.5,
    })),
  });
  const bad = s.curves.filter((c) => c.status.code !== 'success');
  $('#overload-note').textContent = `${chosen}: the outlet peak divided by c₀ at K c₀/qmax = ${s.curves.map((c) => short(c.loading)).join(', ')} ` +
    `(q_max kept, c₀ varied; Thomas solution). ` + (s.isotherm === 'langmuir'
    ? 'As the amount grows the Langmuir film saturates: the front sharpens and comes earlier while the tail stays. '
    : 'As the amount grows the anti-Langmuir film takes up more: the rear sharpens and the peak comes later, fronting. ') +
    (bad.length === 0 ? `Every curve keeps the area t₁ = ${s.pulse} s.`
      : `Not faithful at K c₀/qmax = ${bad.map((c) => short(c.loading)).join(', ')}: ${bad[0].status.message}.`);
}

// ---- temperature-programmed mode -------------------------------------------------------------

function renderProgramForm(focus?: string): void {
  const root = $('#programmed-inputs');
  root.innerHTML = formHtml(programForm);
  const el = focus ? root.querySelector<HTMLElement>(focus) : null;
  el?.focus();
  // A new row's prefilled value is selected, so typing replaces it.
  if (el instanceof HTMLInputElement && el.type === 'text') el.select();
}

/** Reads the editor, checks its fields, sends the run to the worker and draws the answer. */
async function updateProgrammed(): Promise<void> {
  const root = $('#programmed-inputs');
  programForm = readForm(root, programForm);
  clearFieldErrors(root);
  $('#problem-error').textContent = '';
  let problemJson: Json;
  try {
    problemJson = runProblem(programForm);
    $<HTMLOutputElement>('#program-text').value = programText(programForm);
  } catch (err) {
    if (err instanceof FieldError) return invalidProgram(err.field, err.message);
    throw err;
  }
  const request = ++programRequest;
  const started = performance.now();
  try {
    const value = await solver.run<ProgrammedRun>('programmed', [problemJson, {}]);
    if (request !== programRequest) return;
    programmed = value;
    runState = problemJson;
    $('#outputs').classList.remove('stale');
    drawProgrammed();
    const ms = performance.now() - started;
    setStatus(`Programmed run: ${value.result.analytes.length} analytes by the migration equation in the worker, ` +
      `${ms.toFixed(1)} ms (${value.result.status.code}).`);
  } catch (err) {
    if (request !== programRequest) return;
    const e = err as Error & { path?: string };
    const field = fieldOfError(e.path, e.message);
    invalidProgram(field, e.message);
  }
}

function invalidProgram(field: string | undefined, message: string): void {
  const root = $('#programmed-inputs');
  if (!(field !== undefined && showFieldError(root, field, message))) $('#problem-error').textContent = message;
  setStatus(`Invalid input: ${message}`);
  $('#outputs').classList.add('stale');
}

function drawProgrammed(): void {
  if (!programmed) return;
  const { result: r, traces } = programmed;
  drawPlot($<HTMLCanvasElement>('#chromatogram'), {
    xLabel: 'time t (s)', yLabel: 'c(L, t) (mol/m³)',
    series: r.analytes.map((a, i) => ({ label: a.name, x: r.times, y: a.concentration, color: PALETTE[i % PALETTE.length] })),
  });
  drawPlot($<HTMLCanvasElement>('#program-trace'), {
    xLabel: 'time t (s)', yLabel: 'oven T (°C)',
    series: [{ label: 'oven temperature', x: traces.times, y: traces.temperature.map((T) => T - 273.15), color: '#444' }],
  });
  $('#run-peaks tbody').replaceChildren(...peakRows(programmed).map((cells) => tableRow(cells[0], cells.map((c) => [c]))));
}

function setMode(next: 'isothermal' | 'programmed'): void {
  runMode = next;
  const programmedMode = next === 'programmed';
  $('#programmed-inputs').hidden = !programmedMode;
  $('#isothermal-inputs').hidden = programmedMode;
  $('#program-panel').hidden = !programmedMode;
  $('#isothermal-outputs').hidden = programmedMode;
  $('#peaks').hidden = programmedMode;
  $('#mode').closest('label')!.hidden = programmedMode;
  $('#problem-error').textContent = '';
  if (programmedMode) {
    if (!$('#programmed-inputs').firstChild) renderProgramForm();
    void updateProgrammed();
  } else {
    update();
  }
}

function wireProgram(): void {
  const root = $('#programmed-inputs');
  root.addEventListener('input', (e) => {
    if ((e.target as HTMLElement).dataset.field) void updateProgrammed();
  });
  root.addEventListener('change', (e) => {
    const field = (e.target as HTMLElement).dataset.field;
    if (field === 'control') {
      programForm = readForm(root, programForm);
      renderProgramForm(`input[name="pf-control"][value="${programForm.control}"]`);
    }
    if (field) void updateProgrammed();
  });
  root.addEventListener('click', (e) => {
    const target = e.target as HTMLElement;
    if (target.id === 'add-ramp') {
      programForm = readForm(root, programForm);
      const last = programForm.ramps[programForm.ramps.length - 1];
      programForm.ramps.push({ rate: last?.rate ?? '10', target: last?.target ?? programForm.initial, hold: '0' });
      renderProgramForm(`#pf-ramp-${programForm.ramps.length - 1}-rate`);
      void updateProgrammed();
    } else if (target.dataset.removeRamp !== undefined) {
      programForm = readForm(root, programForm);
      const i = Number(target.dataset.removeRamp);
      programForm.ramps.splice(i, 1);
      // Focus stays in the table: the next row's remove button, else the previous, else "Add ramp".
      const next = Math.min(i, programForm.ramps.length - 1);
      renderProgramForm(next >= 0 ? `[data-remove-ramp="${next}"]` : '#add-ramp');
      void updateProgrammed();
    }
  });
  document.querySelectorAll<HTMLInputElement>('input[name="run-mode"]').forEach((radio) =>
    radio.addEventListener('change', () => radio.checked && setMode(radio.value as 'isothermal' | 'programmed')));
}

// ---- worker: fit and finite differences ------------------------------------------------------

const solver = new SolverClient(() => new Worker(new URL('./solver.worker.ts', import.meta.url), { type: 'module' }));
let running: AbortController | null = null;

function updateButtons(): void {
  const busy = running !== null;
  const fitButton = $<HTMLButtonElement>('#fit');
  fitButton.disabled = busy || !measurement || (editor.active ? !fitProblem : !problem);
  fitButton.title = measurement ? '' : 'Load a measured chromatogram first';
  $<HTMLButtonElement>('#apply-fit').disabled = busy || !fit || fit.phaseRatioFolded;
  $<HTMLButtonElement>('#export-fit-json').disabled = !fitProblem;
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
  const target = editor.active ? fitProblem : problem;
  if (!target || !measurement) return;
  const data = measurement;
  const value = await inWorker('Fit', '#fit-note', (signal) =>
    solver.run<FitResult>('fit', [target, { time: data.time, signal: data.signal }], { onProgress, signal }));
  if (!value) return;
  fit = value;
  drawFit();
  const fmt = (v: number) => (typeof v === 'number' && Number.isFinite(v) ? Number(v.toPrecision(6)).toString() : '–');
  const table = $<HTMLTableElement>('#fit-table');
  table.hidden = false;
  table.tBodies[0].replaceChildren(...value.analytes.map((a) => tableRow(a.name, [
    [a.name], [fmt(a.ka), 'ka'], [fmt(a.kd), 'kd'], [fmt(a.K)], [fmt(a.qe)], [fmt(a.beta)], [fmt(a.sse)], [fmt(a.r2), 'r2'],
    [fmt(a.standardErrors?.ka)], [fmt(a.standardErrors?.kd)],
    [a.isotherm?.form ?? 'linear', 'isotherm'], [a.isotherm ? fmt(a.isotherm.loading) : '–', 'loading'],
    [a.isotherm?.qMax != null ? fmt(a.isotherm.qMax) : '–', 'qmax'],
    [typeof a.status === 'object' && a.status ? String((a.status as { code?: unknown }).code) : String(a.status)],
  ])));
  if (!editor.active) $<HTMLSelectElement>('#mode').value = 'signal';
  updateButtons();
  draw();
}

/**
 * The fit over the range it used (the crop), windows shaded, and below it the residual inside the
 * windows on its own scale.
 */
function drawFit(): void {
  const plot = $<HTMLCanvasElement>('#fit-plot');
  const below = $<HTMLCanvasElement>('#fit-residual');
  plot.hidden = below.hidden = !fit;
  if (!fit) return;
  const f = fit.fitted;
  const bands = fit.analytes.map((a, i) => ({ start: a.window.start, end: a.window.end, color: PALETTE[i % PALETTE.length], label: a.name }));
  drawPlot(plot, {
    xLabel: 'time t (s)', yLabel: 'detector signal', bands,
    series: [
      { label: 'measured', x: f.time, y: f.measured, color: '#555555', width: 1, points: true },
      { label: 'fitted', x: f.time, y: f.signal, color: PALETTE[1], width: 1.2 },
    ],
  });
  const inside = (t: number) => fit!.analytes.some((a) => t >= a.window.start && t <= a.window.end);
  drawPlot(below, {
    xLabel: 'time t (s)', yLabel: 'residual', bands,
    series: [{ label: 'measured − fitted', x: f.time, y: f.measured.map((m, j) => (inside(f.time[j]) ? m - f.signal[j] : NaN)), color: PALETTE[0], width: 1 }],
  });
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
  editor.setData(data, Number(getPath(state, 'injection.duration')));
  fit = null;
  drawFit();
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
      const json = JSON.parse(text) as Json;
      if (isFittingProblem(json)) {
        // Checked as `elution fit` checks it; the simulator's form keeps its problem.
        elution.parseFitProblem(json);
        editor.load(json);
        fitSetupChanged();
        fit = null;
        drawFit();
        const names = ((json.analytes as Json[] | undefined) ?? []).map((a) => String(a.name)).join(', ');
        $('#fit-problem-info').textContent = `Fitting problem loaded from ${file.name}: ${names}` +
          `${json.column === undefined ? '; geometry unknown (α folded into k_a)' : ''}. Fit fits it to the measured chromatogram.`;
        updateButtons();
        return;
      }
      state = json;
      conditions.drive = 'velocity';
      editor.unload();
      fitSetupChanged();
      $('#fit-problem-info').textContent = '';
      buildForm();
      update();
      $('#data-info').textContent = `Problem loaded from ${file.name}.`;
    } else {
      csvSource = { text, name: file.name };
      readCsv();
    }
  } catch (err) {
    $('#data-info').textContent = `${file.name}: ${(err as Error).message}`;
  }
}

/** A problem for `elution fit` rather than the simulator: a `fit` key, no column, or an analyte without k_a or k_d. */
function isFittingProblem(json: Json): boolean {
  const analytes = Array.isArray(json.analytes) ? (json.analytes as Json[]) : [];
  return json.fit !== undefined || json.column === undefined || analytes.some((a) => a?.ka === undefined || a?.kd === undefined);
}

/** Reads the last CSV with the chosen columns and time unit, as `elution fit` does with the same options. */
function readCsv(): void {
  if (!csvSource) return;
  const column = (id: string) => {
    const v = $<HTMLInputElement>(id).value.trim();
    return v === '' ? undefined : /^\d+$/.test(v) ? Number(v) : v;
  };
  try {
    setMeasurement(parseChromatogramCsv(csvSource.text, {
      timeColumn: column('#csv-time'), signalColumn: column('#csv-signal'),
      timeUnit: $<HTMLSelectElement>('#csv-unit').value as 's' | 'min' | 'ms',
    }), csvSource.name);
  } catch (err) {
    $('#data-info').textContent = `${csvSource.name}: ${(err as Error).message}`;
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
  $('#conditions').addEventListener('input', onConditions);
  $('#conditions').addEventListener('change', onConditions);
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
    conditions.drive = 'velocity';
    buildForm();
    update();
  });
  $('#mode').addEventListener('change', draw);
  $('#overload-analyte').addEventListener('change', drawOverload);
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
  for (const id of ['#csv-time', '#csv-signal', '#csv-unit']) $(id).addEventListener('change', readCsv);
  $('#export-fit-json').addEventListener('click', () => {
    if (fitProblem) download('fitting-problem.json', new Blob([JSON.stringify(fitProblem, null, 2) + '\n'], { type: 'application/json' }));
  });
  $('#apply-fit').addEventListener('click', applyFit);
  $('#fd').addEventListener('click', () => void runFd());
  $('#cancel').addEventListener('click', () => running?.abort());
  $('#export-csv').addEventListener('click', () => {
    if (runMode === 'programmed' && programmed) {
      const r = programmed.result;
      download('chromatogram.csv', new Blob([elution.columnsCsv(['time', ...r.analytes.map((a) => a.name), ...(r.signal ? ['signal'] : [])],
        [r.times, ...r.analytes.map((a) => a.concentration), ...(r.signal ? [r.signal] : [])])], { type: 'text/csv' }));
    } else if (result) download('chromatogram.csv', new Blob([chromatogramCsv(result)], { type: 'text/csv' }));
  });
  $('#export-png').addEventListener('click', () => {
    // At twice the size on screen, whatever the screen's pixel ratio: sharp in print and slides.
    const shown = $<HTMLCanvasElement>('#chromatogram');
    const canvas = document.createElement('canvas');
    const spec = runMode === 'programmed' ? null : chromatogramSpec;
    if (!spec) return shown.toBlob((blob) => blob && download('chromatogram.png', blob), 'image/png');
    drawPlot(canvas, spec, 2, shown.clientWidth || 800, shown.clientHeight || 300);
    canvas.toBlob((blob) => blob && download('chromatogram.png', blob), 'image/png');
  });
  $('#export-svg').addEventListener('click', () => {
    const spec = chromatogramSpec;
    if (!spec || runMode === 'programmed') return;
    const svg = elution.lineChart({
      x: { label: 'time t', unit: 's' }, y: { label: spec.yLabel.replace(/ \(.*\)$/, ''), unit: spec.yLabel.match(/\(([^)]*)\)$/)?.[1] ?? '' },
      series: spec.series.map((s) => ({ label: s.label, x: s.x, y: s.y, color: s.color, style: s.dashed ? 'dashed' : 'solid' })),
    });
    download('chromatogram.svg', new Blob([elution.standaloneSvg(svg)], { type: 'image/svg+xml' }));
  });
  $('#export-json').addEventListener('click', () => {
    // The problem the page shows, in the format the page and `elution simulate` read back.
    const body = runMode === 'programmed' ? (runState ?? {}) : (problem ?? state);
    download('problem.json', new Blob([JSON.stringify(body, null, 2) + '\n'], { type: 'application/json' }));
  });
  // A window resize (or a zoom: the pixel ratio) redraws at once; a plot whose box changed for
  // another reason (a panel shown, a phone rotated) is redrawn at the next frame.
  window.addEventListener('resize', () => { draw(); drawFit(); editor.draw(); });
  onPlotResize(() => { draw(); drawFit(); editor.draw(); });
}

/** For the console and the end-to-end tests. */
const app = {
  get state() { return state; },
  get result() { return result; },
  get fit() { return fit; },
  get overload() { return overload; },
  get chromatogramAxis() { return chromatogramAxis; },
  get measurement() { return measurement; },
  get fitProblem() { return fitProblem; },
  get windowEditor() { return editor; },
  timings, solver, exampleCsv, EXAMPLE_TRUTH, redraw: update,
  get operations() { return operations; },
  get mode() { return runMode; },
  get programmed() { return programmed; },
  get runState() { return runState; },
  setMode,
  ready: null as Promise<void> | null,
};
Object.assign(window, { elution, app });

/** Rebuilds the fitting problem from the editor and checks it as `elution fit` does. */
function fitSetupChanged(): void {
  fitProblem = null;
  fitSetupError = null;
  if (editor.active) {
    try {
      const p = editor.problem();
      elution.parseFitProblem(p);
      fitProblem = p;
    } catch (err) {
      fitSetupError = (err as Error).message;
    }
  }
  $('#fit-setup-error').textContent = fitSetupError ?? '';
  updateButtons();
}

async function start(): Promise<void> {
  // The wasm comes from its URL (compiled while it streams in); the worker uses the embedded copy.
  await loadWasm(elution.wasmUrl);
  editor = new WindowEditor($('#fit-setup'), $<HTMLCanvasElement>('#window-plot'), fitSetupChanged);
  buildForm();
  wire();
  wireProgram();
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
