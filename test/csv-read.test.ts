/**
 * The chromatogram reader, case by case: what instruments write (byte-order mark, CRLF, quoted
 * names, separators, decimal commas, metadata lines, units, column numbers) reads to the numbers
 * a plain `time,signal` file gives; what could be read two ways is an error naming the option
 * that settles it, and with that option the file reads; bad files name the line and the column.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  DataError, parseChromatogramCsv, readChromatogramColumns, readCsvTable, type ChromatogramCsvOptions,
} from '../src/index.js';

/** Twelve rows of times and signals with fractions, as cells (the decimal mark is the writer's). */
const TIMES = Array.from({ length: 12 }, (_, j) => (0.25 + j * 0.5).toString());
const SIGNALS = Array.from({ length: 12 }, (_, j) => (3935.4 + 7.125 * j * j).toString());
const PLAIN = 'time,signal\n' + TIMES.map((t, j) => `${t},${SIGNALS[j]}`).join('\n') + '\n';
const reference = parseChromatogramCsv(PLAIN);

/** A file: header line, then one line per row, cells joined by `separator`, decimal comma if asked. */
function file(header: string, separator: string, options: { comma?: boolean; eol?: string; rows?: string[][] } = {}): string {
  const rows = options.rows ?? TIMES.map((t, j) => [t, SIGNALS[j]]);
  const cell = (c: string) => (options.comma ? c.replace('.', ',') : c);
  const eol = options.eol ?? '\n';
  return header + eol + rows.map((r) => r.map(cell).join(separator)).join(eol) + eol;
}

function expectReference(text: string, options: ChromatogramCsvOptions = {}): void {
  const d = parseChromatogramCsv(text, options);
  expect(Array.from(d.time)).toEqual(Array.from(reference.time));
  expect(Array.from(d.signal)).toEqual(Array.from(reference.signal));
}

/** The error of reading `text`, which must be a DataError. */
function errorOf(text: string, options: ChromatogramCsvOptions = {}): string {
  try {
    parseChromatogramCsv(text, options);
  } catch (err) {
    expect(err).toBeInstanceOf(DataError);
    return (err as Error).message;
  }
  throw new Error('expected an error');
}

