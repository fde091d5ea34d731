/**
 * Messages and files from hostile or foreign input: byte-order marks and UTF-16, terminal escape
 * sequences and long lines quoted from files, negative option values, huge data, analyte names
 * that would break a CSV file or a spreadsheet.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  btexProblem, chromatogram, chromatogramCsv, fitChromatogram, parseProblem, profileCsv, profiles, readCsvTable,
  readChromatogramColumns,
} from '../src/index.js';
import { decodeText, excerpt, terminalSafe } from '../src/io/text.js';
import { btexWith } from './helpers.js';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'elution-messages-'));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const problemText = JSON.stringify(btexProblem(), null, 2);

/** Bytes of `text` in UTF-16, little- or big-endian, with a byte-order mark when asked. */
function utf16(text: string, endian: 'le' | 'be', mark = true): Buffer {
  const body = Buffer.from(text, 'utf16le');
  if (endian === 'be') body.swap16();
  const bom = endian === 'le' ? [0xff, 0xfe] : [0xfe, 0xff];
  return mark ? Buffer.concat([Buffer.from(bom), body]) : body;
}

describe('decodeText', () => {
  it.each([
    ['UTF-8', Buffer.from(problemText)],
    ['UTF-8 with a byte-order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(problemText)])],
    ['UTF-16LE with a byte-order mark', utf16(problemText, 'le')],
    ['UTF-16BE with a byte-order mark', utf16(problemText, 'be')],
    ['UTF-16LE without a mark', utf16(problemText, 'le', false)],
  ])('%s gives the text', (_name, bytes) => {
    expect(decodeText(new Uint8Array(bytes))).toBe(problemText);
  });

  it('keeps non-ASCII text in every encoding', () => {
    const text = 'time;Signal (µV) – benzène\n';
    for (const bytes of [Buffer.from(text), utf16(text, 'le'), utf16(text, 'be')]) expect(decodeText(bytes)).toBe(text);
  });

  it.each([
    ['UTF-8 BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(problemText)])],
    ['UTF-16LE', utf16(problemText, 'le')],
    ['UTF-16BE', utf16(problemText, 'be')],
  ])('the CLI reads a %s problem file as the same problem', (name, bytes) => {
    const file = `p-${name.replace(/\W/g, '')}.json`;
    writeFileSync(join(dir, file), bytes);
    const r = run('simulate', file, '--out', `${file}.csv`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, `${file}.csv`), 'utf8')).toBe(chromatogramCsv(chromatogram(btexProblem())));
  });

  it('the CLI reads a UTF-16 data file (CR-only line ends) for a fit', () => {
    const r = chromatogram(btexProblem());
    const csv = ['time,signal', ...Array.from(r.times, (t, j) => `${t},${r.signal![j]}`)].join('\r');
    writeFileSync(join(dir, 'data16.csv'), utf16(csv, 'le'));
    writeFileSync(join(dir, 'p.json'), problemText);
    const fit = run('fit', 'p.json', 'data16.csv', '--out', 'fit16.json');
    expect(fit.stderr).toBe('');
    expect(fit.code).toBe(0);
  });
});

describe('what is quoted from input is safe for a terminal', () => {
  it('terminalSafe escapes controls, escape sequences and bidirectional controls', () => {
    expect(terminalSafe('a\u001b[31mb\u0007c\rd\u009b1m\u202ee\u2066f')).toBe('a\\u001b[31mb\\u0007c\\rd\\u009b1m\\u202ee\\u2066f');
    expect(terminalSafe('benzène µV 😀')).toBe('benzène µV 😀');
  });

  it('excerpt cuts at 60 characters and says how long the text was', () => {
    expect(excerpt('x'.repeat(60))).toBe(`"${'x'.repeat(60)}"`);
    expect(excerpt('y'.repeat(5000))).toBe(`"${'y'.repeat(60)}..." (5000 characters)`);
    expect(excerpt('a"b\\c')).toBe('"a\\"b\\\\c"');
  });

  it('a data cell with escape sequences is quoted escaped (library and CLI)', () => {
    const text = 'time,signal\n0,1\n1,\u001b[31mRED\u001b]0;title\u0007\n2,3\n';
    expect(() => readChromatogramColumns(text)).toThrow(
      'data line 3: signal must be a finite number, got "\\u001b[31mRED\\u001b]0;title\\u0007" (column 2)');
    writeFileSync(join(dir, 'esc.csv'), text);
    writeFileSync(join(dir, 'p.json'), problemText);
    const r = run('fit', 'p.json', 'esc.csv', '--out', 'esc.json');
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(r.stderr).toContain('got "\\u001b[31mRED');
  });

  it('a long line of a CR-only file is quoted cut, never echoed whole', () => {
    const junk = 'z'.repeat(100_000);
    writeFileSync(join(dir, 'long.csv'), `time,signal\r0,1\r1,${junk}\r2,3\r`);
    writeFileSync(join(dir, 'p.json'), problemText);
    const r = run('fit', 'p.json', 'long.csv', '--out', 'long.json');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^elution: long\.csv: data line 3: signal must be a finite number, got "z{60}\.\.\." \(100000 characters\)/);
    expect(r.stderr.length).toBeLessThan(300);
  });

  it('a header of many long names is listed cut', () => {
    const names = Array.from({ length: 1000 }, (_, k) => `column ${k} ${'w'.repeat(200)}`);
    const text = `${names.join(',')}\n${names.map(() => '1').join(',')}\n`;
    let message = '';
    try {
      readChromatogramColumns(text);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^data header: has no column "time"; columns: "column 0 w{51}\.\.\." \(209 characters\), /);
    expect(message).toContain(', ... (1000 columns)');
    expect(message.length).toBeLessThan(1500);
  });

  it('a header name with a control character is quoted escaped where it names the column', () => {
    const text = 'time,\u0005sig\u001b[2J\n0,1\n1,x\n';
    expect(() => readChromatogramColumns(text, { signalColumn: 2 })).toThrow(
      /^data line 3: "\\u0005sig\\u001b\[2J" must be a finite number, got "x" \(column 2\)$/);
  });

  it('a lone quote with a given separator is a DataError, not an internal TypeError', () => {
    expect(() => readCsvTable('"', { separator: ',' })).toThrow(/^data: has no header row when split at comma$/);
  });

  it('invalid JSON with escape sequences: the message is escaped', () => {
    writeFileSync(join(dir, 'bad.json'), `{"column": \u001b[31m${'x'.repeat(5000)}`);
    const r = run('simulate', 'bad.json');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^elution: bad\.json is not valid JSON: /);
    expect(r.stderr).not.toMatch(/\u001b/);
    expect(r.stderr.length).toBeLessThan(400);
  });
});

