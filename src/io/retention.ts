/**
 * Retention data in and out: a database of K-centric retention thermodynamics (Blumberg) and
 * measured retention times with peak widths, in the CSV layout of GasChromatographySimulator.jl's
 * data sets (the Leppert 2020 measurements among them, MODEL.md §8):
 *
 *   Name,CAS,Phase,Tchar,thetachar,DeltaCp,phi0,...   Tchar, thetachar in °C; DeltaCp in J/(mol K)
 *   Name,RT,width                                        RT in min (default), width = σ in s
 *
 * Values are returned in SI units (K, s). Files go through the one CSV reader (`readCsvTable`),
 * so separators, decimal commas, byte-order marks and metadata lines are handled as for
 * chromatograms; errors are DataErrors naming the line and the column.
 */
import { DataError } from '../solvers/fit/data.js';
import { checkRowLengths, columnValues, readCsvTable, type CsvDialectOptions, type CsvTable } from './csv.js';
import { listNames } from './dialect.js';

/** Kelvin at 0 °C. */
const CELSIUS = 273.15;

/** One solute's K-centric retention thermodynamics on one stationary phase (Blumberg 2017). */
export interface RetentionEntry {
  name: string;
  /** CAS number as written, '' when the file has none. */
  cas: string;
  /** Stationary phase as written, '' when the file has none. */
  phase: string;
  /** Characteristic temperature T_char (K): the temperature at which k = 1 for the film thickness phi0. */
  Tchar: number;
  /** Characteristic thermal constant θ_char (K, a temperature difference). */
  thetaChar: number;
  /** Heat-capacity change of the transfer to the stationary phase ΔC_p (J/(mol K)). */
  dCp: number;
  /** Dimensionless film thickness df/d at which the parameters hold. */
  phi0: number;
}

/** A measured peak: retention time (s) and, when the file has widths, the standard deviation σ (s). */
export interface MeasuredRetention {
  name: string;
  /** Retention time (s) from injection. */
  retentionTime: number;
  /** Peak standard deviation σ (s); NaN when the file gives no width. */
  width: number;
}

/** Options of `parseMeasuredRetention`. */
export interface MeasuredRetentionOptions extends CsvDialectOptions {
  /** Unit of the retention-time column: 'min' (default, as the Leppert files) or 's'. */
  retentionUnit?: 'min' | 's';
  /** Unit of the width column (σ): 's' (default, as the Leppert files) or 'min'. */
  widthUnit?: 'min' | 's';
}

/** The column named `name` (surrounding spaces and case ignored), or an error listing the columns. */
function column(table: CsvTable, name: string, file: string): number {
  const matches = table.names.flatMap((h, k) => (h.trim().toLowerCase() === name.toLowerCase() ? [k] : []));
  if (matches.length === 1) return matches[0];
  throw new DataError(`${file} header`, `${matches.length === 0 ? 'has no column' : 'has more than one column'} ` +
    `${JSON.stringify(name)} (line ${table.headerLine}); columns: ${listNames(table.names)}`);
}

/** Whether the table has a column named `name`. */
function hasColumn(table: CsvTable, name: string): boolean {
  return table.names.some((h) => h.trim().toLowerCase() === name.toLowerCase());
}

/** The names of the rows: not empty, unique. */
function names(table: CsvTable, k: number, file: string): string[] {
  const seen = new Map<string, number>();
  return table.rows.map((row) => {
    const name = (row.cells[k] ?? '').trim();
    if (name === '') throw new DataError(`${file} line ${row.line}`, 'Name must not be empty');
    const before = seen.get(name);
    if (before !== undefined) {
      throw new DataError(`${file} line ${row.line}`, `Name ${JSON.stringify(name)} appears twice (also line ${before})`);
    }
    seen.set(name, row.line);
    return name;
  });
}

/** Checks each value of a column against a range, naming the line, the column and the range. */
function inRange(table: CsvTable, values: Float64Array, label: string, file: string, lo: number, hi: number, what: string): void {
  values.forEach((v, j) => {
    if (!(v > lo && v < hi)) {
      throw new DataError(`${file} line ${table.rows[j].line}`, `${label} must be ${what}, got ${v}`);
    }
  });
}

/**
 * Reads a retention database (columns Name, Tchar (°C), thetachar (°C), DeltaCp (J/mol/K), phi0;
 * CAS and Phase when present; other columns ignored). `phase` keeps only the rows of that
 * stationary phase (an error if none). Temperatures are returned in K.
 */
