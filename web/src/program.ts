/**
 * The page's temperature-programmed mode: an oven program editor (initial temperature and hold,
 * rows of ramps with rate, target and hold; rows added and removed), the carrier gas, and the
 * carrier driven by inlet pressure (with its unit, gauge or absolute) or by column flow. The run
 * is a problem in the run form (CONFIG.md "Run conditions"): the program goes in as GC notation,
 * so the library's messages speak °C and name the step, which is mapped back onto the row and
 * field it concerns. Each field carries its own error (aria-invalid, aria-describedby).
 * Computation happens in the solver worker (`programmed` operation).
 */
import { escapeXml, GAS_NAMES, programmedProblem, type ProgrammedRun } from 'elution';

type Json = Record<string, unknown>;

/** One ramp row as typed: rate (°C/min), target (°C), hold (min). */
export interface RampRow {
  rate: string;
  target: string;
  hold: string;
}

/** The editor's contents, as typed (text), so that a half-typed value stays in its field. */
export interface ProgramForm {
  initial: string;
  hold: string;
  ramps: RampRow[];
  gas: string;
  control: 'pressure' | 'flow';
  pressure: string;
  pressureUnit: 'kPa' | 'bar' | 'psi';
  pressureScale: 'gauge' | 'absolute';
  flow: string;
}

/** The example run's editor contents: 40 °C 1 min, 10 °C/min to 300 °C, 2 min; helium at 1.2 mL/min. */
export function defaultForm(): ProgramForm {
  return {
    initial: '40', hold: '1', ramps: [{ rate: '10', target: '300', hold: '2' }],
    gas: 'He', control: 'flow', pressure: '100', pressureUnit: 'kPa', pressureScale: 'gauge', flow: '1.2',
  };
}

const PA_PER: Record<ProgramForm['pressureUnit'], number> = { kPa: 1e3, bar: 1e5, psi: 6894.757293168361 };

/** A field's problem found before the library sees the run: which field, and what is wrong. */
export class FieldError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

function decimal(text: string, field: string, what: string, rule: 'any' | 'nonnegative' | 'positive'): number {
  const v = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(v)) throw new FieldError(field, `${what} must be a number, got "${text}"`);
  if (rule === 'nonnegative' && v < 0) throw new FieldError(field, `${what} must be ≥ 0, got ${v}`);
  if (rule === 'positive' && v <= 0) throw new FieldError(field, `${what} must be > 0, got ${v}`);
  return v;
}

/** Shortest text of a number for GC notation (no exponent for ordinary values). */
function plain(v: number): string {
  return String(Number(v.toPrecision(12)));
}

/** The program in GC notation, e.g. "40(1)-10-300(2)", from the editor; FieldError on a bad field. */
export function programText(form: ProgramForm): string {
  const initial = decimal(form.initial, 'initial', 'Initial temperature', 'any');
  const hold = decimal(form.hold, 'hold', 'Initial hold', 'nonnegative');
  let text = `${plain(initial)}${hold > 0 ? `(${plain(hold)})` : ''}`;
  form.ramps.forEach((r, i) => {
    const rate = decimal(r.rate, `ramp-${i}-rate`, `Ramp ${i + 1} rate`, 'nonnegative');
    const target = decimal(r.target, `ramp-${i}-target`, `Ramp ${i + 1} target`, 'any');
    const h = decimal(r.hold, `ramp-${i}-hold`, `Ramp ${i + 1} hold`, 'nonnegative');
    text += `-${plain(rate)}-${plain(target)}${h > 0 ? `(${plain(h)})` : ''}`;
  });
  return text;
}

/** The run problem (run form) of the editor, with the example's column and analytes. */
export function runProblem(form: ProgramForm, base: Json = programmedProblem()): Json {
  const problem = structuredClone(base);
  problem.oven = { program: programText(form) };
  const carrier: Json = { gas: form.gas };
  if (form.control === 'pressure') {
    const p = decimal(form.pressure, 'pressure', 'Inlet pressure', 'any');
    carrier.inletPressure = p * PA_PER[form.pressureUnit];
    carrier.pressureScale = form.pressureScale;
  } else {
    carrier.flow = (decimal(form.flow, 'flow', 'Column flow', 'any') * 1e-6) / 60;
  }
  problem.carrier = carrier;
  return problem;
}