describe('reading what instruments write', () => {
  it('the reference has fractional times and signals (so a decimal mark matters)', () => {
    expect(reference.time[1]).toBe(0.75);
    expect(reference.signal[3]).toBe(3935.4 + 7.125 * 9);
  });

  it('a UTF-8 byte-order mark is not part of the first header name', () => {
    expectReference('\ufeff' + PLAIN);
    expect(readCsvTable('\ufeff' + PLAIN).names[0]).toBe('time');
  });

  it('CRLF line ends, and line numbers in errors count them as one line', () => {
    expectReference(file('time,signal', ',', { eol: '\r\n' }));
    const rows = TIMES.map((t, j) => [t, j === 6 ? '12x' : SIGNALS[j]]);
    expect(errorOf(file('time,signal', ',', { eol: '\r\n', rows })))
      .toBe('data line 8: signal must be a finite number, got "12x" (column 2)');
  });

  it('quoted header names with commas, quotes and a line break, picked by name', () => {
    const text = file('"Time, s","Signal ""TCD""\n(a.u.)"', ',');
    expectReference(text, { timeColumn: 'Time, s', signalColumn: 'Signal "TCD"\n(a.u.)' });
    expect(readCsvTable(text).names).toEqual(['Time, s', 'Signal "TCD"\n(a.u.)']);
    // the header spans lines 1-2, so the first data row is line 3
    expect(readCsvTable(text).rows[0].line).toBe(3);
  });

  it('semicolons and tabs, with decimal commas or points', () => {
    expectReference(file('time;signal', ';', { comma: true }));
    expectReference(file('time;signal', ';'));
    expectReference(file('time\tsignal', '\t', { comma: true }));
    expectReference(file('time\tsignal', '\t'));
    expect(readCsvTable(file('time\tsignal', '\t', { comma: true }))).toMatchObject({ separator: '\t', decimal: ',' });
  });

  it('metadata lines above the header, blank lines, and names matched ignoring case and spaces', () => {
    const meta = 'Sample: reference gas, 2 ppm\nDetector;TCD\nInjection volume;0,5\n\nOperator\tA. N. Other\n';
    const text = meta + file(' Time ; SIGNAL ', ';', { comma: true });
    expectReference(text);
    expect(readCsvTable(text)).toMatchObject({ headerLine: 6, separator: ';', decimal: ',' });
  });

  it('a plain file with a text column reads its numeric columns', () => {
    const rows = TIMES.map((t, j) => [t, 'ok, checked', SIGNALS[j]]);
    expectReference(file('time,comment,signal', ',', { rows: rows.map((r) => [r[0], `"${r[1]}"`, r[2]]) }));
  });

  it('columns by number, counted from 1', () => {
    const rows = TIMES.map((t, j) => ['7', SIGNALS[j], t]);
    expectReference(file('a,b,c', ',', { rows }), { timeColumn: 3, signalColumn: 2 });
    expect(() => parseChromatogramCsv(PLAIN, { timeColumn: 0 })).toThrow(/^options.timeColumn must be a column name or a column number from 1, got 0$/);
    expect(() => parseChromatogramCsv(PLAIN, { signalColumn: 1.5 })).toThrow(RangeError);
    expect(() => parseChromatogramCsv(PLAIN, { signalColumn: {} as never })).toThrow(TypeError);
    expect(errorOf(PLAIN, { signalColumn: 3 })).toMatch(/^data header: has 2 columns, so there is no column 3/);
  });

  it('times in ms and min are converted to s as a file in s would give them', () => {
    // The decimal value written, times 60 or 1/1000, rounded once: the doubles of the same times in s.
    const ms = TIMES.map((t, j) => [String(Number(t) * 1000), SIGNALS[j]]);
    expectReference(file('time,signal', ',', { rows: ms }), { timeUnit: 'ms' });
    const minutes = ['0.009', '0.011', '0.013', '0.5', '1.25'];
    const seconds = ['0.54', '0.66', '0.78', '30', '75'];
    const rows = (cells: string[]) => Array.from({ length: 12 }, (_, j) => [j < 5 ? cells[j] : String(80 + j), '1']);
    const inMinutes = parseChromatogramCsv(file('time,signal', ',', { rows: rows(minutes) }), { timeUnit: 'min' });
    expect(Array.from(inMinutes.time.slice(0, 5))).toEqual(seconds.map(Number));
    expect(0.009 * 60).not.toBe(0.54); // what multiplying the double would have given
    const shifted = parseChromatogramCsv(file('time,signal', ',', { rows: rows(['0.009', '0.015', '1', '2', '3']) }), { timeUnit: 'ms' });
    expect(Array.from(shifted.time.slice(0, 2))).toEqual([9e-6, 1.5e-5]);
  });

  it('a header that states a unit other than s needs --time-unit; given, it wins', () => {
    const text = file('Time (min),signal', ',');
    expect(errorOf(text, { timeColumn: 1 })).toMatch(/^data header: the time column "Time \(min\)" is in min, read as s by default; set --time-unit min \(library option timeUnit\)$/);
    expect(parseChromatogramCsv(text, { timeColumn: 1, timeUnit: 'min' }).time[1]).toBe(45);
    expectReference(text, { timeColumn: 1, timeUnit: 's' });
    expect(errorOf(file('t [ms],signal', ','), { timeColumn: 't [ms]' })).toMatch(/set --time-unit ms/);
    expectReference(file('time (s),signal', ','), { timeColumn: 1 });
  });
});

