/**
 * Command-line options of the commands that read a chromatogram CSV (`fit`, `report` with a data
 * file, `plot --csv`): which columns, the time unit, and the separator and decimal mark when the
 * file leaves them open. They map one to one onto the library's reader options.
 */
import {
  checkCsvOptions, parseChromatogramCsv, readChromatogramColumns, type ChromatogramColumns,
  type CheckedCsvOptions, type ChromatogramCsvOptions,
} from '../io/csv.js';
import { readText, UsageError, type Flags, type OptionSpec } from './common.js';

export const CSV_OPTION_SPEC: OptionSpec = {
  'time-column': { type: 'string' }, 'signal-column': { type: 'string' }, 'time-unit': { type: 'string' },
  separator: { type: 'string' }, decimal: { type: 'string' },
};

const HELP: [string, string[]][] = [
  ['--time-column <c>', ['the time column: a header name or a column number from 1 (default: time)']],
  ['--signal-column <c>', ['the signal column: a header name or a column number from 1 (default: signal)',
    '(digits only: a column number; a name is matched without surrounding spaces,',
    'exactly or else ignoring case)']],
  ['--time-unit <u>', ['s | min | ms: unit of the time column (default: s); converted to s']],
  ['--separator <c>', [', | ; | tab   (default: detected; needed if the file reads two ways)']],
  ['--decimal <c>', ['. | ,   (default: . with a comma separator, detected with ; or tab)']],
];

/** The help lines of the CSV options, descriptions starting at `column` as in the command's help. */
export function csvOptionHelp(column: number): string {
  return HELP.flatMap(([flag, text]) => text.map((t, i) => (i === 0 ? `  ${flag}`.padEnd(column) : ' '.repeat(column)) + t))
    .join('\n');
}

const FLAGS: Record<keyof ChromatogramCsvOptions, string> = {
  timeColumn: 'time-column', signalColumn: 'signal-column', timeUnit: 'time-unit', separator: 'separator', decimal: 'decimal',
};

/** A column flag: digits only are a column number (from 1), anything else a header name. */
function column(value: unknown): string | number | undefined {
  if (typeof value !== 'string') return undefined;
  return /^\s*\d+\s*$/.test(value) ? Number(value) : value;
}

/** The reader options of the command line; UsageError (exit 2) for bad values. */
export function csvCliOptions(values: Flags): CheckedCsvOptions {
  const raw = {
    timeColumn: column(values['time-column']), signalColumn: column(values['signal-column']),
    timeUnit: values['time-unit'], separator: values.separator, decimal: values.decimal,
  };
  try {
    return checkCsvOptions(raw, (key) => `--${FLAGS[key]}`);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** The flags of CSV_OPTION_SPEC that were given, as "--name" (for "applies only with a data file"). */
export function givenCsvFlags(values: Flags): string[] {
  return Object.keys(CSV_OPTION_SPEC).filter((k) => values[k] !== undefined).map((k) => `--${k}`);
}

/** Runs a reader on a file; its errors are prefixed with the file name (exit 1). */
function fromFile<T>(file: string, what: string, read: (text: string) => T): T {
  const text = readText(file, what);
  try {
    return read(text);
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
}

/** A measured chromatogram (time in s, signal) from a file. */
export function readMeasuredFile(file: string, options: ChromatogramCsvOptions): { time: Float64Array; signal: Float64Array } {
  return fromFile(file, 'data file', (text) => parseChromatogramCsv(text, options));
}

/** Every column of a chromatogram file. */
export function readColumnsFile(file: string, options: ChromatogramCsvOptions): ChromatogramColumns {
  return fromFile(file, 'chromatogram file', (text) => readChromatogramColumns(text, options));
}
