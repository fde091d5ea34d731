/** Outputs never replace inputs, and an interrupted write leaves the old file as it was. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { btexProblem, chromatogram } from '../src/index.js';
import { beginCommand, readText, write } from '../src/cli/common.js';
import { fittedCsvName } from '../src/cli/fit.js';

// writeSync that can be made to stop half-way through its `after`-th call, as a full disk or a
// killed process would
const interrupt = vi.hoisted(() => ({ on: false, after: 0, calls: 0 }));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const writeSync = (fd: number, buffer: NodeJS.ArrayBufferView, offset = 0, length = buffer.byteLength - offset) => {
    if (!interrupt.on || interrupt.calls++ < interrupt.after) return real.writeSync(fd, buffer, offset, length);
    real.writeSync(fd, buffer, offset, length >> 1);
    throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
  };
  return { ...real, default: { ...real, writeSync }, writeSync };
});

const { mkdtempSync, readFileSync, readdirSync, writeFileSync, symlinkSync, linkSync } = fs;
const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'elution-outputs-'));
const PROBLEM = JSON.stringify(btexProblem(), null, 2);

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** BTEX signal as a measured chromatogram. */
function dataCsv(): string {
  const r = chromatogram(btexProblem());
  return 'time,signal\n' + Array.from(r.times, (t, j) => `${t},${r.signal![j]}`).join('\n') + '\n';
}

afterEach(() => {
  interrupt.on = false;
  interrupt.after = 0;
  interrupt.calls = 0;
});

describe('atomic writes', () => {
  it('an interrupted write leaves the old file intact and no temporary file behind', () => {
    const file = join(dir, 'old.csv');
    writeFileSync(file, 'the old content\n');
    beginCommand();
    interrupt.on = true;
    expect(() => write(file, 'x'.repeat(1000))).toThrow(/^cannot write .*old\.csv: no space left on the device \(ENOSPC\)$/);
    interrupt.on = false;
    expect(readFileSync(file, 'utf8')).toBe('the old content\n');
    expect(readdirSync(dir).filter((f) => f.includes('old.csv'))).toEqual(['old.csv']);
    write(file, 'new\n');
    expect(readFileSync(file, 'utf8')).toBe('new\n');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a write in chunks interrupted after the first chunk leaves the old file intact', () => {
    const file = join(dir, 'chunked.csv');
    writeFileSync(file, 'the old content\n');
    beginCommand();
    interrupt.on = true;
    interrupt.after = 1;
    expect(() => write(file, ['first chunk\n', 'x'.repeat(100_000)])).toThrow(/^cannot write .*chunked\.csv: no space left on the device \(ENOSPC\)$/);
    expect(interrupt.calls).toBe(2);
    interrupt.on = false;
    expect(readFileSync(file, 'utf8')).toBe('the old content\n');
    expect(readdirSync(dir).filter((f) => f.includes('chunked.csv'))).toEqual(['chunked.csv']);
    write(file, ['a\n', 'b\n']);
    expect(readFileSync(file, 'utf8')).toBe('a\nb\n');
  });

  it('write() refuses a file read by the same command, and forgets it at the next command', () => {
    const file = join(dir, 'read.json');
    writeFileSync(file, '{}');
    beginCommand();
    readText(file, 'problem file');
    expect(() => write(file, 'replaced')).toThrow(/^--out .*read\.json is an input of this command/);
    expect(readFileSync(file, 'utf8')).toBe('{}');
    beginCommand();
    write(file, 'replaced');
    expect(readFileSync(file, 'utf8')).toBe('replaced');
  });
});

