/**
 * CSV in and out: the one reader of every chromatogram file (the command line's `fit`, `report`
 * and `plot --csv`, the page, the library) and the writers of the formats of CONFIG.md.
 *
 * Why d3-dsv rather than our own splitting: quoting is where hand-written CSV goes wrong (a name
 * with a comma or a quote breaks the file, a quoted cell with a line break breaks the reader), and
 * d3-dsv does RFC 4180 both ways: it quotes a cell when it holds a separator, a quote or a line
 * break, doubles quotes, and reads such cells back, CRLF or LF. Its module is small, imports
 * nothing, is ESM and runs unchanged in Node and the browser, and it belongs to the same
 * well-kept family as the d3-scale and d3-shape the figures already use. What a file means
 * (separator, decimal mark, header, columns, units) is decided in `dialect.ts` and here.
 *
 * Numbers are written in their shortest round-trip form (String(x)), so a file read back gives
 * the same doubles, bit for bit.
 */
import { MAX_DATA_POINTS } from '../model/limits.js';
import { excerpt } from './text.js';
import { csvFormatRows } from 'd3-dsv';
import type { ChromatogramResult, ProfileResult } from '../solvers/laplace.js';
import { checkData, DataError } from '../solvers/fit/data.js';
import {
  columnName, detectDecimal, detectLayout, isBlank, layoutWith, listNames, parseCell, settle,
  type CsvRow, type CsvSeparator, type DecimalMark, type DecimalScale,
} from './dialect.js';

export type { CsvRow, CsvSeparator, DecimalMark } from './dialect.js';

/** Unit of the times in a file; they are converted to seconds. */
export type TimeUnit = 's' | 'min' | 'ms';

/** Seconds per unit, applied to the number as written (see parseCell: rounded once). */
const TO_SECONDS: Record<TimeUnit, DecimalScale> = {
  s: { factor: 1n, shift: 0 }, min: { factor: 60n, shift: 0 }, ms: { factor: 1n, shift: -3 },
};

/** How to split a file; by default both are found from the file (CONFIG.md, "Reading measured chromatograms"). */
export interface CsvDialectOptions {
  /** Column separator: ',', ';' or tab ('\t' or 'tab'). Default: detected. */
  separator?: CsvSeparator | 'tab';
  /** Decimal mark. Default: '.' with a comma separator; detected with ';' or tab. */
  decimal?: DecimalMark;
}

/** Options of the chromatogram readers; the command line's --time-column etc. map onto them. */
export interface ChromatogramCsvOptions extends CsvDialectOptions {
  /** The time column: a header name (string) or a column number counted from 1. Default 'time'. */
  timeColumn?: string | number;
  /** The signal column: a header name or a column number from 1. Default 'signal'. */
  signalColumn?: string | number;
  /** Unit of the time column: 's' (default), 'min' or 'ms'; times are returned in s. */
  timeUnit?: TimeUnit;
}

/** Reader options after checking: the separator as its character. */
export type CheckedCsvOptions = Omit<ChromatogramCsvOptions, 'separator'> & { separator?: CsvSeparator };

/** A file read into its header and data rows, with how it was split. */
export interface CsvTable {
  separator: CsvSeparator;
  decimal: DecimalMark;
  /** Line of the header (from 1); lines above it were metadata. */
  headerLine: number;
  /** Header cells as written (spaces kept; names are matched without surrounding spaces). */
  names: string[];
  /** Data rows below the header, blank lines left out. */
  rows: CsvRow[];
}

// ---- options -------------------------------------------------------------------------------------

/** Command-line flag, its values and library key of each reader option, for messages. */
const OPTION_FLAGS: Record<keyof ChromatogramCsvOptions, [string, string]> = {
  separator: ['--separator', ',|;|tab'],
  decimal: ['--decimal', '.|,'],
  timeColumn: ['--time-column', '<name or number>'],
  signalColumn: ['--signal-column', '<name or number>'],
  timeUnit: ['--time-unit', 's|min|ms'],
};

function settleBy(key: keyof ChromatogramCsvOptions, values = OPTION_FLAGS[key][1]): string {
  return settle(OPTION_FLAGS[key][0], values, key);
}

/**
 * Checks reader options; bad ones throw a RangeError or TypeError naming the option as `name`
 * gives it (`options.timeUnit` in the library, `--time-unit` on the command line).
 */
