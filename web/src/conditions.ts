/**
 * Operating conditions of the isothermal page as a GC user gives them: a column (preset or length,
 * inner diameter, film in m, mm, µm), the oven temperature (°C), the carrier gas, and either the
 * inlet and outlet pressures (kPa, psi or bar, gauge or absolute), from which Poiseuille flow gives
 * u₀ (MODEL.md §1.1, §8.2; the viscosity from the gas by Blumberg's law at the oven temperature),
 * or u₀ itself (cm/s) as the paper gives it. The page's problem stays in the paper's form (SI):
 * these fields write into it. Under pressure the library computes u₀ and the viscosity from the
 * run form (`parseRunProblem` with `carrier` and `oven`), so the page and `elution simulate` on
 * the same run agree.
 */
import { ATMOSPHERE, escapeXml, GAS_NAMES, parseRunProblem } from 'elution';

type Json = Record<string, unknown>;

export type Drive = 'velocity' | 'pressure';
export type PressureUnit = 'kPa' | 'psi' | 'bar';

const PA_PER: Record<PressureUnit, number> = { kPa: 1e3, psi: 6894.757293168361, bar: 1e5 };

/** Common capillary columns: length (m), inner diameter (mm), film (µm). */
export const PRESETS: ReadonlyArray<[label: string, length: number, diameter: number, film: number]> = [
  ['30 m × 0.25 mm × 0.25 µm', 30, 0.25, 0.25],
  ['30 m × 0.32 mm × 0.5 µm', 30, 0.32, 0.5],
  ['15 m × 0.25 mm × 0.25 µm', 15, 0.25, 0.25],
  ['60 m × 0.25 mm × 1 µm', 60, 0.25, 1],
  ['30 m × 0.53 mm × 1.5 µm', 30, 0.53, 1.5],
  ['20 m × 0.18 mm × 1 µm (the paper\'s BTEX column)', 20, 0.18, 1],
];

/** The fields: id, label, unit, explanation (shown on hover and on focus). */
const HELP: Record<string, string> = {
  preset: 'Fills length, inner diameter and film thickness with a common column.',
  length: 'Column length L in metres (column.length).',
  diameter: 'Inner diameter of the capillary in millimetres; the radius R is half of it (column.radius in m).',
  film: 'Thickness δ of the stationary-phase film in micrometres (column.filmThickness in m); the phase ratio is α = 2δ/R.',
  temperature: 'Oven temperature in °C, constant (isothermal run; column.temperature in K). Under pressure it sets the gas viscosity.',
  gas: 'Carrier gas: its viscosity follows Blumberg\'s law at the oven temperature (CONFIG.md, Carrier gases).',
  inlet: 'Inlet (head) pressure p₀, in the unit and scale chosen: gauge is above the atmosphere (101.325 kPa), absolute is above vacuum.',
  outlet: 'Outlet pressure p_L in the same unit and scale: 0 gauge is an outlet at atmospheric pressure.',
  unit: 'Unit of both pressures.',
  scale: 'Gauge (over the atmosphere, as a GC\'s pressure readout) or absolute.',
  velocity: 'Carrier velocity u₀ at the inlet in cm/s (column.inletVelocity in m/s), given as the paper gives it.',
  drive: 'Under pressure, u₀ follows from p₀, p_L, the column and the gas viscosity (Poiseuille flow); given, u₀ is the paper\'s input and the pressures only shape the velocity along the column.',
};

/** The editor's contents as typed. */
export interface ConditionsForm {
  drive: Drive;
  length: string;
  diameter: string;
  film: string;
  temperature: string;
  gas: string;
  unit: PressureUnit;
  scale: 'gauge' | 'absolute';
  inlet: string;
  outlet: string;
  velocity: string;
}

/** A number to a short text (12 significant digits: no binary noise from unit conversions). */
function text(v: unknown): string {
  return typeof v === 'number' && Number.isFinite(v) ? String(Number(v.toPrecision(12))) : '';
}

/** The form showing `state` (a paper-form problem), keeping the drive, gas, unit and scale chosen. */
export function formOfState(state: Json, keep?: Partial<ConditionsForm>): ConditionsForm {
  const c = (state.column ?? {}) as Json;
  const unit = keep?.unit ?? 'kPa';
  const scale = keep?.scale ?? 'absolute';
  const pressure = (p: unknown) => (typeof p === 'number' ? text((p - (scale === 'gauge' ? ATMOSPHERE : 0)) / PA_PER[unit]) : '');
  return {
    drive: keep?.drive ?? 'velocity',
    length: text(c.length),
    diameter: typeof c.radius === 'number' ? text(2 * c.radius * 1e3) : '',
    film: typeof c.filmThickness === 'number' ? text(c.filmThickness * 1e6) : '',
    temperature: typeof c.temperature === 'number' ? text(c.temperature - 273.15) : '',
    gas: keep?.gas ?? 'He',
    unit,
    scale,
    inlet: pressure(c.inletPressure),
    outlet: pressure(c.outletPressure),
    velocity: typeof c.inletVelocity === 'number' ? text(c.inletVelocity * 100) : '',
  };
}