describe('option values and data', () => {
  it.each([['--dt', '-1'], ['--dt', '-1e-3'], ['--cells', '-5'], ['--accuracy', '-.5']])(
    '%s %s is read as a value and refused by its range', (flag, value) => {
      const r = run('simulate', '--method', 'fd', flag, value);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')[0]).toMatch(new RegExp(`^elution: ${flag} must be .*, got "${value.replace('.', '\\.')}"$`));
    });

  it('--dt: "> 0", not the smallest double', () => {
    expect(run('simulate', '--method', 'fd', '--dt', '-1').stderr).toMatch(/--dt must be a finite number > 0, got "-1"/);
  });

  it.each([['signal', 1e296, /^data\.signal\[0\]: must be within ±1e\+100 \(the fit sums squares of the data\), got 3\.9354e\+299$/],
    ['time', 1e300, /^data\.time\[1\]: must be within ±1e\+100 .*, got 5e\+299$/]])(
    'data near 1e300 (%s) is refused naming the value', (key, factor, message) => {
      const r = chromatogram(btexProblem());
      const data = { time: Float64Array.from(r.times), signal: Float64Array.from(r.signal!) };
      data[key as 'time' | 'signal'] = data[key as 'time' | 'signal'].map((v) => v * factor);
      expect(() => fitChromatogram(btexProblem(), data)).toThrow(message);
    });
});

describe('analyte names', () => {
  it.each(['time', 'signal', 'x', ' Time ', 'SIGNAL'])('%j would duplicate a CSV column: refused', (name) => {
    const p = btexWith((q) => { q.analytes[1].name = name; });
    expect(() => parseProblem(p)).toThrow(/^analytes\[1\]\.name: must not be a column name of the CSV files \(time, signal, x;/);
  });

  it.each(['0', '1e5', ' 2,5 ', '.5'])('%j reads as a number in a CSV header: refused', (name) => {
    const p = btexWith((q) => { q.analytes[0].name = name; });
    expect(() => parseProblem(p)).toThrow(/^analytes\[0\]\.name: must not read as a number: a CSV header holding a number/);
  });

  it.each([['NUL', 'a\u0000b'], ['right-to-left override', 'a\u202eb'], ['isolate', '\u2067ab'], ['left-to-right mark', 'a\u200eb'],
    ['escape', 'a\u001b[31m']])('a name with a %s is refused, quoted escaped', (_what, name) => {
    const p = btexWith((q) => { q.analytes[0].name = name; });
    expect(() => parseProblem(p)).toThrow(/^analytes\[0\]\.name: must be a non-empty string, .* bidirectional controls/);
    let message = '';
    try {
      parseProblem(p);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(terminalSafe(message)).toBe(message);
  });

  it('names that a spreadsheet would run as formulas are written as text and read back as written', () => {
    const names = ['=1+2', '+cmd', '-2+3', '@SUM(A1)', "'=quoted", "'plain"];
    const problem = parseProblem(btexWith((q) => { names.forEach((n, i) => { if (i < 5) q.analytes[i].name = n; }); }));
    const csv = chromatogramCsv(chromatogram(problem));
    expect(csv.split('\n')[0]).toBe("time,'=1+2,'+cmd,'-2+3,'@SUM(A1),''=quoted,signal");
    expect(readCsvTable(csv).names).toEqual(['time', ...names.slice(0, 5), 'signal']);
    const profile = profileCsv(profiles(problem, { times: [100], points: 3 }));
    expect(profile.split('\n')[0]).toBe("x,'=1+2,'+cmd,'-2+3,'@SUM(A1),''=quoted");
    // a leading apostrophe before anything else is left as it is, both ways
    const plain = parseProblem(btexWith((q) => { q.analytes[0].name = names[5]; }));
    const plainCsv = chromatogramCsv(chromatogram(plain));
    expect(plainCsv.split('\n')[0].split(',')[1]).toBe("'plain");
    expect(readCsvTable(plainCsv).names[1]).toBe("'plain");
  });

  it('simulate writes the guarded names; every cell starting with = + - @ is a number', () => {
    writeFileSync(join(dir, 'formula.json'), JSON.stringify(btexWith((q) => { q.analytes[2].name = '=HYPERLINK("x")'; })));
    const r = run('simulate', 'formula.json', '--out', 'formula.csv');
    expect(r.code).toBe(0);
    const rows = readFileSync(join(dir, 'formula.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('time,o-xylene,p+m-xylene,"\'=HYPERLINK(""x"")",toluene,benzene,signal');
    const risky = rows.flatMap((row) => row.split(',')).filter((cell) => /^[=+\-@]/.test(cell));
    expect(risky.every((cell) => Number.isFinite(Number(cell)))).toBe(true);
  });
});