export function checkCsvOptions(
  options: unknown, name: (key: keyof ChromatogramCsvOptions) => string = (key) => `options.${key}`,
): CheckedCsvOptions {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object') throw new TypeError(`CSV options must be an object, got ${typeof options}`);
  const o = options as Record<string, unknown>;
  const oneOf = (key: keyof ChromatogramCsvOptions, allowed: readonly unknown[], text: string) => {
    if (o[key] !== undefined && !allowed.includes(o[key])) {
      throw new RangeError(`${name(key)} must be ${text}, got ${JSON.stringify(o[key])}`);
    }
  };
  oneOf('separator', [',', ';', '\t', 'tab'], '",", ";" or "tab"');
  oneOf('decimal', ['.', ','], '"." or ","');
  oneOf('timeUnit', ['s', 'min', 'ms'], '"s", "min" or "ms"');
  for (const key of ['timeColumn', 'signalColumn'] as const) {
    const v = o[key];
    const ok = v === undefined || (typeof v === 'string' && v.trim() !== '') ||
      (typeof v === 'number' && Number.isInteger(v) && v >= 1);
    if (!ok) {
      throw new (typeof v === 'string' || typeof v === 'number' ? RangeError : TypeError)(
        `${name(key)} must be a column name or a column number from 1, got ${JSON.stringify(v) ?? String(v)}`);
    }
  }
  return {
    separator: o.separator === 'tab' ? '\t' : o.separator as CsvSeparator | undefined,
    decimal: o.decimal as DecimalMark | undefined,
    timeColumn: o.timeColumn as string | number | undefined,
    signalColumn: o.signalColumn as string | number | undefined,
    timeUnit: o.timeUnit as TimeUnit | undefined,
  };
}

// ---- reading -------------------------------------------------------------------------------------

/** Lines a file may have beyond MAX_DATA_POINTS rows: header, metadata and blank lines. */
const EXTRA_LINES = 1000;

/**
 * Refuses a text of more lines than MAX_DATA_POINTS data rows can need, before it is split into
 * rows (which costs ~50 bytes of memory per byte of text): counting line breaks is cheap.
 */
function checkLineCount(text: string): void {
  const limit = MAX_DATA_POINTS + EXTRA_LINES;
  const mark = text.includes('\n') ? '\n' : '\r';
  let lines = 1;
  for (let at = text.indexOf(mark); at >= 0; at = text.indexOf(mark, at + 1)) {
    if (++lines > limit) {
      throw new DataError('data', `has more than ${limit} lines: a measured chromatogram may have at most ` +
        `${MAX_DATA_POINTS} rows (and ${EXTRA_LINES} lines of header, metadata and blank lines)`);
    }
  }
}

/**
 * Reads a delimited file into its header and data rows: UTF-8 byte-order mark dropped, CRLF or
 * LF, separator, decimal mark and header row found (metadata lines above the header skipped)
 * unless given. Errors are DataErrors naming the line, the column and the option that settles an
 * ambiguity.
 */
export function readCsvTable(text: string, options: CsvDialectOptions = {}): CsvTable {
  const o = checkCsvOptions(options);
  if (typeof text !== 'string') throw new TypeError(`CSV text must be a string, got ${typeof text}`);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new DataError('data', 'the file is empty');
  checkLineCount(body);
  const layout = o.separator ? layoutWith(body, o.separator) : detectLayout(body);
  const header = layout.rows[layout.header];
  const rows = layout.rows.slice(layout.header + 1).filter((row) => !isBlank(row));
  if (rows.length === 0) throw new DataError('data', `has a header (line ${header.line}) but no data rows`);
  return {
    separator: layout.separator,
    decimal: o.decimal ?? detectDecimal(layout.separator, header.cells, rows),
    headerLine: header.line,
    names: header.cells.map(fromTextCell),
    rows,
  };
}

/** Columns whose header cell is `name`, surrounding spaces ignored: exact matches, else ignoring case. */
function matchColumns(names: string[], name: string): number[] {
  const target = name.trim();
  const exact = names.flatMap((n, k) => (n.trim() === target ? [k] : []));
  return exact.length > 0 ? exact : names.flatMap((n, k) => (n.trim().toLowerCase() === target.toLowerCase() ? [k] : []));
}

/**
 * The index of a column given by number (from 1) or by header name (see matchColumns); a name
 * that matches two columns is an error.
 */
export function findColumn(table: CsvTable, want: string | number, key: 'timeColumn' | 'signalColumn'): number {
  const { names } = table;
  const where = `(header on line ${table.headerLine})`;
  if (typeof want === 'number') {
    if (want > names.length) {
      throw new DataError('data header', `has ${names.length} columns, so there is no column ${want} ${where}; ` +
        `columns: ${listNames(names)}`);
    }
    return want - 1;
  }
  const matches = matchColumns(names, want);
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) {
    const numbers = matches.map((k) => k + 1);
    throw new DataError('data header', `has ${matches.length} columns named ${excerpt(String(want))} ` +
      `(columns ${numbers.join(' and ')}, header on line ${table.headerLine}); ${settleBy(key, numbers.join(' or '))}: ` +
      'a number picks a column by position');
  }
  throw new DataError('data header', `has no column ${excerpt(String(want))}; columns: ${listNames(names)} ` +
    `${where}; ${settleBy(key)}`);
}