describe('ambiguity is an error naming the option that settles it', () => {
  it('a comma-separated file with commas inside numbers: --decimal ,', () => {
    const rows = TIMES.map((t, j) => [`"${t.replace('.', ',')}"`, `"${SIGNALS[j].replace('.', ',')}"`]);
    const text = file('time,signal', ',', { rows });
    expect(errorOf(text)).toBe('data line 2: column 1 (time) holds "0,25", a number with a comma in a comma-separated file: ' +
      'a decimal comma or a thousands separator; set --decimal , (library option decimal) if it is a decimal comma');
    expectReference(text, { decimal: ',' });
  });

  it('numbers with points beside numbers with commas: --decimal', () => {
    const rows = TIMES.map((t, j) => [t.replace('.', ','), SIGNALS[j]]);
    const text = file('time;signal', ';', { rows });
    expect(errorOf(text)).toMatch(/^data: has numbers with a decimal point \(line 2, column 2 \(signal\): "3935\.4"\) and with a comma \(line 2, column 1 \(time\): "0,25"\); set --decimal \. or ,/);
    // Either answer reads the file's other numbers as not numbers, naming line and column.
    expect(errorOf(text, { decimal: ',' })).toBe('data line 2: signal must be a finite number, got "3935.4" (column 2, read with a decimal comma)');
    expect(errorOf(text, { decimal: '.' })).toBe('data line 2: time must be a finite number, got "0,25" (column 1)');
  });

  it('a file that reads as a table with two separators: --separator', () => {
    // Quoted decimal commas and integer signals: split at ';' or at ',' (d3-dsv ends a quoted cell
    // at any character), both give a header and rows of numbers.
    const rows = TIMES.map((t, j) => [`"${t.replace('.', ',')}"`, String(100 + j)]);
    const text = file('"time,s";signal', ';', { rows });
    expect(errorOf(text)).toMatch(/^data: reads as a table with more than one separator: comma \(header on line 1: "time,s", signal\); or semicolon .*; set --separator ,\|;\|tab \(library option separator\)$/);
    const d = parseChromatogramCsv(text, { separator: ';', timeColumn: 'time,s' });
    expect(Array.from(d.time)).toEqual(Array.from(reference.time));
    expect(d.signal[11]).toBe(111);
  });

  it('a header name that matches two columns: --signal-column with a number', () => {
    const rows = TIMES.map((t, j) => [t, '1', SIGNALS[j]]);
    const text = file('time,signal, signal', ',', { rows });
    expect(errorOf(text)).toBe('data header: has 2 columns named "signal" (columns 2 and 3, header on line 1); ' +
      'set --signal-column 2 or 3 (library option signalColumn): a number picks a column by position');
    expectReference(text, { signalColumn: 3 });
    // An exact match is preferred to one that differs in case only.
    expectReference(file('time,Signal,signal', ',', { rows }));
  });

  it('a missing column: --time-column / --signal-column', () => {
    expect(errorOf(file('Zeit,signal', ','))).toBe('data header: has no column "time"; columns: Zeit, signal (header on line 1); ' +
      'set --time-column <name or number> (library option timeColumn)');
    expectReference(file('Zeit,signal', ','), { timeColumn: 'Zeit' });
  });

  it('a file with no separator at all', () => {
    expect(errorOf('time\n1\n2\n')).toMatch(/^data: has no line of two or more cells separated by a comma, semicolon or tab/);
  });

  it('bad option values name the option', () => {
    expect(() => parseChromatogramCsv(PLAIN, { separator: '|' as never })).toThrow(/^options.separator must be ",", ";" or "tab", got "\|"$/);
    expect(() => parseChromatogramCsv(PLAIN, { decimal: ';' as never })).toThrow(/^options.decimal must be "\." or ",", got ";"$/);
    expect(() => parseChromatogramCsv(PLAIN, { timeUnit: 'h' as never })).toThrow(/^options.timeUnit must be "s", "min" or "ms", got "h"$/);
  });
});

