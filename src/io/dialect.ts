/**
 * How a delimited text file is laid out: its separator, its decimal mark and which row is the
 * header. Instruments write comma-, semicolon- or tab-separated files, with decimal commas in
 * locales that use them, and often a few lines of metadata (sample, detector, date) above the
 * header. Everything here is found from the file itself, and anything that could be read two ways
 * is an error that names the option that settles it: a chromatogram read with the wrong separator
 * or decimal mark gives wrong numbers, not an error, so guessing would be worse than asking.
 *
 * Splitting into rows and cells is d3-dsv's (RFC 4180: quoted cells may hold separators, quotes
 * doubled, line breaks); this file only decides how to call it and what the cells mean.
 */
import { excerpt, EXCERPT_LENGTH, terminalSafe } from './text.js';
import { dsvFormat } from 'd3-dsv';
import { DataError } from '../solvers/fit/data.js';

export type CsvSeparator = ',' | ';' | '\t';
export type DecimalMark = '.' | ',';

/** One row of the file: its cells as written (quotes removed) and the line it starts on (from 1). */
export interface CsvRow {
  line: number;
  cells: string[];
}

/** The separators tried when none is given, in the order messages list them. */
export const SEPARATORS: readonly CsvSeparator[] = [',', ';', '\t'];

/** How messages name a separator. */
export function separatorName(s: CsvSeparator): string {
  return s === '\t' ? 'tab' : s === ',' ? 'comma' : 'semicolon';
}

/** What a message says to settle a question: the command-line option and the library option. */
export function settle(flag: string, values: string, key: string): string {
  return `set ${flag} ${values} (library option ${key})`;
}

/**
 * The rows of `text` split at `separator`, each with the line it starts on. d3-dsv does not report
 * positions; a row spans one line plus the line breaks inside its quoted cells, which d3-dsv keeps
 * as written, so counting those gives the line of every row exactly.
 */
export function splitRows(text: string, separator: CsvSeparator): CsvRow[] {
  let line = 1;
  return dsvFormat(separator).parseRows(text).map((cells) => {
    const row = { line, cells };
    for (const c of cells) line += c.match(/\r\n|\r|\n/g)?.length ?? 0;
    line += 1;
    return row;
  });
}

/** A row with nothing in it: an empty line, or only separators and spaces. */
export function isBlank(row: CsvRow): boolean {
  return row.cells.every((c) => c.trim() === '');
}

/** A number as a cell may hold it with either decimal mark: what the layout search looks for. */
const NUMBER_EITHER = /^\s*[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?\s*$/;

export function looksNumeric(cell: string): boolean {
  return NUMBER_EITHER.test(cell);
}

/** A factor applied to a number as written: factor × 10^shift (60 for minutes, 10^-3 for ms). */
export interface DecimalScale {
  factor: bigint;
  shift: number;
}

/**
 * The number in a cell, or NaN, times `scale` if given. With a decimal comma a point is refused
 * rather than ignored: in "1.234,5" it would be a thousands separator, which this reader does not
 * take. A scale is applied to the decimal number as written and the product rounded once, so a
 * file in min or ms gives the doubles the same file in s would: "0.009" min is 0.54 s, as "0.54"
 * is, where the double 0.009 times 60 is 0.5399999999999999 (a second rounding; so for about a
 * quarter of all three-decimal times), and "0.009" ms is 9e-6 s, not 8.999999999999999e-6.
 */
export function parseCell(cell: string, decimal: DecimalMark, scale?: DecimalScale): number {
  let text = cell.trim();
  if (decimal === ',') {
    if (text.includes('.')) return NaN;
    text = text.replace(',', '.');
  }
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m || (m[2] === '' && !m[3])) return NaN;
  if (!scale || (scale.factor === 1n && scale.shift === 0)) return Number(text);
  const digits = BigInt(m[2] + (m[3] ?? ''));
  const exponent = Number(m[4] ?? 0) - (m[3]?.length ?? 0) + scale.shift;
  return Number(`${m[1]}${digits * scale.factor}e${exponent}`);
}

/**
 * Index of the header row: the first non-blank row of two or more cells, none of them a number,
 * whose next non-blank row has as many cells, all numbers. Rows above it are metadata
 * (`Sample: x`, `Detector;TCD`, blank lines); a metadata line with a number in it
 * (`Injection volume;0,5`) is never taken for the header. -1 if there is none.
 */
export function findHeader(rows: CsvRow[]): number {
  const filled = rows.flatMap((row, r) => (isBlank(row) ? [] : [r]));
  for (let k = 0; k + 1 < filled.length; k++) {
    const head = rows[filled[k]].cells;
    const next = rows[filled[k + 1]].cells;
    if (head.length >= 2 && !head.some(looksNumeric) && next.length === head.length && next.every(looksNumeric)) {
      return filled[k];
    }
  }
  return -1;
}

/** The rows of a file split at one separator, and which of them is the header. */
export interface Layout {
  separator: CsvSeparator;
  rows: CsvRow[];
  header: number;
}

/** The first row of two or more cells (a plain file's header), else the first non-blank one. */
function firstHeaderLike(rows: CsvRow[]): number {
  const wide = rows.findIndex((row) => row.cells.length >= 2 && !isBlank(row));
  return wide >= 0 ? wide : rows.findIndex((row) => !isBlank(row));
}