function label(table: CsvTable, k: number): string {
  const name = table.names[k].trim();
  return name ? listNames([name]) : `column ${k + 1}`;
}

/**
 * Every data row has as many cells as the header: a ragged row is an error naming its line, and,
 * when it lacks one of the columns `used`, that column.
 */
export function checkRowLengths(table: CsvTable, used: number[]): void {
  const n = table.names.length;
  for (const row of table.rows) {
    if (row.cells.length === n) continue;
    const cells = (m: number) => `${m} cell${m === 1 ? '' : 's'}`;
    const shape = `the line has ${cells(row.cells.length)}, the header (line ${table.headerLine}) ${cells(n)}`;
    const missing = used.find((k) => k >= row.cells.length);
    throw new DataError(`data line ${row.line}`,
      missing === undefined ? shape : `${label(table, missing)} must be a finite number, got nothing (${shape})`);
  }
}

/**
 * The numbers of column k (row lengths checked by checkRowLengths), times `scale`: a cell that is
 * not a finite number is an error naming the line and the column.
 */
export function columnValues(table: CsvTable, k: number, scale?: DecimalScale): Float64Array {
  const { rows, decimal } = table;
  const out = new Float64Array(rows.length);
  rows.forEach((row, j) => {
    const x = parseCell(row.cells[k] ?? '', decimal, scale);
    if (!Number.isFinite(x)) {
      throw new DataError(`data line ${row.line}`, `${label(table, k)} must be a finite number, got ` +
        `${excerpt(row.cells[k] ?? '')} (column ${k + 1}${decimal === ',' ? ', read with a decimal comma' : ''})`);
    }
    out[j] = x;
  });
  return out;
}

/** A unit stated in a header cell: "Time (min)", "t [ms]", "time/s". */
function statedUnit(name: string): TimeUnit | undefined {
  const m = /(?:[([]\s*|\/\s*)(s|sec|seconds?|min|minutes?|ms|msec|milliseconds?)\s*[)\]]?\s*$/i.exec(name.trim());
  if (!m) return undefined;
  const u = m[1].toLowerCase();
  return u.startsWith('ms') || u.startsWith('milli') ? 'ms' : u.startsWith('min') ? 'min' : 's';
}

/**
 * Times in s from column k: converted from `unit`, finite and strictly increasing, errors naming
 * the line. A header that states another unit than the one given (default s) is an error rather
 * than minutes read as seconds.
 */
export function timeValues(table: CsvTable, k: number, unit: TimeUnit | undefined): Float64Array {
  const stated = statedUnit(table.names[k]);
  if (unit === undefined && stated !== undefined && stated !== 's') {
    throw new DataError('data header', `the time column ${excerpt(table.names[k])} is in ${stated}, ` +
      `read as s by default; ${settleBy('timeUnit', stated)}`);
  }
  // A finite time in min or ms is finite in s too, unless beyond 1.8e308 s; columnValues refuses that.
  const time = columnValues(table, k, TO_SECONDS[unit ?? 's']);
  for (let j = 1; j < time.length; j++) {
    if (!(time[j] > time[j - 1])) {
      throw new DataError(`data.time[${j}]`, 'times must increase strictly (no duplicates, sorted); ' +
        `got ${time[j]} after ${time[j - 1]} (line ${table.rows[j].line})`);
    }
  }
  return time;
}

/**
 * The signal column: `want`, or the column named signal. Optional (-1 if absent) unless
 * `required` or given; never the time column t.
 */
function signalColumn(table: CsvTable, t: number, want: string | number | undefined, required: boolean): number {
  if (want === undefined && !required && matchColumns(table.names, 'signal').length === 0) return -1;
  const s = findColumn(table, want ?? 'signal', 'signalColumn');
  if (s === t) {
    throw new DataError('data header', `time and signal are the same column (${columnName(table.names, t)}); ` +
      `${settleBy('signalColumn')}`);
  }
  return s;
}

/**
 * Reads a measured chromatogram (CONFIG.md): the time column (s, or `timeUnit`) and the signal
 * column, by name or number, from a comma-, semicolon- or tab-separated file with or without
 * metadata lines above its header. Checks every value; see `checkData` for the rules.
 */
export function parseChromatogramCsv(
  text: string, options: ChromatogramCsvOptions = {},
): { time: Float64Array; signal: Float64Array } {
  const o = checkCsvOptions(options);
  const table = readCsvTable(text, o);
  const t = findColumn(table, o.timeColumn ?? 'time', 'timeColumn');
  const s = signalColumn(table, t, o.signalColumn, true);
  checkRowLengths(table, [t, s]);
  const data = { time: timeValues(table, t, o.timeUnit), signal: columnValues(table, s) };
  checkData(data);
  return data;
}