/**
 * The editor field a library message concerns: `oven.program: step n: ...` is the initial
 * temperature or hold (step 1) or ramp n − 1, the field by the word the message starts with;
 * `carrier.*` the carrier's fields. Undefined when the message names none of them.
 */
export function fieldOfError(path: string | undefined, message: string): string | undefined {
  if (path === undefined) return undefined;
  if (path === 'carrier.gas') return 'gas';
  if (path === 'carrier.inletPressure' || path === 'carrier') return 'pressure';
  if (path === 'carrier.flow') return 'flow';
  if (path !== 'oven.program') return undefined;
  const m = /^oven\.program: step (\d+): (\w+)/.exec(message);
  if (!m) return 'initial';
  const step = Number(m[1]);
  const word = m[2];
  if (step === 1) return word === 'hold' ? 'hold' : 'initial';
  const field = word === 'rate' ? 'rate' : word === 'hold' ? 'hold' : 'target';
  return `ramp-${step - 2}-${field}`;
}

// ---- the form's markup ------------------------------------------------------------------------

function input(id: string, label: string, unit: string, value: string, extra = ''): string {
  return `<div class="field" data-field="${id}"><label class="label" for="pf-${id}">${label} <span class="unit">(${unit})</span></label>` +
    `<span class="control"><input id="pf-${id}" type="text" inputmode="decimal" value="${escapeXml(value)}" ` +
    `data-field="${id}" aria-describedby="pf-${id}-error"${extra}></span>` +
    `<span class="error" id="pf-${id}-error" aria-live="polite"></span></div>`;
}

/** The editor's HTML for `form`. */
export function formHtml(form: ProgramForm): string {
  const gas = `<div class="field" data-field="gas"><label class="label" for="pf-gas">Carrier gas</label><span class="control">` +
    `<select id="pf-gas" data-field="gas" aria-describedby="pf-gas-error">${GAS_NAMES.map((g) =>
      `<option value="${g}"${g === form.gas ? ' selected' : ''}>${g}</option>`).join('')}</select></span>` +
    `<span class="error" id="pf-gas-error" aria-live="polite"></span></div>`;
  const control = `<fieldset class="control-kind"><legend>Carrier driven by</legend>` +
    `<label><input type="radio" name="pf-control" value="pressure" data-field="control"${form.control === 'pressure' ? ' checked' : ''}> inlet pressure</label>` +
    `<label><input type="radio" name="pf-control" value="flow" data-field="control"${form.control === 'flow' ? ' checked' : ''}> column flow</label></fieldset>`;
  const pressure = form.control === 'pressure'
    ? `<div class="field" data-field="pressure"><label class="label" for="pf-pressure">Inlet pressure</label><span class="control">` +
      `<input id="pf-pressure" type="text" inputmode="decimal" value="${escapeXml(form.pressure)}" data-field="pressure" aria-describedby="pf-pressure-error">` +
      `<select id="pf-pressure-unit" data-field="pressureUnit" aria-label="Pressure unit">${(['kPa', 'bar', 'psi'] as const).map((u) =>
        `<option${u === form.pressureUnit ? ' selected' : ''}>${u}</option>`).join('')}</select>` +
      `<select id="pf-pressure-scale" data-field="pressureScale" aria-label="Gauge or absolute">${(['gauge', 'absolute'] as const).map((u) =>
        `<option${u === form.pressureScale ? ' selected' : ''}>${u}</option>`).join('')}</select></span>` +
      `<span class="error" id="pf-pressure-error" aria-live="polite"></span></div>`
    : input('flow', 'Column flow', 'mL/min at 25 °C, 1 atm', form.flow);
  const rows = form.ramps.map((r, i) => {
    const label = (k: string) => ({ rate: `Ramp ${i + 1} rate (°C/min)`, target: `Ramp ${i + 1} target (°C)`, hold: `Ramp ${i + 1} hold (min)` })[k];
    const cells = ['rate', 'target', 'hold'].map((k) => {
      const id = `ramp-${i}-${k}`;
      return `<td data-field="${id}"><input id="pf-${id}" type="text" inputmode="decimal" value="${escapeXml(r[k as keyof RampRow])}" ` +
        `data-field="${id}" aria-label="${label(k)}" aria-describedby="pf-${id}-error"></td>`;
    }).join('');
    // The row's messages below it, across the table, each tied to its field by aria-describedby.
    const errors = ['rate', 'target', 'hold'].map((k) => `<span class="error" id="pf-ramp-${i}-${k}-error" aria-live="polite"></span>`).join('');
    return `<tr data-ramp="${i}"><th scope="row">Ramp ${i + 1}</th>${cells}` +
      `<td><button type="button" data-remove-ramp="${i}" aria-label="Remove ramp ${i + 1}">Remove</button></td></tr>` +
      `<tr class="ramp-errors"><td colspan="5">${errors}</td></tr>`;
  }).join('');
  return `<h2>Carrier gas and flow</h2>\n${gas}\n${control}\n${pressure}\n` +
    `<h2>Oven program</h2>\n<div class="fields">${input('initial', 'Initial temperature', '°C', form.initial)}` +
    `${input('hold', 'Initial hold', 'min', form.hold)}</div>\n` +
    `<table id="ramps" class="ramps"><caption>Ramps, in order</caption><thead><tr><th scope="col">Step</th>` +
    `<th scope="col">Rate (°C/min)</th><th scope="col">Target (°C)</th><th scope="col">Hold (min)</th><th scope="col"><span class="visually-hidden">Remove</span></th></tr></thead>` +
    `<tbody>${rows}</tbody></table>\n<div class="buttons"><button type="button" id="add-ramp">Add ramp</button></div>\n` +
    `<p class="note">GC notation: <output id="program-text" aria-live="polite"></output></p>`;
}