describe('bad files: the line, the column, never NaN', () => {
  it('a bad number names its line and column', () => {
    for (const bad of ['abc', '', 'NaN', 'Infinity', '0x10', '1e999', '1.2.3', '--1', '1 2']) {
      const rows = TIMES.map((t, j) => [t, j === 4 ? bad : SIGNALS[j]]);
      expect(errorOf(file('time,signal', ',', { rows })), bad)
        .toMatch(new RegExp(`^data line 6: signal must be a finite number, got ${JSON.stringify(bad).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(column 2`));
    }
  });

  it('an empty file, a blank one, a header without rows', () => {
    expect(errorOf('')).toBe('data: the file is empty');
    expect(errorOf('\ufeff \r\n\n')).toBe('data: the file is empty');
    expect(errorOf('time,signal\n')).toBe('data: has a header (line 1) but no data rows');
    expect(errorOf('# export\ntime;signal\r\n\r\n')).toBe('data: has a header (line 2) but no data rows');
  });

  it('ragged rows: the line and, when a needed column is missing, its name', () => {
    expect(errorOf('time,signal\n0,1\n1\n')).toBe('data line 3: signal must be a finite number, got nothing ' +
      '(the line has 1 cell, the header (line 1) 2 cells)');
    expect(errorOf('time,signal\n0,1\n1,2,3\n')).toBe('data line 3: the line has 3 cells, the header (line 1) 2 cells');
  });

  it('times out of order name the point and the line', () => {
    const rows = TIMES.map((t, j) => [j === 5 ? '0.5' : t, SIGNALS[j]]);
    expect(errorOf(file('x\ny\ntime,signal', ',', { rows }))).toBe(
      'data.time[5]: times must increase strictly (no duplicates, sorted); got 0.5 after 2.25 (line 9)');
  });

  it('all columns of a file to plot must be numeric', () => {
    const rows = TIMES.map((t, j) => [t, SIGNALS[j], j === 2 ? 'n/a' : '0']);
    expect(() => readChromatogramColumns(file('time,signal,benzene', ',', { rows })))
      .toThrow(/^data line 4: benzene must be a finite number, got "n\/a" \(column 3\)$/);
    const ok = readChromatogramColumns(file('time,benzene,signal', ',', { rows: rows.map((r) => [r[0], '0', r[1]]) }));
    expect(ok).toMatchObject({ names: ['benzene', 'signal'], signal: 1 });
  });
});

describe('the command line reads CSVs the same way', () => {
  const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'elution-csv-read-'));
  const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8' });

  it('plot --csv with columns by number and a time unit; bad options exit 2, bad files 1 with file, line, column', () => {
    const rows = TIMES.map((t, j) => [String(Number(t) * 1000).replace('.', ','), SIGNALS[j].replace('.', ',')]);
    writeFileSync(join(dir, 'export.csv'), 'Sample: x\nDetector: TCD\n' + file('t (ms);TCD (mV)', ';', { rows }));
    const ok = run('plot', '--csv', 'export.csv', '--time-column', '1', '--signal-column', 'TCD (mV)', '--time-unit', 'ms',
      '--kind', 'signal', '--out', '-');
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('>TCD (mV)</text>');
    const cases: [string[], number, RegExp][] = [
      [['plot', '--csv', 'export.csv', '--separator', '|'], 2, /--separator must be ",", ";" or "tab", got "\|"/],
      [['plot', '--csv', 'export.csv', '--time-column', '0'], 2, /--time-column must be a column name or a column number from 1, got 0/],
      [['plot', '--time-unit', 'min'], 2, /--time-unit applies only with --csv/],
      [['report', '--decimal', ','], 2, /--decimal applies to a data .csv, and none was given/],
      [['plot', '--csv', 'export.csv'], 1, /^elution: export.csv: data header: has no column "time"; columns: t \(ms\), TCD \(mV\) \(header on line 3\); set --time-column/m],
      [['plot', '--csv', 'export.csv', '--time-column', '1'], 1, /export.csv: data header: the time column "t \(ms\)" is in ms, read as s by default; set --time-unit ms/],
      [['plot', '--csv', 'export.csv', '--time-column', '1', '--time-unit', 'ms', '--decimal', '.'], 1,
        /export.csv: data line 4: TCD \(mV\) must be a finite number, got "3935,4" \(column 2\)/],
    ];
    for (const [args, code, message] of cases) {
      const r = run(...args);
      expect(r.status, args.join(' ')).toBe(code);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
  });
});