/** A field's problem found by the page: which field, and the message. */
export class ConditionsError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

/** The field a library key path concerns. */
function fieldOfPath(path: string | undefined): string | undefined {
  return ({
    'column.length': 'length', 'column.radius': 'diameter', 'column.filmThickness': 'film', 'oven.temperature': 'temperature',
    'oven': 'temperature', 'carrier.inletPressure': 'inlet', carrier: 'inlet', 'carrier.outletPressure': 'outlet', 'carrier.gas': 'gas',
    'column.inletVelocity': 'velocity', 'column.temperature': 'temperature', 'column.inletPressure': 'inlet', 'column.outletPressure': 'outlet',
  } as Record<string, string>)[path ?? ''];
}

function decimal(value: string, field: string, what: string): number {
  const v = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(v)) throw new ConditionsError(field, `${what} must be a number, got "${value}"`);
  return v;
}

/**
 * Writes the form into `state` (SI, paper form). Under pressure, u₀ and the viscosity come from the
 * library's run form of the same column, gas, temperature and pressures. Throws ConditionsError
 * naming the field (the library's message for what it refuses).
 */
export function applyForm(form: ConditionsForm, state: Json): void {
  const column = (state.column ??= {}) as Json;
  const L = decimal(form.length, 'length', 'Length');
  const R = decimal(form.diameter, 'diameter', 'Inner diameter') / 2 / 1e3;
  const film = decimal(form.film, 'film', 'Film thickness') * 1e-6;
  const T = decimal(form.temperature, 'temperature', 'Oven temperature') + 273.15;
  const offset = form.scale === 'gauge' ? ATMOSPHERE : 0;
  const p0 = decimal(form.inlet, 'inlet', 'Inlet pressure') * PA_PER[form.unit] + offset;
  const pL = decimal(form.outlet, 'outlet', 'Outlet pressure') * PA_PER[form.unit] + offset;
  Object.assign(column, { length: L, radius: R, filmThickness: film, temperature: T, inletPressure: p0, outletPressure: pL });
  if (form.drive === 'velocity') {
    column.inletVelocity = decimal(form.velocity, 'velocity', 'Inlet velocity') / 100;
    return;
  }
  // Under pressure: the run form of this column (one stand-in analyte: only the column is read here).
  const run: Json = {
    column: { length: L, radius: R, filmThickness: film },
    carrier: { gas: form.gas, inletPressure: p0, outletPressure: pL },
    oven: { temperature: T },
    injection: { duration: 1 },
    analytes: [{ name: 'carrier check', ka: 1, kd: 1, c0: 1 }],
  };
  let paper: Json | undefined;
  try {
    paper = parseRunProblem(run).problem as unknown as Json | undefined;
  } catch (err) {
    const e = err as Error & { path?: string };
    throw new ConditionsError(fieldOfPath(e.path) ?? 'inlet', e.message);
  }
  if (!paper) throw new ConditionsError('inlet', 'these conditions have no paper-form problem (an outlet above vacuum is needed)');
  const c = paper.column as Json;
  column.inletVelocity = c.inletVelocity;
  column.viscosity = c.viscosity;
}

/** The field of a library error about the paper-form problem, if it is one of these. */
export function conditionsFieldOf(path: string | undefined): string | undefined {
  return fieldOfPath(path);
}

function hint(id: string): string {
  return `<span class="hint" id="cond-${id}-hint">${escapeXml(HELP[id])}</span>`;
}

function input(id: string, label: string, unit: string, value: string, extra = ''): string {
  return `<div class="field cond" data-cond="${id}" title="${escapeXml(HELP[id])}">` +
    `<label class="label" for="cond-${id}">${label}${unit ? ` <span class="unit">(${unit})</span>` : ''}</label>` +
    `<span class="control"><input id="cond-${id}" type="text" inputmode="decimal" data-cond-field="${id}" value="${escapeXml(value)}" ` +
    `aria-describedby="cond-${id}-hint cond-${id}-error"${extra}></span>${hint(id)}` +
    `<span class="error" id="cond-${id}-error" aria-live="polite"></span></div>`;
}

