/**
 * Bad data and bad fitting problems: each gives a clear error naming the key, row or window, the
 * value and what is allowed; never NaN output, a hang or a wasm abort.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  btexProblem, chromatogram, DataError, fitChromatogram, parseChromatogramCsv, parseFitProblem, parseProblem,
  ProblemError,
} from '../src/index.js';

const truth = btexProblem();
const sim = chromatogram(truth);
const data = { time: Array.from(sim.times), signal: Array.from(sim.signal!) };
const fitProblem = (fit: Record<string, unknown> = {}) => ({ ...btexProblem(), fit });

function fails(action: () => unknown, path: string, message: RegExp): void {
  let caught: unknown;
  try {
    action();
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected an error at ${path}`).toBeInstanceOf(RangeError);
  expect((caught as DataError).path).toBe(path);
  expect((caught as Error).message).toMatch(message);
}

describe('fit: bad data', () => {
  it('rejects unsorted and duplicate times', () => {
    const time = data.time.slice();
    [time[10], time[11]] = [time[11], time[10]];
    fails(() => fitChromatogram(fitProblem(), { time, signal: data.signal }), 'data.time[11]', /increase strictly/);
    const dup = data.time.slice();
    dup[20] = dup[19];
    fails(() => fitChromatogram(fitProblem(), { time: dup, signal: data.signal }), 'data.time[20]', /no duplicates/);
  });

  it('rejects NaN and infinite values', () => {
    const signal = data.signal.slice();
    signal[5] = NaN;
    fails(() => fitChromatogram(fitProblem(), { time: data.time, signal }), 'data.signal[5]', /finite number, got NaN/);
    const time = data.time.slice();
    time[7] = Infinity;
    fails(() => fitChromatogram(fitProblem(), { time, signal: data.signal }), 'data.time[7]', /finite/);
  });

  it('rejects too few points and mismatched lengths', () => {
    fails(() => fitChromatogram(fitProblem(), { time: [1, 2, 3], signal: [0, 1, 0] }), 'data', /at least 10 points, got 3/);
    fails(() => fitChromatogram(fitProblem(), { time: data.time, signal: data.signal.slice(1) }), 'data.signal',
      /as many values as data.time/);
    fails(() => fitChromatogram(fitProblem({ crop: { start: 100, end: 102 } }), data), 'fit.crop', /leaves 5 data points/);
  });

  it('rejects a window without a peak and a window outside the data', () => {
    fails(() => fitChromatogram(fitProblem({ windows: { benzene: { start: 10, end: 30 } } }), data),
      'fit.windows.benzene', /has no peak/);
    fails(() => fitChromatogram(fitProblem({ windows: { toluene: { start: 800, end: 900 } } }), data),
      'fit.windows.toluene', /outside the data used \(0 to 700 s\)/);
    fails(() => fitChromatogram(fitProblem({ crop: { start: 800, end: 900 } }), data), 'fit.crop', /outside the data/);
  });

  it('says when an analyte has no peak near its expected retention', () => {
    const p = fitProblem();
    p.analytes[4].ka *= 3; // benzene expected at ~300 s, where there is no peak
    fails(() => fitChromatogram(p, data), 'analytes[4]', /no peak of benzene near its expected retention/);
  });

  it('says when there are fewer peaks than analytes to detect', () => {
    const p = structuredClone(truth) as unknown as { analytes: Record<string, unknown>[] };
    for (const a of p.analytes) {
      delete a.ka;
      delete a.kd;
    }
    const flat = { time: data.time, signal: data.time.map((t) => 3935.4 + (t > 100 && t < 140 ? 50 * Math.exp(-((t - 119) ** 2) / 20) : 0)) };
    fails(() => fitChromatogram(p, flat), 'analytes[1]', /found 1 free peaks for 5 analytes/);
  });
});

describe('fit: reading a chromatogram CSV', () => {
  it('reads time and signal, with other column names on request', () => {
    const d = parseChromatogramCsv('t,x,y\n0,1,2\n1,3,4\n2,5,6\n3,1,1\n4,1,1\n5,1,1\n6,1,1\n7,1,1\n8,1,1\n9,1,1\n',
      { timeColumn: 't', signalColumn: 'y' });
    expect(Array.from(d.time.slice(0, 3))).toEqual([0, 1, 2]);
    expect(Array.from(d.signal.slice(0, 3))).toEqual([2, 4, 6]);
  });

  it('names the missing column and the bad line', () => {
    expect(() => parseChromatogramCsv('time,value\n0,1\n')).toThrow(/data header: has no column "signal"; columns: time, value/);
    expect(() => parseChromatogramCsv('time,signal\n0,1\n1,abc\n')).toThrow(/data line 3: signal must be a finite number, got "abc"/);
    expect(() => parseChromatogramCsv('time,signal\n0,1\n1\n')).toThrow(/data line 3: signal must be a finite number/);
  });
});

describe('fit: problem validation (fitting mode)', () => {
  it('accepts analytes without ka, kd only in the fitting mode', () => {
    const p = structuredClone(truth) as unknown as { analytes: Record<string, unknown>[] };
    delete p.analytes[0].ka;
    delete p.analytes[0].kd;
    expect(() => parseProblem(p)).toThrow(/analytes\[0\]\.ka: is required/);
    expect(parseFitProblem(p).analytes[0].ka).toBeUndefined();
    delete p.analytes[1].kd;
    expect(() => parseFitProblem(p)).toThrow(/analytes\[1\]\.kd: is required when the other rate constant is given/);
  });

  it('names the key of every bad fit setting', () => {
    const bad: [Record<string, unknown>, string, RegExp][] = [
      [{ windows: { nitrogen: { start: 1, end: 2 } } }, 'fit.windows.nitrogen', /is not an analyte; analytes: o-xylene/],
      [{ windows: { benzene: { start: 5, end: 2 } } }, 'fit.windows.benzene.end', /must be a finite number > 5/],
      [{ crop: { start: 'a' } }, 'fit.crop.start', /finite number/],
      [{ holdupTime: -1 }, 'fit.holdupTime', /> 0/],
      [{ holdupTime: 'guess' }, 'fit.holdupTime', /"fit", "column" or \{ "start"/],
      [{ baseline: { mode: 'smooth' } }, 'fit.baseline.mode', /one of "given", "estimate", "fit"/],
      [{ baseline: { mode: 'estimate', scope: 'window' } }, 'fit.baseline.scope', /needs fit.baseline.mode "fit"/],
      [{ baseline: { mode: 'fit', slope: 1 } }, 'fit.baseline.slope', /only used with mode "given"/],
      [{ response: 'guess' }, 'fit.response', /one of "problem", "area", "fit"/],
      [{ weighting: 'heavy' }, 'fit.weighting', /one of "uniform", "peak"/],
      [{ maxIterations: 0 }, 'fit.maxIterations', /integer >= 1/],
      [{ maxEvaluations: 10 }, 'fit.maxEvaluations', /finite number >= 14\.2/],
      [{ exclude: { start: 1 } }, 'fit.exclude', /array of/],
      [{ excludeOverlaps: 'yes' }, 'fit.excludeOverlaps', /true or false/],
      [{ tolerance: 1 }, 'fit.tolerance', /unknown key; allowed here/],
    ];
    for (const [fit, path, message] of bad) {
      let caught: unknown;
      try {
        parseFitProblem(fitProblem(fit));
      } catch (err) {
        caught = err;
      }
      expect(caught, path).toBeInstanceOf(Error);
      expect((caught as ProblemError).path, JSON.stringify(fit)).toBe(path);
      expect((caught as Error).message, path).toMatch(message);
    }
  });

  it('needs a column for a known geometry and responses for response "problem"', () => {
    const p = { injection: { duration: 1 }, analytes: [{ name: 'a', c0: 1 }] };
    expect(parseFitProblem(p).fit.geometry).toBe('unknown');
    expect(() => parseFitProblem({ ...p, fit: { geometry: 'known' } })).toThrow(/^column: is required/);
    expect(() => parseFitProblem({ ...p, fit: { response: 'problem' } })).toThrow(/fit.response: "problem" needs a known geometry/);
    expect(() => parseFitProblem({ ...p, fit: { holdupTime: 'column' } })).toThrow(/fit.holdupTime: "column" needs a known geometry/);
    const noResponse = btexProblem() as unknown as { analytes: Record<string, unknown>[] };
    delete noResponse.analytes[2].response;
    expect(() => parseFitProblem({ ...noResponse, fit: { response: 'problem' } }))
      .toThrow(/analytes\[2\]\.response: is required when fit.response is "problem"/);
    expect(parseFitProblem(noResponse).fit.response).toBe('area');
  });
});

describe('elution fit (command line)', () => {
  const cli = join(__dirname, '..', 'dist', 'cli', 'main.js');
  const dir = mkdtempSync(join(tmpdir(), 'elution-fit-'));
  const problemFile = join(dir, 'problem.json');
  const dataFile = join(dir, 'data.csv');
  const p = btexProblem() as unknown as { analytes: Record<string, unknown>[] };
  p.analytes.reverse();
  for (const a of p.analytes) {
    delete a.ka;
    delete a.kd;
  }
  writeFileSync(problemFile, JSON.stringify(p));
  writeFileSync(dataFile, 'time,signal\n' + data.time.map((t, j) => `${t},${data.signal[j]}`).join('\n') + '\n');

  it('prints the table and writes JSON and the fitted chromatogram beside the measured one', () => {
    const out = join(dir, 'result.json');
    const stdout = execFileSync('node', [cli, 'fit', problemFile, dataFile, '--out', out], { encoding: 'utf8' });
    expect(stdout).toMatch(/k_a \(1\/s\).*k_d \(1\/s\).*K.*q_e.*beta.*SSE.*R2.*iterations.*evaluations.*status/);
    expect(stdout).toMatch(/benzene\s+579\.0 ± /);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.analytes[0].name).toBe('benzene');
    expect(Math.abs(json.analytes[0].kd / 5.299 - 1)).toBeLessThan(1e-10);
    expect(json.status.code).toBe('converged');
    const csv = readFileSync(join(dir, 'result.fitted.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe('time,measured,fitted,baseline');
    expect(csv.length).toBe(1401 + 2);
  });

  it('exits 1 with a one-line message naming the problem for bad data, 2 for a bad command line', () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'time,signal\n0,1\n2,2\n1,3\n' + Array.from({ length: 10 }, (_, j) => `${j + 3},0`).join('\n'));
    const run = (args: string[]) => {
      try {
        execFileSync('node', [cli, ...args], { encoding: 'utf8', stdio: 'pipe' });
        return { code: 0, stderr: '' };
      } catch (err) {
        const e = err as { status: number; stderr: string };
        return { code: e.status, stderr: e.stderr };
      }
    };
    const r1 = run(['fit', problemFile, bad]);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toMatch(/bad\.csv: data.time\[2\]: times must increase strictly/);
    const r2 = run(['fit', problemFile]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/fit takes a problem file and a data file/);
    const r3 = run(['fit', problemFile, dataFile, '--out', join(dir, 'r3.json'), '--max-evaluations', '5']);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toMatch(/--max-evaluations must be a finite number >= 14\.2/);
  });

  it('stops at --max-evaluations and says so', () => {
    const out = join(dir, 'budget.json');
    const stdout = execFileSync('node', [cli, 'fit', problemFile, dataFile, '--out', out, '--max-evaluations', '15'],
      { encoding: 'utf8' });
    expect(stdout).toMatch(/status: max-evaluations \(fit stopped at its work limit/);
    expect(stdout).toMatch(/work [\d.]+ of 15 chromatogram evaluations \(\d+ kernel calls\)/);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.status.code).toBe('max-evaluations');
    expect(json.cost.chromatogramEvaluations).toBeLessThanOrEqual(15);
  });
});

describe('fit: never a silent Infinity', () => {
  it('noise-free data holding no peak, weighted by peak height: a DataError, not sse Infinity with a status', () => {
    // found by the property-based tests: the peak lies before the data (t_R 2.45 s, data 5.4-10.7 s)
    const problem = {
      column: { length: 1, radius: 5.011872336272725e-4, filmThickness: 2.5118864315095812e-5, inletPressure: 1e5,
        outletPressure: 9.5e4, inletVelocity: 1, velocity: 'variable' as const },
      injection: { duration: 1 },
      analytes: [{ name: 'a0', ka: 441.1513923476971, kd: 44.219889188312344, c0: 1, response: 1e5 }],
      detector: { baseline: -8.597212190756566e-280 },
      output: { start: 5.36844180819778, end: 10.73688361639556, count: 283 },
    };
    const truth = chromatogram(problem);
    const { output: _output, ...rest } = problem;
    const fitting = { ...rest, analytes: [{ name: 'a0', c0: 1, response: 1e5 }], fit: { baseline: { mode: 'fit' }, weighting: 'peak' } };
    expect(() => fitChromatogram(fitting, { time: truth.times, signal: truth.signal! })).toThrow(DataError);
    expect(() => fitChromatogram(fitting, { time: truth.times, signal: truth.signal! })).toThrow(/^data: the fit reached no finite cost/);
  });
});
