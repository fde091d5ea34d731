/**
 * Checks of a chromatogram before it is returned: never a non-finite number with status success,
 * and a warning for each analyte whose peak the output times do not hold.
 */
import type { AnalyteChromatogram } from './laplace.js';
import { status, type Status } from './status.js';

/**
 * Whether every number of a chromatogram is finite, without a scan of each concentration: its
 * trapezoid area sums every sample (with positive or zero weights), and a NaN or an infinity in
 * a sum leaves it non-finite, so a finite area (and a finite first sample, for a one-point grid)
 * means finite samples. Only when this says no does firstNonFinite scan for the first.
 */
function everyFinite(analytes: AnalyteChromatogram[], signal: Float64Array | null): boolean {
  for (const a of analytes) {
    const m = a.moments;
    const scalars = [a.area, a.concentration[0], a.peak.time, a.peak.height, m.mean, m.sigma, m.plates];
    if (!scalars.every(Number.isFinite)) return false;
  }
  if (signal) for (let j = 0; j < signal.length; j++) if (!Number.isFinite(signal[j])) return false;
  return true;
}

/** Where the first non-finite number of a result is, or null when every number is finite. */
export function firstNonFinite(times: Float64Array, analytes: AnalyteChromatogram[], signal: Float64Array | null): string | null {
  if (everyFinite(analytes, signal)) return null;
  for (const a of analytes) {
    const j = a.concentration.findIndex((v) => !Number.isFinite(v));
    if (j >= 0) return `${a.name}: concentration ${a.concentration[j]} at t = ${times[j]} s`;
    const scalars = { 'peak time': a.peak.time, 'peak height': a.peak.height, area: a.area, 't_R': a.moments.mean,
      sigma: a.moments.sigma, plates: a.moments.plates };
    const bad = Object.entries(scalars).find(([, v]) => !Number.isFinite(v));
    if (bad) return `${a.name}: ${bad[0]} ${bad[1]}`;
  }
  const j = signal ? signal.findIndex((v) => !Number.isFinite(v)) : -1;
  return j >= 0 ? `signal ${signal![j]} at t = ${times[j]} s` : null;
}

/** Status of axial profiles: 'non-finite' naming the first such value, else 'success'. */
export function profileStatus(concentrations: Float64Array[][]): Status {
  for (const [k, atTime] of concentrations.entries()) {
    for (const [i, c] of atTime.entries()) {
      const j = c.findIndex((v) => !Number.isFinite(v));
      if (j >= 0) return status('non-finite', `profile ${k}, analyte ${i}: ${c[j]} at position ${j}`);
    }
  }
  return status('success');
}

/** Relative error of the trapezoid peak area beyond which the output times are said to miss a peak. */
export const AREA_SHORTFALL = 1e-3;

/**
 * One warning for each analyte whose trapezoid area over the output times misses its exact area
 * c0 t1 u0/u(L) by more than AREA_SHORTFALL (either way: too few points across a peak may also
 * overstate it), saying why: its peak (t_R +- 4 sigma) lies outside
 * the output window, partly outside it, or inside it between too few points. Its located height
 * and area are then not the peak's.
 */
export function offGridWarnings(times: Float64Array, analytes: AnalyteChromatogram[]): string[] {
  const first = times[0];
  const last = times[times.length - 1];
  const window = `the output window ${first}..${last} s`;
  const share = (a: AnalyteChromatogram) => {
    const percent = (100 * a.area) / a.moments.area;
    if (percent > 100) return `a trapezoid area over the output times ${percent.toPrecision(3)}% of its exact area`;
    return `${percent >= 0.01 ? `${percent.toPrecision(3)}%` : 'under 0.01%'} of its area on the output times`;
  };
  const g = (x: number) => Number(x.toPrecision(6));
  return analytes.filter((a) => !(Math.abs(a.area - a.moments.area) <= AREA_SHORTFALL * a.moments.area)).map((a) => {
    const { mean, sigma } = a.moments;
    const from = mean - 4 * sigma;
    const to = mean + 4 * sigma;
    const peak = `(t_R ${g(mean)} s, sigma ${sigma.toPrecision(3)} s; ${share(a)})`;
    const widen = `output from ${g(Math.max(0, Math.min(first, from)))} to ${g(Math.max(last, to))} s holds it`;
    if (from > last) return `${a.name}: the peak lies outside ${window}, after its end ${peak}: its height and area here are not the peak's; ${widen}`;
    if (to < first) return `${a.name}: the peak lies outside ${window}, before its start ${peak}: its height and area here are not the peak's; ${widen}`;
    if (from < first || to > last) return `${a.name}: the peak lies partly outside ${window} ${peak}; ${widen}`;
    return `${a.name}: the peak lies inside ${window} but between too few of its ${times.length} points ${peak}; ` +
      `a spacing below ${(sigma / 2).toPrecision(3)} s resolves it`;
  });
}

/**
 * The status of a chromatogram and its warnings: 'non-finite' naming the first such number, else
 * the solver's own status when it is not a success, else 'off-grid' naming the analytes whose
 * peaks the output times miss (see offGridWarnings), else success.
 */
export function chromatogramStatus(
  times: Float64Array, analytes: AnalyteChromatogram[], signal: Float64Array | null, solved: Status,
): { status: Status; warnings: string[] } {
  const warnings = offGridWarnings(times, analytes);
  const nonFinite = firstNonFinite(times, analytes, signal);
  if (nonFinite) return { status: status('non-finite', nonFinite), warnings };
  if (solved.code !== 'success' || warnings.length === 0) return { status: solved, warnings };
  const names = warnings.map((w) => w.slice(0, w.indexOf(': the peak lies')));
  return { status: status('off-grid', names.join(', ')), warnings };
}