describe('no output replaces an input', () => {
  writeFileSync(join(dir, 'p.json'), PROBLEM);
  writeFileSync(join(dir, 'data.csv'), dataCsv());
  symlinkSync('p.json', join(dir, 'link.json'));
  linkSync(join(dir, 'p.json'), join(dir, 'hard.json'));

  it.each([
    [['simulate', 'p.json', '--out', 'p.json'], /--out p\.json is an input of this command; it would be replaced/],
    [['simulate', 'p.json', '--out', `../${dir.split('/').pop()}/p.json`], /is an input of this command \(p\.json\)/],
    [['simulate', 'link.json', '--out', 'p.json'], /--out p\.json is an input of this command \(link\.json\)/],
    [['simulate', 'p.json', '--out', 'link.json'], /--out link\.json is an input/],
    [['profile', 'p.json', '--time', '100', '--out', 'hard.json'], /--out hard\.json is an input of this command \(p\.json\)/],
    [['plot', 'p.json', '--out', 'p.json'], /--out p\.json is an input/],
    [['fit', 'p.json', 'data.csv', '--out', 'p.json'], /--out p\.json is an input/],
    [['fit', 'p.json', 'data.csv', '--csv', 'data.csv'], /--csv data\.csv is an input/],
    [['fit', 'p.json', 'data.csv', '--out', 'data.fitted.json', '--csv', 'data.fitted.json'],
      /--csv data\.fitted\.json is also the --out file/],
    [['fit', 'p.json', 'data.fitted.csv', '--out', 'data.json'], /--csv \(default\) data\.fitted\.csv is an input/],
  ])('elution %j is refused with exit 2 and the inputs unchanged', (args, message) => {
    if (args.includes('data.fitted.csv')) writeFileSync(join(dir, 'data.fitted.csv'), dataCsv());
    const r = run(...args);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(readFileSync(join(dir, 'p.json'), 'utf8')).toBe(PROBLEM);
    expect(readFileSync(join(dir, 'data.csv'), 'utf8')).toBe(dataCsv());
    expect(readFileSync(join(dir, 'link.json'), 'utf8')).toBe(PROBLEM);
  });

  it('report --out - is refused (a report is a directory of files), and no directory named - appears', () => {
    const r = run('report', '--out', '-', '--quiet');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out names the directory for report\.html .*"-" \(standard output\) cannot hold them/);
    expect(fs.existsSync(join(dir, '-'))).toBe(false);
  });

  it('an output that is a directory, or under a missing directory or a file, is refused before the solve, naming --out', () => {
    fs.mkdirSync(join(dir, 'a-directory'), { recursive: true });
    writeFileSync(join(dir, 'a-file'), 'x');
    const cases: [string[], RegExp][] = [
      [['simulate', '--out', 'a-directory'], /^elution: --out a-directory is a directory; give the path of a file in it\n/],
      [['plot', '--out', 'a-directory'], /^elution: --out a-directory is a directory/],
      [['simulate', '--out', 'missing/x.csv'], /^elution: --out missing\/x\.csv: the directory \S*missing does not exist; create it or choose another path\n/],
      [['profile', '--time', '100', '--out', 'a-file/p.csv'], /^elution: --out a-file\/p\.csv: \S*a-file is a file, not a directory/],
      [['report', '--out', 'a-file/sub', '--no-fd', '--quiet'], /^elution: --out a-file\/sub\/report\.html: \S*a-file is a file, not a directory/],
    ];
    for (const [args, message] of cases) {
      const r = run(...args);
      expect(r.stderr).toMatch(message);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe(''); // nothing solved or printed first
    }
    expect(readdirSync(join(dir, 'a-directory'))).toEqual([]);
  });

  it('report creates a missing output directory with its parents', () => {
    const r = run('report', '--out', 'new/deeper', '--no-fd', '--quiet');
    expect(r.code).toBe(0);
    expect(fs.existsSync(join(dir, 'new', 'deeper', 'report.html'))).toBe(true);
  });

  it('report refuses a problem file named report.html in the output directory', () => {
    writeFileSync(join(dir, 'report.html'), PROBLEM);
    const r = run('report', 'report.html', '--out', '.', '--quiet');
    expect(r.stderr).toMatch(/--out report\.html is an input of this command/);
    expect(r.code).toBe(2);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toBe(PROBLEM);
  });

  it('fit --out data.json keeps data.csv and writes data.json and data.fitted.csv', () => {
    expect(fittedCsvName('data.json')).toBe('data.fitted.csv');
    expect(fittedCsvName('-')).toBe('fit.fitted.csv');
    const r = run('fit', 'p.json', 'data.csv', '--out', 'data.json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wrote data\.json and data\.fitted\.csv/);
    expect(readFileSync(join(dir, 'data.csv'), 'utf8')).toBe(dataCsv());
    expect(readFileSync(join(dir, 'data.fitted.csv'), 'utf8').split('\n')[0]).toBe('time,measured,fitted,baseline');
  });

  it('a device such as /dev/null is still written, and a symlinked output is written through', () => {
    expect(run('simulate', '--out', '/dev/null').code).toBe(0);
    writeFileSync(join(dir, 'target.csv'), 'old');
    symlinkSync('target.csv', join(dir, 'out-link.csv'));
    expect(run('simulate', '--out', 'out-link.csv').code).toBe(0);
    expect(fs.lstatSync(join(dir, 'out-link.csv')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'target.csv'), 'utf8').split('\n')[0]).toMatch(/^time,o-xylene/);
  });
});