/** Every column of a chromatogram file, for drawing it. */
export interface ChromatogramColumns {
  /** Times (s), strictly increasing. */
  time: Float64Array;
  /** Names of the other columns, as in the header. */
  names: string[];
  /** values[k][j]: column names[k] at time[j]. */
  values: Float64Array[];
  /** Index in `names` of the signal column (`signalColumn`, default a column named signal), or -1. */
  signal: number;
}

/**
 * Reads a chromatogram file with all its columns numeric (a file written by `chromatogramCsv`, or
 * a measured one): the time column by name or number and every other column.
 */
export function readChromatogramColumns(text: string, options: ChromatogramCsvOptions = {}): ChromatogramColumns {
  const o = checkCsvOptions(options);
  const table = readCsvTable(text, o);
  const t = findColumn(table, o.timeColumn ?? 'time', 'timeColumn');
  checkRowLengths(table, table.names.map((_, k) => k));
  const time = timeValues(table, t, o.timeUnit);
  const others = table.names.flatMap((_, k) => (k === t ? [] : [k]));
  const signal = others.indexOf(signalColumn(table, t, o.signalColumn, false));
  return { time, names: others.map((k) => table.names[k]), values: others.map((k) => columnValues(table, k)), signal };
}

// ---- writing -------------------------------------------------------------------------------------

/** Characters per chunk of a CSV written in chunks. */
const CSV_CHUNK = 1 << 16;

/**
 * A text cell a spreadsheet will not run: one that starts with = + - @ (a formula to Excel,
 * LibreOffice and Google Sheets; OWASP's "CSV injection"), after any leading apostrophes, gets one
 * apostrophe more in front, which spreadsheets take as "text follows". readCsvTable removes it
 * again, so our own files read back with the names written.
 */
export function textCell(text: string): string {
  return FORMULA.test(text) ? `'${text}` : text;
}

/** The inverse of textCell: one leading apostrophe off a cell that textCell would have escaped. */
export function fromTextCell(text: string): string {
  return text.startsWith("'") && FORMULA.test(text.slice(1)) ? text.slice(1) : text;
}

const FORMULA = /^'*[=+\-@]/;

/**
 * A header row, then one row per index of the columns, comma-separated with a point as decimal
 * mark; header cells quoted by RFC 4180 when they need it (a name with a comma or a quote), and
 * guarded against spreadsheet formulas (textCell). In chunks of about 64 K characters, so that a
 * file of millions of rows is never one string.
 */
export function* columnsCsvChunks(header: readonly string[], columns: readonly ArrayLike<number>[]): Generator<string> {
  const n = columns[0]?.length ?? 0;
  let piece = csvFormatRows([header.map(textCell)]) + '\n';
  for (let j = 0; j < n; j++) {
    let row = String(columns[0][j]);
    for (let c = 1; c < columns.length; c++) row += ',' + String(columns[c][j]);
    piece += row + '\n';
    if (piece.length >= CSV_CHUNK) {
      yield piece;
      piece = '';
    }
  }
  if (piece !== '') yield piece;
}

/** columnsCsvChunks as one string. */
export function columnsCsv(header: readonly string[], columns: readonly ArrayLike<number>[]): string {
  return [...columnsCsvChunks(header, columns)].join('');
}

/** The header and columns of a chromatogram file: `time,<analyte 1>,...[,signal]`. */
function chromatogramColumns(result: ChromatogramResult): { header: string[]; columns: ArrayLike<number>[] } {
  const header = ['time', ...result.analytes.map((a) => a.name)];
  const columns: ArrayLike<number>[] = [result.times, ...result.analytes.map((a) => a.concentration)];
  if (result.signal) {
    header.push('signal');
    columns.push(result.signal);
  }
  return { header, columns };
}

/** `time,<analyte 1>,...[,signal]`: outlet concentrations (mol/m3) and the detector signal. */
export function chromatogramCsv(result: ChromatogramResult): string {
  return [...chromatogramCsvChunks(result)].join('');
}

/** chromatogramCsv in chunks of about 64 K characters (for large results). */
export function chromatogramCsvChunks(result: ChromatogramResult): Generator<string> {
  const { header, columns } = chromatogramColumns(result);
  return columnsCsvChunks(header, columns);
}

/** `x,<analyte 1>,...`: concentrations (mol/m3) along the column at times[index]. */
export function profileCsv(result: ProfileResult, index = 0): string {
  return [...profileCsvChunks(result, index)].join('');
}

/** profileCsv in chunks of about 64 K characters. */
export function profileCsvChunks(result: ProfileResult, index = 0): Generator<string> {
  return columnsCsvChunks(['x', ...result.analyteNames], [result.x, ...result.concentrations[index]]);
}
