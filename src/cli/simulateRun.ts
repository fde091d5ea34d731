/**
 * `elution simulate` for a problem in the run form (CONFIG.md "Run conditions"): an oven program,
 * a carrier gas driven by pressure or flow, retention from thermodynamics. The default method is
 * the migration equation with Gaussian peaks (milliseconds); `--method fd` is the full
 * chromatogram by finite differences under the program.
 */
import { columnsCsv } from '../io/csv.js';
import type { RunConditions } from '../model/conditions.js';
import { holdupTimeAt, inletPressureAt, outletPressureAt, temperatureAt } from '../model/conditions.js';
import { columnFlowAt, type RunProblem } from '../model/run.js';
import { gridTimes, migrationChromatogram, type GaussianResult, type MigrationChromatogramResult } from '../solvers/gaussian.js';
import { fmt, table } from './common.js';

/** Oven temperature (°C) of a K value, for tables. */
const celsius = (T: number) => T - 273.15;

/** One line on the run: oven, carrier, control, hold-up time and flow at the start. */
export function runDescription(c: RunConditions, program?: string): string {
  const T0 = temperatureAt(c, 0);
  const oven = program !== undefined ? `oven ${program} (°C, °C/min, min)`
    : c.temperature.times.length === 1 ? `oven ${celsius(T0).toFixed(1)} °C (isothermal)`
      : `oven ${c.temperature.times.length} breakpoints from ${celsius(T0).toFixed(1)} °C`;
  const k = c.control;
  const control = k.kind === 'flow' ? 'flow control' : k.kind === 'pressure' ? 'pressure control' : 'inlet velocity given';
  const p0 = inletPressureAt(c, 0);
  const pL = outletPressureAt(c, 0);
  return `${oven}; carrier ${c.gas.name}, ${control}: at t = 0 inlet ${(p0 / 1e3).toFixed(1)} kPa, outlet ${(pL / 1e3).toFixed(1)} kPa ` +
    `(absolute), flow ${(columnFlowAt(c, 0) * 6e7).toFixed(3)} mL/min (25 °C, 1 atm), hold-up time ${holdupTimeAt(c, 0).toFixed(2)} s`;
}

/** The per-analyte summary of a programmed run. */
export function runSummary(c: RunConditions, result: GaussianResult, head: string, program?: string): string {
  const body = result.analytes.map((a) => {
    const m = a.moments;
    return [
      a.name,
      Number.isFinite(m.mean) ? m.mean.toFixed(3) : '-',
      Number.isFinite(m.sigma) ? m.sigma.toFixed(4) : '-',
      Number.isFinite(m.elutionTemperature) ? celsius(m.elutionTemperature).toFixed(1) : '-',
      fmt(m.retentionFactor),
      Number.isFinite(m.holdupTime) ? m.holdupTime.toFixed(2) : '-',
      Number.isFinite(a.peak.time) ? a.peak.time.toFixed(3) : '-',
      fmt(a.peak.height),
      fmt(a.area),
      Number.isFinite(m.plates) ? Math.round(m.plates).toString() : '-',
      a.resolutionToNext === null ? '-' : a.resolutionToNext.toFixed(2),
    ];
  });
  const t = table(['analyte', 't_R (s)', 'sigma (s)', 'T at t_R (C)', 'k at t_R', 'tM at t_R (s)', 'peak t (s)',
    'peak c (mol/m3)', 'area (mol s/m3)', 'plates', 'Rs next'], body);
  const warnings = result.warnings.map((w) => `warning: ${w}\n`).join('');
  const tail = `status: ${result.status.code} (${result.status.message}); ${result.cost.evaluations} evaluations, ` +
    `${result.cost.wallTimeMs.toFixed(1)} ms (${result.cost.engine})`;
  return `${head}\n${runDescription(c, program)}\n\n${t}\n\n${warnings}t_R, sigma: moments by the migration equation; ` +
    'peak: maximum of the Gaussian concentration; area: trapezoid over the output times.\n' + `${tail}\n`;
}

/** What the summary of a finite-difference run reads from its result. */
export interface FdRunResult {
  times: Float64Array;
  analytes: { name: string; concentration: Float64Array; peak: { time: number; height: number }; area: number; mean: number;
    sigma: number; path: { retentionTime: number; sigma: number } }[];
  signal: Float64Array | null;
  status: { code: string; message: string };
  cost: { engine: string; evaluations: number; wallTimeMs: number };
}

/** The per-analyte summary of a finite-difference run under a program, beside the migration's moments. */
export function fdRunSummary(c: RunConditions, result: FdRunResult, program?: string): string {
  const body = result.analytes.map((a) => [
    a.name, a.mean.toFixed(3), a.sigma.toFixed(4), a.path.retentionTime.toFixed(3), a.path.sigma.toFixed(4),
    celsius(temperatureAt(c, a.mean)).toFixed(1), a.peak.time.toFixed(3), fmt(a.peak.height), fmt(a.area),
  ]);
  const t = table(['analyte', 'mean (s)', 'sigma (s)', 't_R migration (s)', 'sigma migration (s)', 'T at mean (C)',
    'peak t (s)', 'peak c (mol/m3)', 'area (mol s/m3)'], body);
  const tail = `status: ${result.status.code} (${result.status.message}); ${result.cost.evaluations} evaluations, ` +
    `${result.cost.wallTimeMs.toFixed(1)} ms (${result.cost.engine})`;
  return `finite differences under the program, ${result.times.length} times ${result.times[0]}..${result.times[result.times.length - 1]} s\n` +
    `${runDescription(c, program)}\n\n${t}\n\nmean, sigma: moments of the computed c(L, t) over the output times; ` +
    `migration: the band's path the grid was chosen from.\n${tail}\n`;
}

/** The output grid of a run problem as times (s), when it gives one. */
export function runOutputTimes(run: RunProblem): Float64Array | undefined {
  return run.output === undefined ? undefined : gridTimes(run.output);
}

/** `time,<analytes>[,signal]` of a programmed result. */
export function runCsv(result: { times: Float64Array; analytes: { name: string; concentration: Float64Array }[]; signal: Float64Array | null }): string {
  const header = ['time', ...result.analytes.map((a) => a.name)];
  const columns: ArrayLike<number>[] = [result.times, ...result.analytes.map((a) => a.concentration)];
  if (result.signal) {
    header.push('signal');
    columns.push(result.signal);
  }
  return columnsCsv(header, columns);
}

/** The default programmed solve: migration + Gaussian peaks on the problem's grid or a covering one. */
export function simulateMigration(run: RunProblem, engine: 'wasm' | 'js' | undefined): MigrationChromatogramResult {
  return migrationChromatogram(run.conditions, { engine, times: runOutputTimes(run), baseline: run.detector?.baseline });
}