export function parseRetentionDatabase(text: string, options: CsvDialectOptions & { phase?: string } = {}): RetentionEntry[] {
  const file = 'database';
  const { phase: wanted, ...dialect } = options;
  const table = readCsvTable(text, dialect);
  const n = column(table, 'Name', file);
  const cols = ['Tchar', 'thetachar', 'DeltaCp', 'phi0'].map((c) => column(table, c, file));
  const optional = (name: string) => (hasColumn(table, name) ? column(table, name, file) : -1);
  const cas = optional('CAS');
  const ph = optional('Phase');
  checkRowLengths(table, [n, ...cols]);
  const [Tchar, theta, dCp, phi0] = cols.map((k) => columnValues(table, k));
  // Tchar above absolute zero and below 1000 °C; θchar a positive temperature scale; ΔCp finite
  // (negative values occur for small solutes); phi0 a film-to-diameter ratio below 1.
  inRange(table, Tchar, 'Tchar', file, -CELSIUS, 1000, 'in (-273.15, 1000) °C');
  inRange(table, theta, 'thetachar', file, 0, 1000, 'in (0, 1000) °C');
  inRange(table, dCp, 'DeltaCp', file, -1e4, 1e4, 'in (-10000, 10000) J/(mol K)');
  inRange(table, phi0, 'phi0', file, 0, 1, 'in (0, 1)');
  const all = names(table, n, file).map((name, j): RetentionEntry => ({
    name,
    cas: cas >= 0 ? (table.rows[j].cells[cas] ?? '').trim() : '',
    phase: ph >= 0 ? (table.rows[j].cells[ph] ?? '').trim() : '',
    Tchar: Tchar[j] + CELSIUS,
    thetaChar: theta[j],
    dCp: dCp[j],
    phi0: phi0[j],
  }));
  if (wanted === undefined) return all;
  const kept = all.filter((e) => e.phase === wanted);
  if (kept.length === 0) {
    const phases = [...new Set(all.map((e) => e.phase))];
    throw new DataError(`${file}`, `has no rows of phase ${JSON.stringify(wanted)}; phases: ${listNames(phases)}`);
  }
  return kept;
}

/**
 * Reads measured retention times (columns Name, RT and optionally width = σ). Retention times are
 * returned in s, positive and finite; widths in s, positive.
 */
export function parseMeasuredRetention(text: string, options: MeasuredRetentionOptions = {}): MeasuredRetention[] {
  const file = 'retention times';
  const { retentionUnit = 'min', widthUnit = 's', ...dialect } = options;
  for (const [key, v] of [['retentionUnit', retentionUnit], ['widthUnit', widthUnit]] as const) {
    if (v !== 'min' && v !== 's') throw new RangeError(`options.${key} must be "min" or "s", got ${JSON.stringify(v)}`);
  }
  const table = readCsvTable(text, dialect);
  const n = column(table, 'Name', file);
  const rt = column(table, 'RT', file);
  const hasWidth = hasColumn(table, 'width');
  const w = hasWidth ? column(table, 'width', file) : -1;
  checkRowLengths(table, hasWidth ? [n, rt, w] : [n, rt]);
  const times = columnValues(table, rt);
  inRange(table, times, 'RT', file, 0, Infinity, `a positive time (${retentionUnit})`);
  const widths = hasWidth ? columnValues(table, w) : null;
  if (widths) inRange(table, widths, 'width', file, 0, Infinity, `a positive standard deviation (${widthUnit})`);
  const scale = (unit: 'min' | 's') => (unit === 'min' ? 60 : 1);
  return names(table, n, file).map((name, j) => ({
    name,
    retentionTime: times[j] * scale(retentionUnit),
    width: widths ? widths[j] * scale(widthUnit) : NaN,
  }));
}

/**
 * The entries of `database` for `wanted` names, in that order; a name missing from the database is
 * an error naming it.
 */
export function selectRetention(database: readonly RetentionEntry[], wanted: readonly string[]): RetentionEntry[] {
  const byName = new Map(database.map((e) => [e.name, e]));
  return wanted.map((name) => {
    const e = byName.get(name);
    if (!e) throw new DataError('database', `has no solute ${JSON.stringify(name)}`);
    return e;
  });
}
