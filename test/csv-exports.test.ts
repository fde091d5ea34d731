/**
 * Instrument exports of one chromatogram fit exactly as its plain `time,signal` twin does. The
 * exports are built here from the twin's text, as instruments write them: (a) semicolon-separated
 * with decimal commas, a byte-order mark and CRLF; (b) tab-separated below five metadata lines;
 * (c) time in minutes under the header `Time (min),TCD signal`, columns picked by name or number.
 * (a), (b) and (c), whose minutes state the twin's seconds / 60 to 25 digits, must read to the
 * twin's doubles and so give the same fit, bit for bit. (d), minutes written by a program as the
 * shortest form of the double t/60, cannot always: that double has lost up to half an ulp, so a
 * time can come back one ulp off; its times are checked to be within an ulp or two, and the fit's
 * response to that, a property of the fit, is measured and bounded by its standard errors.
 * Once on synthetic BTEX data (any clone), once on the measured Fusion run of ../shared/data.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  btexProblem, chromatogram, columnsCsv, fitChromatogram, parseChromatogramCsv, type ChromatogramCsvOptions,
  type FitResult,
} from '../src/index.js';
import { describeWithSharedData, sharedDataPath } from './support/shared-data.js';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const root = join(__dirname, '..');

interface Export {
  name: string;
  text: string;
  options: ChromatogramCsvOptions;
  /** CLI flags equivalent to `options`. */
  flags: string[];
  /** The same doubles as the twin, so the same fit bit for bit. */
  exact: boolean;
}

/** The cells of a plain `time,signal` file (numbers only, so a split is enough to build exports). */
function cellsOf(twin: string): string[][] {
  return twin.trim().split('\n').slice(1).map((line) => line.split(','));
}

/** A seconds cell as minutes, exactly: s / 60 to 25 significant digits past the seconds' own. */
function exactMinutes(seconds: string): string {
  const [whole, fraction = ''] = seconds.split('.');
  const scaled = (BigInt(whole + fraction) * 10n ** 25n / 60n).toString().padStart(fraction.length + 26, '0');
  const point = scaled.length - fraction.length - 25;
  return `${scaled.slice(0, point)}.${scaled.slice(point)}`.replace(/\.?0+$/, '');
}

/** The exports of a twin `time,signal` file. */
function exportsOf(twin: string): Export[] {
  const rows = cellsOf(twin);
  const semicolon = '\ufefftime;signal\r\n' + rows.map((r) => r.map((c) => c.replace('.', ',')).join(';')).join('\r\n') + '\r\n';
  const metadata = [
    'Instrument: micro-GC, module A',
    'Sample: reference gas, 2 ppm; 100 °C',
    'Detector\tTCD',
    'Injection volume;0,5',
    '',
  ];
  const tab = [...metadata, 'time\tsignal', ...rows.map((r) => r.join('\t'))].join('\n') + '\n';
  const minutes = ['Time (min),TCD signal', ...rows.map((r) => `${exactMinutes(r[0])},${r[1]}`)].join('\n') + '\n';
  const programMinutes = columnsCsv(['Time (min)', 'TCD signal'], [rows.map((r) => Number(r[0]) / 60), rows.map((r) => Number(r[1]))]);
  return [
    { name: '(a) semicolon, decimal comma, BOM, CRLF', text: semicolon, options: {}, flags: [], exact: true },
    { name: '(b) tab, five metadata lines', text: tab, options: {}, flags: [], exact: true },
    {
      name: '(c) minutes, columns by name', text: minutes,
      options: { timeColumn: 'Time (min)', signalColumn: 'TCD signal', timeUnit: 'min' },
      flags: ['--time-column', 'Time (min)', '--signal-column', 'TCD signal', '--time-unit', 'min'], exact: true,
    },
    {
      name: '(c) minutes, columns by number', text: minutes, options: { timeColumn: 1, signalColumn: 2, timeUnit: 'min' },
      flags: ['--time-column', '1', '--signal-column', '2', '--time-unit', 'min', '--separator', ','], exact: true,
    },
    {
      name: '(d) minutes as shortest doubles t/60', text: programMinutes, options: { timeColumn: 1, signalColumn: 2, timeUnit: 'min' },
      flags: ['--time-column', '1', '--signal-column', '2', '--time-unit', 'min'], exact: false,
    },
  ];
}