/** The editor's HTML. */
export function conditionsHtml(form: ConditionsForm): string {
  const pressure = form.drive === 'pressure';
  const drive = `<fieldset class="control-kind" title="${escapeXml(HELP.drive)}"><legend>Carrier driven by</legend>` +
    `<label><input type="radio" name="cond-drive" value="pressure" data-cond-field="drive" aria-describedby="cond-drive-hint"${pressure ? ' checked' : ''}> pressure (Poiseuille)</label>` +
    `<label><input type="radio" name="cond-drive" value="velocity" data-cond-field="drive" aria-describedby="cond-drive-hint"${pressure ? '' : ' checked'}> inlet velocity u₀ (the paper)</label>` +
    `${hint('drive')}</fieldset>`;
  const preset = `<div class="field cond" data-cond="preset" title="${escapeXml(HELP.preset)}"><label class="label" for="cond-preset">Column preset</label>` +
    `<span class="control"><select id="cond-preset" data-cond-field="preset" aria-describedby="cond-preset-hint"><option value="">custom</option>` +
    PRESETS.map(([label], i) => `<option value="${i}">${escapeXml(label)}</option>`).join('') + `</select></span>${hint('preset')}</div>`;
  const gas = `<div class="field cond" data-cond="gas" title="${escapeXml(HELP.gas)}"><label class="label" for="cond-gas">Carrier gas</label>` +
    `<span class="control"><select id="cond-gas" data-cond-field="gas" aria-describedby="cond-gas-hint cond-gas-error">` +
    GAS_NAMES.map((g) => `<option value="${g}"${g === form.gas ? ' selected' : ''}>${g}</option>`).join('') + `</select></span>${hint('gas')}` +
    `<span class="error" id="cond-gas-error" aria-live="polite"></span></div>`;
  const select = (id: 'unit' | 'scale', label: string, options: readonly string[], value: string) =>
    `<select id="cond-${id}" data-cond-field="${id}" aria-label="${label}" title="${escapeXml(HELP[id])}" aria-describedby="cond-${id}-hint">` +
    options.map((o) => `<option${o === value ? ' selected' : ''}>${o}</option>`).join('') + `</select>${hint(id)}`;
  const units = `<div class="field cond" data-cond="units"><span class="label">Pressures in</span><span class="control">` +
    select('unit', 'Pressure unit', ['kPa', 'psi', 'bar'], form.unit) + select('scale', 'Gauge or absolute pressure', ['gauge', 'absolute'], form.scale) +
    '</span></div>';
  return `${drive}${preset}` +
    input('length', 'Length', 'm', form.length) + input('diameter', 'Inner diameter', 'mm', form.diameter) +
    input('film', 'Film thickness', 'µm', form.film) + input('temperature', 'Oven temperature', '°C', form.temperature) +
    (pressure ? gas : '') + units +
    input('inlet', 'Inlet pressure p₀', form.unit, form.inlet) + input('outlet', 'Outlet pressure p_L', form.unit, form.outlet) +
    (pressure ? '' : input('velocity', 'Inlet velocity u₀', 'cm/s', form.velocity)) +
    '<p class="note" id="cond-derived" aria-live="polite"></p>';
}

/** Reads the editor's fields into a form (the preset applied when one was picked). */
export function readForm(root: HTMLElement, previous: ConditionsForm): ConditionsForm {
  const value = (id: string) => root.querySelector<HTMLInputElement | HTMLSelectElement>(`#cond-${id}`)?.value;
  const drive = root.querySelector<HTMLInputElement>('input[name="cond-drive"]:checked')?.value as Drive | undefined;
  return {
    drive: drive ?? previous.drive,
    length: value('length') ?? previous.length,
    diameter: value('diameter') ?? previous.diameter,
    film: value('film') ?? previous.film,
    temperature: value('temperature') ?? previous.temperature,
    gas: value('gas') ?? previous.gas,
    unit: (value('unit') as PressureUnit | undefined) ?? previous.unit,
    scale: (value('scale') as 'gauge' | 'absolute' | undefined) ?? previous.scale,
    inlet: value('inlet') ?? previous.inlet,
    outlet: value('outlet') ?? previous.outlet,
    velocity: value('velocity') ?? previous.velocity,
  };
}

/** The same pressures in another unit or scale (a change of the unit keeps the pressure, not the number). */
export function convertPressures(form: ConditionsForm, unit: PressureUnit, scale: 'gauge' | 'absolute'): ConditionsForm {
  const convert = (v: string) => {
    const x = Number(v);
    if (v.trim() === '' || !Number.isFinite(x)) return v;
    const pa = x * PA_PER[form.unit] + (form.scale === 'gauge' ? ATMOSPHERE : 0);
    return text((pa - (scale === 'gauge' ? ATMOSPHERE : 0)) / PA_PER[unit]);
  };
  return { ...form, unit, scale, inlet: convert(form.inlet), outlet: convert(form.outlet) };
}

export { PA_PER };