function describeLayout(l: Layout): string {
  const h = l.rows[l.header];
  return `${separatorName(l.separator)} (header on line ${h.line}: ${listNames(h.cells)})`;
}

/**
 * The layout with a given separator. Without a header row followed by numbers (a file whose
 * data have a text column, or no data), the first row of two or more cells is the header.
 */
export function layoutWith(text: string, separator: CsvSeparator): Layout {
  const rows = splitRows(text, separator);
  const found = findHeader(rows);
  const header = found >= 0 ? found : firstHeaderLike(rows);
  // A file that is only blank once split (a lone quote opens a cell that swallows the rest)
  if (header < 0) throw new DataError('data', `has no header row when split at ${separatorName(separator)}`);
  return { separator, rows, header };
}

/**
 * The one separator under which the file has a header row followed by numbers. A header must
 * contain its separator: d3-dsv reads a quoted cell followed by any character as if a separator
 * followed, so `"1,5";2` splits into the same two cells at a comma as at a semicolon, and without
 * this rule every quoted file would fit every separator.
 */
export function detectLayout(text: string): Layout {
  const lines = text.split(/\r\n|\r|\n/);
  const tried = SEPARATORS.map((separator) => {
    const rows = splitRows(text, separator);
    return { separator, rows, header: findHeader(rows) };
  });
  const found = tried.filter((l) => l.header >= 0 && lines[l.rows[l.header].line - 1].includes(l.separator));
  if (found.length === 1) return found[0];
  const how = settle('--separator', ',|;|tab', 'separator');
  if (found.length > 1) {
    throw new DataError('data',
      `reads as a table with more than one separator: ${found.map(describeLayout).join('; or ')}; ${how}`);
  }
  // No header followed by numbers: a plain file whose data have a text column (or no data), if
  // exactly one separator splits a line.
  const plain = tried.map((l) => ({ ...l, header: firstHeaderLike(l.rows) }))
    .filter((l) => l.header >= 0 && l.rows[l.header].cells.length >= 2);
  if (plain.length === 1) return plain[0];
  if (plain.length === 0) {
    throw new DataError('data', 'has no line of two or more cells separated by a comma, semicolon or tab ' +
      `(a chromatogram needs a time and a signal column); ${how} if the file uses one of them`);
  }
  throw new DataError('data', 'has no header row followed by a row of numbers, and its first line of two or more ' +
    `cells splits at ${plain.map((l) => separatorName(l.separator)).join(' and at ')}; ${how}`);
}

/** Most header names listed in a message. */
const LISTED_NAMES = 12;

/**
 * Header names for a message, separated by ", ": a name that holds a comma or a quote, has
 * surrounding spaces, is empty, long or holds a character a terminal would act on is shown as an
 * excerpt (quoted, cut, escaped), so the list reads one way; at most LISTED_NAMES of them.
 */
export function listNames(names: string[]): string {
  const shown = names.slice(0, LISTED_NAMES)
    .map((n) => (/[,"]|^\s|\s$|^$/.test(n) || n.length > EXCERPT_LENGTH || terminalSafe(n) !== n ? excerpt(n) : n));
  return shown.join(', ') + (names.length > LISTED_NAMES ? `, ... (${names.length} columns)` : '');
}

/** "column 2 (signal)" for messages. */
export function columnName(names: string[], k: number): string {
  return `column ${k + 1} (${k < names.length ? listNames([names[k]]) : 'beyond the header'})`;
}

/**
 * The decimal mark of the data rows. In a comma-separated file it is a point: a comma inside a
 * (quoted) number could be a decimal comma or a thousands separator, so it takes --decimal ,
 * to read one. With a semicolon or tab it is a comma if the numbers have commas, and numbers
 * with points beside numbers with commas are an error (a thousands separator is possible).
 */
export function detectDecimal(separator: CsvSeparator, names: string[], rows: CsvRow[]): DecimalMark {
  let comma: { row: CsvRow; k: number } | undefined;
  let point: { row: CsvRow; k: number } | undefined;
  for (const row of rows) {
    row.cells.forEach((c, k) => {
      if (!looksNumeric(c)) return;
      if (!comma && c.includes(',')) comma = { row, k };
      if (!point && c.includes('.')) point = { row, k };
    });
    if (comma && (point || separator === ',')) break;
  }
  const show = (at: { row: CsvRow; k: number }) =>
    `line ${at.row.line}, ${columnName(names, at.k)}: ${excerpt(at.row.cells[at.k])}`;
  if (comma && separator === ',') {
    throw new DataError(`data line ${comma.row.line}`, `${columnName(names, comma.k)} holds ` +
      `${excerpt(comma.row.cells[comma.k])}, a number with a comma in a comma-separated file: a decimal comma or ` +
      `a thousands separator; ${settle('--decimal', ',', 'decimal')} if it is a decimal comma`);
  }
  if (comma && point) {
    throw new DataError('data', `has numbers with a decimal point (${show(point)}) and with a comma (${show(comma)}); ` +
      `${settle('--decimal', '. or ,', 'decimal')}`);
  }
  return comma ? ',' : '.';
}