/** Reads the editor's current contents from the DOM. */
export function readForm(root: HTMLElement, form: ProgramForm): ProgramForm {
  const value = (id: string) => (root.querySelector<HTMLInputElement | HTMLSelectElement>(`#pf-${id}`)?.value ?? '');
  const control = root.querySelector<HTMLInputElement>('input[name="pf-control"]:checked')?.value === 'pressure' ? 'pressure' : 'flow';
  return {
    initial: value('initial'), hold: value('hold'),
    ramps: form.ramps.map((_, i) => ({ rate: value(`ramp-${i}-rate`), target: value(`ramp-${i}-target`), hold: value(`ramp-${i}-hold`) })),
    gas: value('gas') || form.gas, control,
    pressure: root.querySelector('#pf-pressure') ? value('pressure') : form.pressure,
    pressureUnit: (root.querySelector('#pf-pressure-unit') ? value('pressure-unit') : form.pressureUnit) as ProgramForm['pressureUnit'],
    pressureScale: (root.querySelector('#pf-pressure-scale') ? value('pressure-scale') : form.pressureScale) as ProgramForm['pressureScale'],
    flow: root.querySelector('#pf-flow') ? value('flow') : form.flow,
  };
}

/** Clears every field error of the editor. */
export function clearFieldErrors(root: HTMLElement): void {
  root.querySelectorAll('[aria-invalid="true"]').forEach((e) => e.removeAttribute('aria-invalid'));
  root.querySelectorAll('.invalid').forEach((e) => e.classList.remove('invalid'));
  root.querySelectorAll('.error').forEach((e) => { e.textContent = ''; });
}

/** Shows `message` at `field` (aria-invalid on its input, the text in its described-by element); false if no such field. */
export function showFieldError(root: HTMLElement, field: string, message: string): boolean {
  const control = root.querySelector<HTMLElement>(`#pf-${field}`);
  const box = root.querySelector<HTMLElement>(`#pf-${field}-error`);
  if (!control || !box) return false;
  control.setAttribute('aria-invalid', 'true');
  control.closest('[data-field]')?.classList.add('invalid');
  box.textContent = message;
  return true;
}

/** The run's results for the peaks table: name, t_R, sigma, T at t_R (°C), k at t_R, peak height. */
export function peakRows(run: ProgrammedRun): string[][] {
  const fmt = (v: number, d: number) => (Number.isFinite(v) ? v.toFixed(d) : '–');
  return run.result.analytes.map((a) => [
    a.name, fmt(a.moments.mean, 2), fmt(a.moments.sigma, 3), fmt(a.moments.elutionTemperature - 273.15, 1),
    Number.isFinite(a.moments.retentionFactor) ? Number(a.moments.retentionFactor.toPrecision(4)).toString() : '–',
    Number.isFinite(a.peak.height) ? a.peak.height.toExponential(3) : '–',
  ]);
}