/** Largest relative difference of the fitted constants, retention times and areas of two fits. */
function largestDifference(a: FitResult, b: FitResult): number {
  let worst = 0;
  a.analytes.forEach((x, i) => {
    const y = b.analytes[i];
    expect(y.name).toBe(x.name);
    for (const key of ['ka', 'kd', 'K', 'retentionTime', 'area'] as const) {
      const d = Math.abs(x[key] - y[key]) / Math.abs(x[key]);
      expect(Number.isFinite(d), `${x.name}.${key}`).toBe(true);
      worst = Math.max(worst, d);
    }
  });
  return worst;
}

function sameDoubles(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  return a.length === b.length && Array.from(a).every((x, j) => Object.is(x, b[j]));
}

/** The library reading and fit of every export against the twin's. */
function compareExports(twin: string, problem: unknown, label: string): void {
  const data = parseChromatogramCsv(twin);
  const reference = fitChromatogram(problem, data);

  it(`${label}: the twin fits`, () => {
    expect(reference.status.code).toBe('converged');
  });

  for (const e of exportsOf(twin)) {
    it(`${label}: ${e.name} reads to the twin's data and fits to its constants`, () => {
      const read = parseChromatogramCsv(e.text, e.options);
      const fit = fitChromatogram(problem, read);
      const worst = largestDifference(reference, fit);
      console.info(`${label}, ${e.name}: largest relative difference of ka, kd, K, t_R, area = ${worst.toExponential(2)}`);
      if (e.exact) {
        expect(sameDoubles(read.time, data.time) && sameDoubles(read.signal, data.signal)).toBe(true);
        expect(worst).toBe(0);
      } else {
        expect(sameDoubles(read.signal, data.signal)).toBe(true);
        const off = Array.from(read.time).filter((t, j) => t !== data.time[j]).length;
        console.info(`${label}, ${e.name}: ${off} of ${read.time.length} times one or two ulps off`);
        expect(read.time.every((t, j) => Math.abs(t - data.time[j]) <= 2 * Number.EPSILON * Math.abs(data.time[j]))).toBe(true);
        // The fit moves by far less than its own uncertainty.
        fit.analytes.forEach((a, i) => {
          const r = reference.analytes[i];
          for (const key of ['ka', 'kd'] as const) {
            expect(Math.abs(a[key] - r[key]), `${a.name}.${key}`).toBeLessThanOrEqual(1e-3 * r.standardErrors[key]);
          }
        });
      }
    });
  }
}

/** `elution fit` on every export with its flags, against `elution fit` on the twin. */
function compareExportsCli(twin: string, problem: unknown, label: string): void {
  it(`${label}: elution fit reads every export with its options and fits the twin's constants`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'elution-exports-'));
    writeFileSync(join(dir, 'problem.json'), JSON.stringify(problem));
    const fit = (file: string, text: string, flags: string[]): FitResult => {
      writeFileSync(join(dir, file), text);
      const r = spawnSync(process.execPath, [CLI, 'fit', 'problem.json', file, ...flags, '--out', `${file}.json`],
        { cwd: dir, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(readFileSync(join(dir, `${file}.json`), 'utf8')) as FitResult;
    };
    const reference = fit('twin.csv', twin, []);
    exportsOf(twin).forEach((e, k) => {
      const worst = largestDifference(reference, fit(`export${k}.csv`, e.text, e.flags));
      if (e.exact) expect(worst, e.name).toBe(0);
    });
  });
}

/** BTEX with deterministic noise (0.2% of the largest peak; a linear congruential generator). */
function syntheticTwin(): string {
  const sim = chromatogram(btexProblem());
  let state = 20240607;
  const uniform = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const peak = Math.max(...sim.signal!) - Math.min(...sim.signal!);
  const signal = sim.signal!.map((v) => v + 0.002 * peak * (uniform() + uniform() + uniform() - 1.5));
  return columnsCsv(['time', 'signal'], [sim.times, signal]);
}

describe('instrument exports of synthetic BTEX data fit as their time,signal twin', () => {
  const twin = syntheticTwin();
  const problem = { ...btexProblem(), fit: {} };
  compareExports(twin, problem, 'BTEX');
  compareExportsCli(twin, problem, 'BTEX');
});

const RUN_2022 = 'fusion_moduleA_100C_Cu_20220608.csv';

describeWithSharedData('instrument exports of the measured Fusion run fit as the run itself', [RUN_2022], () => {
  const twin = readFileSync(sharedDataPath(RUN_2022), 'utf8');
  const problem = JSON.parse(readFileSync(join(root, 'examples', 'fusion-2022.json'), 'utf8'));
  compareExports(twin, problem, 'Fusion 2022');
  compareExportsCli(twin, problem, 'Fusion 2022');
});
