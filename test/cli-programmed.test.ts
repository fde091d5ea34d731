/**
 * `elution simulate` for programmed runs, run as a user runs it: the run shorthands, exit codes,
 * one-line messages naming the option, and numbers equal to the library's.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { programmedProblem } from '../src/model/examples.js';
import { parseRunProblem } from '../src/model/run.js';
import { migrationChromatogram } from '../src/solvers/gaussian.js';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../examples/decane-programmed.json', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'elution-cli-run-'));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function readCsv(file: string) {
  const [header, ...lines] = readFileSync(join(dir, file), 'utf8').trim().split('\n');
  return { header: header.split(','), rows: lines.map((l) => l.split(',').map(Number)) };
}

/** The library's chromatogram of the programmed example with some keys changed. */
function library(change: (p: Record<string, any>) => void = () => {}) {
  const p = programmedProblem() as Record<string, any>;
  change(p);
  const r = parseRunProblem(p);
  return migrationChromatogram(r.conditions, { baseline: r.detector?.baseline });
}

describe('elution simulate, programmed runs', () => {
  it('the example file is the built-in programmed problem, and `example --programmed` prints it', () => {
    expect(JSON.parse(readFileSync(EXAMPLE, 'utf8'))).toEqual(programmedProblem());
    const r = run('example', '--programmed');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(programmedProblem());
  });

  it('--program on the built-in example: the library\'s numbers in the CSV, the table on stdout', () => {
    const r = run('simulate', '--program', '50(2)-15-280(1)', '--out', 'p.csv');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^migration equation \+ Gaussian peaks/);
    expect(r.stdout).toMatch(/oven 50\(2\)-15-280\(1\) \(°C, °C\/min, min\); carrier He, flow control/);
    const lib = library((p) => { p.oven = { program: '50(2)-15-280(1)' }; });
    const csv = readCsv('p.csv');
    expect(csv.header).toEqual(['time', 'C9', 'C10', 'C11', 'C12', 'C13', 'C14', 'signal']);
    expect(csv.rows.length).toBe(lib.times.length);
    const j = lib.times.findIndex((t) => t >= lib.analytes[3].moments.mean);
    expect(csv.rows[j][0]).toBe(lib.times[j]);
    expect(csv.rows[j][4]).toBe(lib.analytes[3].concentration[j]);
    expect(csv.rows[j][7]).toBe(lib.signal![j]);
    // the table shows t_R and the elution temperature of each analyte
    const c12 = lib.analytes[3].moments;
    expect(r.stdout).toMatch(new RegExp(`C12\\s+${c12.mean.toFixed(3)}\\s+${c12.sigma.toFixed(4)}\\s+${(c12.elutionTemperature - 273.15).toFixed(1)}`));
    expect(r.stdout).toMatch(/status: eluted/);
  });

  it('--inlet-pressure (gauge, psi) and --gas: the run the library computes from the same keys, in JSON', () => {
    const r = run('simulate', EXAMPLE, '--inlet-pressure', '60psig', '--gas', 'h2', '--out', 'p.json');
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'p.json'), 'utf8'));
    const lib = library((p) => { p.carrier = { gas: 'H2', inletPressure: 60 * 6894.757293168361, pressureScale: 'gauge' }; });
    lib.analytes.forEach((a, i) => {
      expect(json.analytes[i].moments.mean).toBe(a.moments.mean);
      expect(json.analytes[i].moments.sigma).toBe(a.moments.sigma);
    });
    expect(json.migration.status.code).toBe('eluted');
    expect(r.stdout).toMatch(/carrier H2, pressure control: at t = 0 inlet 515\.0 kPa/);
  });

  it('--flow in mL/min: twice the flow elutes every alkane earlier', () => {
    const a = run('simulate', '--flow', '1.2', '--out', 'a.json');
    const b = run('simulate', '--flow', '2.4mL/min', '--out', 'b.json');
    expect([a.code, b.code]).toEqual([0, 0]);
    const ja = JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8'));
    const jb = JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8'));
    // 1.2 mL/min is the example's own flow
    expect(ja.analytes[0].moments.mean).toBe(library().analytes[0].moments.mean);
    for (let i = 0; i < 6; i++) expect(jb.analytes[i].moments.mean).toBeLessThan(ja.analytes[i].moments.mean);
    expect(a.stdout).toMatch(/flow 1\.200 mL\/min/);
  });

  const usage: [string[], RegExp][] = [
    [['--inlet-pressure', '60psi'], /^elution: --inlet-pressure "60psi": say whether the pressure is gauge or absolute/],
    [['--inlet-pressure', '4 hPa gauge'], /^elution: --inlet-pressure: unknown pressure unit "hPa"/],
    [['--program', '40(1)-0-300'], /^elution: --program: step 2: rate 0 °C\/min cannot reach 300 °C/],
    [['--program', '40(1)-10-460'], /^elution: --program: step 2: target .* is above 450 °C/],
    [['--gas', 'CO2'], /^elution: --gas must be one of He, H2, N2, Ar, got "CO2"/],
    [['--flow', '0'], /^elution: --flow must be a column flow > 0 in mL\/min/],
    [['--flow', '1', '--inlet-pressure', '1 bar gauge'], /^elution: --inlet-pressure and --flow exclude each other/],
    [['--program', '40', '--velocity', 'constant'], /^elution: --velocity applies to the paper's form/],
    [['--program', '40(1)-10-300', '--method', 'laplace'], /^elution: --method laplace solves the paper's isothermal model/],
    [['--program', '40', '--method', 'exact'], /^elution: --method must be "migration" or "fd" or "laplace", got "exact"/],
    [['--program', '40', '--cells', '100'], /^elution: --cells, --dt, --accuracy and --scheme apply to --method fd only/],
  ];
  for (const [args, message] of usage) {
    it(`exit 2 with one line naming the option: ${args.join(' ')}`, () => {
      const r = run('simulate', ...args, '--out', 'never.csv');
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.split('\n')[1]).toBe("Run 'elution simulate --help' for usage.");
    });
  }

  it('a run option on a problem in the paper\'s form is a usage error naming both', () => {
    const r = run('simulate', '--gas', 'He', fileURLToPath(new URL('../examples/fusion-2021.json', import.meta.url)));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^elution: --gas needs a problem in the run form .*fusion-2021\.json is in the paper's form/);
  });

  it('a bad key in a run-form file: exit 1, the file and the key named', () => {
    const p = programmedProblem() as Record<string, any>;
    p.oven = { program: '40(1)-10-300(2)-5-20' };
    p.carrier.flow = -1;
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(p));
    const r = run('simulate', 'bad.json');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^elution: bad\.json: carrier\.flow/);
    const q = programmedProblem() as Record<string, any>;
    q.oven = { breakpoints: [[0, 313.15], [60, 313.15], [50, 400]] };
    writeFileSync(join(dir, 'bad2.json'), JSON.stringify(q));
    const s = run('simulate', 'bad2.json');
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(/^elution: bad2\.json: oven\.breakpoints\[2\]\[0\]: time 50 s is before the previous breakpoint/);
  });
});
