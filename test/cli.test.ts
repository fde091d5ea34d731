/** The command line, run as a user runs it: exit codes, one-line errors, files written. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { btexProblem, chromatogram, profiles } from '../src/index.js';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'elution-cli-'));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function parseCsv(text: string) {
  const [header, ...lines] = text.trim().split('\n');
  return { header: header.split(','), rows: lines.map((l) => l.split(',').map(Number)) };
}

describe('elution simulate', () => {
  it('without a file: BTEX summary on stdout and chromatogram.csv with the library values', () => {
    const r = run('simulate');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/benzene\s+119\.16/);
    expect(r.stdout).toMatch(/status: success/);
    const csv = parseCsv(readFileSync(join(dir, 'chromatogram.csv'), 'utf8'));
    expect(csv.header).toEqual(['time', 'o-xylene', 'p+m-xylene', 'ethylbenzene', 'toluene', 'benzene', 'signal']);
    expect(csv.rows.length).toBe(1401);
    const lib = chromatogram(btexProblem());
    expect(csv.rows[238][0]).toBe(119);
    expect(csv.rows[238][5]).toBe(lib.analytes[4].concentration[238]);
    expect(csv.rows[238][6]).toBe(lib.signal![238]);
    expect(csv.rows.flat().every(Number.isFinite)).toBe(true);
  });

  it('--velocity constant --out file.json writes the full result', () => {
    const r = run('simulate', '--velocity', 'constant', '--out', 'c.json');
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'c.json'), 'utf8'));
    expect(json.velocity).toBe('constant');
    expect(json.analytes[4].moments.holdupTime).toBeCloseTo(48.78, 2);
    expect(json.times.length).toBe(1401);
  });

  it('--diffusion on takes the diffusivities at variable velocity (MODEL.md §12.6), off leaves them out; bad values exit 2', () => {
    const on = run('simulate', '--diffusion', 'on', '--out', 'on.csv');
    expect(on.code).toBe(0);
    expect(on.stdout).toMatch(/^Laplace solution with diffusion, variable velocity/);
    const csv = parseCsv(readFileSync(join(dir, 'on.csv'), 'utf8'));
    const lib = chromatogram(btexProblem(), { diffusion: true });
    expect(csv.rows[238][5]).toBe(lib.analytes[4].concentration[238]);
    expect(lib.analytes[4].concentration[238]).not.toBe(chromatogram(btexProblem()).analytes[4].concentration[238]);
    const off = run('simulate', '--velocity', 'constant', '--diffusion', 'off', '--out', 'off.csv');
    expect(off.code).toBe(0);
    expect(off.stdout).toMatch(/^Laplace solution, constant velocity/);
    const bad = run('simulate', '--diffusion', 'maybe');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--diffusion must be "on" or "off", got "maybe"/);
    expect(run('simulate', '--method', 'fd', '--diffusion', 'on').stderr).toMatch(/--diffusion applies to --method laplace, not fd/);
  });

  it('--out - writes CSV to stdout and the summary to stderr', () => {
    const r = run('simulate', '--out', '-');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('time,o-xylene')).toBe(true);
    expect(r.stderr).toMatch(/t_R \(s\)/);
  });

  it('a problem file with one analyte', () => {
    const p = btexProblem();
    p.analytes = [p.analytes[4]];
    writeFileSync(join(dir, 'one.json'), JSON.stringify(p));
    const r = run('simulate', 'one.json', '--out', 'one.csv');
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'one.csv'), 'utf8').split('\n')[0]).toBe('time,benzene,signal');
  });
});

describe('elution profile and example', () => {
  it('profile --time 108 writes x,<analytes> with the library values', () => {
    const r = run('profile', '--time', '108', '--points', '11', '--out', '-');
    expect(r.code).toBe(0);
    const csv = parseCsv(r.stdout);
    expect(csv.header[0]).toBe('x');
    expect(csv.rows.map((row) => row[0])).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
    const lib = profiles(btexProblem(), { times: [108], points: 11 });
    expect(csv.rows[5][5]).toBe(lib.concentrations[0][4][5]);
  });

  it('example prints the BTEX problem, which simulate accepts', () => {
    const r = run('example');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(btexProblem());
  });

  it('--help everywhere', () => {
    for (const args of [['--help'], ['simulate', '--help'], ['profile', '-h'], ['example', '--help'], ['help', 'profile']]) {
      const r = run(...args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Usage: elution/);
    }
  });
});

describe('bad input: one line naming the problem, non-zero exit', () => {
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...btexProblem(), injection: { duration: -4 } }));
  writeFileSync(join(dir, 'broken.json'), '{"column": ');
  const cases: [string[], number, RegExp][] = [
    [['simulate', '--bogus'], 2, /^elution: Unknown option '--bogus'$/m],
    [['simulat'], 2, /^elution: unknown command "simulat"; commands: simulate, profile, fit, plot, report, example$/m],
    [['simulate', 'missing.json'], 1, /^elution: cannot read problem file missing\.json: no such file or directory \(ENOENT\)$/m],
    [['simulate', 'broken.json'], 1, /^elution: broken\.json is not valid JSON/m],
    [['simulate', 'bad.json'], 1, /^elution: bad\.json: injection\.duration: must be a finite number > 0 \(s\), got -4$/m],
    [['simulate', '--velocity', 'fast'], 2, /^elution: --velocity: must be "variable" or "constant", got "fast"$/m],
    [['simulate', '--engine', 'gpu'], 2, /^elution: --engine must be "wasm" or "js", got "gpu"$/m],
    [['simulate', 'a.json', 'b.json'], 2, /^elution: simulate takes at most one problem file/m],
    [['simulate', '--out', '/nonexistent-dir/x.csv'], 2, /^elution: --out \/nonexistent-dir\/x\.csv: the directory \/nonexistent-dir does not exist; create it or choose another path$/m],
    [['profile'], 2, /^elution: profile needs --time/m],
    [['profile', '--time', 'soon'], 2, /^elution: --time must be a finite number >= 0, got "soon"$/m],
    [['profile', '--time=-5'], 2, /^elution: --time must be a finite number >= 0, got "-5"$/m],
    [['profile', '--time', '10', '--points', '1'], 2, /^elution: --points must be an integer >= 2 and <= 10000000, got "1"$/m],
    [['example', 'extra'], 2, /^elution: example takes no arguments/m],
  ];
  for (const [args, code, message] of cases) {
    it(args.join(' '), () => {
      const r = run(...args);
      expect(r.code).toBe(code);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/RuntimeError|unreachable|^\s+at /m); // no stack trace, no wasm trap
      expect(r.stdout).not.toMatch(/NaN/);
    });
  }
});
