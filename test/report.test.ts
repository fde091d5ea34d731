import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { btexProblem, chromatogram, chromatogramCsv, parseProblem, type Problem } from '../src/index.js';
import {
  BTEX_FIGURE1_TIMES, buildReport, figure1Times, formatNumber, halfHeightWidth, reportInputs,
  type ComparisonResult, type FitSummary, type ReportInputs,
} from '../src/figures/report.js';
import { byClass, elements, parseXml } from './support/xml.js';
import type { Document, Element } from '@xmldom/xmldom';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

function oneAnalyteConstant(): Problem {
  return parseProblem({
    column: {
      length: 10, radius: 1.25e-4, filmThickness: 5e-7, inletPressure: 2e5, outletPressure: 1e5,
      inletVelocity: 0.3, velocity: 'constant',
    },
    injection: { duration: 2 },
    analytes: [{ name: 'n-decane', ka: 800, kd: 6, c0: 1e-5 }],
  });
}

function page(html: string): Document {
  return parseXml(html, 'application/xhtml+xml');
}

function figureSvgs(doc: Document, id: string): Element[] {
  const fig = elements(doc, 'figure').find((f) => f.getAttribute('id') === id);
  return fig ? elements(fig, 'svg') : [];
}

function seriesOf(svg: Element): Element[] {
  return byClass(svg, 'path', 'series');
}

function tableRows(doc: Document, captionStart: string): string[][] {
  const table = elements(doc, 'table').find((t) => (elements(t, 'caption')[0]?.textContent ?? '').startsWith(captionStart));
  if (!table) return [];
  return elements(elements(table, 'tbody')[0], 'tr').map((tr) => elements(tr, 'td').map((td) => td.textContent ?? ''));
}

/** Every URL-bearing attribute points inside the page (fragment) or is inline data. */
function externalReferences(html: string): string[] {
  const refs = [...html.matchAll(/\s(?:href|src|xlink:href|action|poster)="([^"]*)"/g)].map((m) => m[1]);
  const css = [...html.matchAll(/url\(([^)]*)\)|@import/g)].map((m) => m[0]);
  return [...refs.filter((r) => !r.startsWith('#') && !r.startsWith('data:')), ...css.filter((u) => !/^url\(#/.test(u))];
}

/** A stand-in for the finite-difference result: the Laplace curves scaled by 1.02. */
function fdStandIn(laplace: ReportInputs['laplace']): ComparisonResult {
  return {
    method: 'fd', velocity: laplace.velocity, times: laplace.times,
    analytes: laplace.analytes.map((a) => ({ name: a.name, concentration: a.concentration.map((c) => 1.02 * c) })),
    status: { code: 'success', message: 'stand-in' }, cost: { engine: 'wasm', steps: 1000, wallTimeMs: 12.5 },
  };
}

describe('BTEX report', async () => {
  const problem = parseProblem(btexProblem());
  const inputs = await reportInputs(problem);
  const html = buildReport(inputs);
  const doc = page(html);

  it('is well-formed, self-contained HTML without scripts or network references', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(elements(doc, 'script')).toHaveLength(0);
    expect(externalReferences(html)).toEqual([]);
    expect(html).not.toMatch(/NaN|undefined|Infinity/);
  });

  it('Fig. 1: four panels at the paper times, one series per analyte', () => {
    expect(inputs.profiles.times).toEqual([...BTEX_FIGURE1_TIMES]);
    const panels = figureSvgs(doc, 'fig1');
    expect(panels).toHaveLength(4);
    expect(panels.map((p) => byClass(p, 'text', 'chart-title')[0].textContent)).toEqual(['t = 5 s', 't = 108 s', 't = 290 s', 't = 470 s']);
    for (const p of panels) expect(seriesOf(p)).toHaveLength(5);
  });

  it('Fig. 2: variable against constant velocity, every constant-velocity peak on the grid', () => {
    const [svg] = figureSvgs(doc, 'fig2a');
    expect(seriesOf(svg)).toHaveLength(10);
    expect(byClass(svg, 'g', 'legend-entry')).toHaveLength(7);
    const other = inputs.otherVelocity!;
    expect(other.velocity).toBe('constant');
    const end = other.times[other.times.length - 1];
    for (const a of other.analytes) expect(end).toBeGreaterThan(a.moments.mean + 6 * a.moments.sigma);
    expect(figureSvgs(doc, 'fig2b')).toHaveLength(0);
  });

  it('Fig. 3: velocity and pressure; no Fig. 4 without data', () => {
    const [u, p] = figureSvgs(doc, 'fig3');
    expect(seriesOf(u)).toHaveLength(2);
    expect(seriesOf(p)).toHaveLength(1);
    expect(figureSvgs(doc, 'fig4')).toHaveLength(0);
  });

  it('Table 1 lists the peaks in order of elution with the result moments', () => {
    const rows = tableRows(doc, 'Table 1');
    const order = [...inputs.laplace.analytes].sort((a, b) => a.moments.mean - b.moments.mean);
    expect(rows.map((r) => r[0])).toEqual(order.map((a) => a.name));
    rows.forEach((r, i) => {
      expect(r[1]).toBe(order[i].moments.mean.toFixed(2));
      expect(r[8]).toBe(Math.round(order[i].moments.plates).toString());
      expect(r[10].startsWith(order[i].resolutionToNext === null ? '–' : order[i].resolutionToNext!.toFixed(2))).toBe(true);
    });
  });

  it('parameters and dimensionless groups are shown', () => {
    expect(tableRows(doc, 'Table 2b').map((r) => r[0])).toEqual(problem.analytes.map((a) => a.name));
    const groups = tableRows(doc, 'Table 2c');
    const da = groups.find((r) => r[0].startsWith('Damköhler'))!;
    expect(Number(da[1])).toBeCloseTo(0.0633, 3);
  });

  it('gives every element id once, with all optional parts present', () => {
    const t = inputs.laplace.times;
    const html = buildReport({
      ...inputs, fd: fdStandIn(inputs.laplace), data: { time: t, signal: inputs.laplace.signal! },
      fit: { analytes: [], fitted: { time: t, signal: inputs.laplace.signal! } },
    });
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(10);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of html.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(m[1]);
  });

  it('with a finite-difference result: Fig. 2b and its deviation from Laplace', () => {
    const withFd = page(buildReport({ ...inputs, fd: fdStandIn(inputs.laplace) }));
    const [svg] = figureSvgs(withFd, 'fig2b');
    expect(seriesOf(svg)).toHaveLength(10);
    const legend = byClass(svg, 'g', 'legend-style').map((g) => elements(g, 'text')[0].textContent);
    expect(legend).toEqual(['Laplace (no diffusion)', 'finite difference (with diffusion)']);
    const dev = tableRows(withFd, 'Finite difference against Laplace');
    expect(dev).toHaveLength(5);
    for (const r of dev) expect(Number(r[1])).toBeCloseTo(0.02, 12);
  });
});

describe('measured data and fit', async () => {
  const problem = parseProblem(btexProblem());
  const base = await reportInputs(problem, { profileTimes: [100] });
  const t = base.laplace.times;
  const model = base.laplace.signal!;
  const noise = Float64Array.from(t, (_, j) => 20 * Math.sin(j * 1.7));
  const data = { time: t, signal: model.map((s, j) => s + noise[j]) };

  it('data alone: measured against the unfitted model, with residuals', () => {
    const doc = page(buildReport({ ...base, data }));
    const [signal, residual] = figureSvgs(doc, 'fig4');
    expect(seriesOf(signal)).toHaveLength(2);
    expect(seriesOf(signal)[0].getAttribute('d')!.match(/h0/g)).toHaveLength(t.length);
    expect(seriesOf(residual)).toHaveLength(2);
    expect(tableRows(doc, 'Table 3')).toHaveLength(0);
  });

  it('with a fit: fitted signal and Table 3 of fitted constants with standard errors', () => {
    const fit: FitSummary = {
      analytes: problem.analytes.map((a, i) => ({
        name: a.name, ka: a.ka, kd: a.kd, K: a.ka / a.kd, qe: (a.ka / a.kd) * a.c0, beta: i === 0 ? 1 : 0.5,
        sse: 1234.5, r2: 0.97, standardErrors: { ka: a.ka * 0.01, kd: i === 4 ? null : a.kd * 0.02 },
        iterations: 7, evaluations: 40, status: { code: 'success', message: 'converged' },
      })),
      fitted: { time: t, signal: model }, status: { code: 'success', message: 'converged' }, cost: { wallTimeMs: 300 },
    };
    const doc = page(buildReport({ ...base, data, fit }));
    const rows = tableRows(doc, 'Table 3');
    expect(rows.map((r) => r[0])).toEqual(problem.analytes.map((a) => a.name));
    expect(rows[0][1]).toBe(`${formatNumber(problem.analytes[0].ka)} ± ${formatNumber(problem.analytes[0].ka * 0.01, 2)}`);
    expect(rows[4][2]).toBe(formatNumber(problem.analytes[4].kd));
    expect(rows[0][7]).toBe('0.9700');
    const legend = byClass(figureSvgs(doc, 'fig4')[0], 'g', 'legend-entry').map((g) => elements(g, 'text')[0].textContent);
    expect(legend).toEqual(['measured', 'fitted model']);
  });

  it('rejects data whose columns differ in length, naming it', () => {
    expect(() => buildReport({ ...base, data: { time: [0, 1, 2], signal: [1, 2] } }))
      .toThrow(/data: time and signal must have the same length >= 2, got 3 and 2/);
  });
});

describe('one analyte, constant velocity', async () => {
  const problem = oneAnalyteConstant();
  const inputs = await reportInputs(problem);
  const doc = page(buildReport(inputs));

  it('chooses increasing Fig. 1 times inside the elution', () => {
    const times = inputs.profiles.times;
    const tR = inputs.laplace.analytes[0].moments.mean;
    expect(times).toEqual(figure1Times(problem, inputs.laplace));
    expect(times.length).toBe(4);
    for (let k = 1; k < times.length; k++) expect(times[k]).toBeGreaterThan(times[k - 1]);
    expect(times[0]).toBeGreaterThan(problem.injection.duration);
    expect(times[3]).toBeLessThan(tR);
  });

  it('shows measured data without a model signal when the problem has no response factors', () => {
    const t = inputs.laplace.times;
    const html = buildReport({ ...inputs, data: { time: t, signal: t.map((x) => 100 + Math.sin(x)) } });
    const withData = page(html);
    const svgs = figureSvgs(withData, 'fig4');
    expect(svgs).toHaveLength(1);
    expect(seriesOf(svgs[0])).toHaveLength(1);
    expect(html).toMatch(/No model signal: the problem gives no response factors/);
    expect(html).not.toMatch(/NaN|undefined|Infinity/);
  });

  it('builds every figure with one analyte', () => {
    for (const p of figureSvgs(doc, 'fig1')) expect(seriesOf(p)).toHaveLength(1);
    const [fig2] = figureSvgs(doc, 'fig2a');
    expect(seriesOf(fig2)).toHaveLength(2);
    expect(inputs.otherVelocity!.velocity).toBe('variable');
    expect(tableRows(doc, 'Table 1')[0][10]).toBe('–');
  });
});

describe('reportInputs with solvers', () => {
  it('runs the finite-difference and fit solvers it is given and reports progress by stage', async () => {
    const problem = oneAnalyteConstant();
    const seen: string[] = [];
    let fitted = 0;
    const inputs = await reportInputs(problem, {
      profileTimes: [10],
      onProgress: (stage, f) => seen.push(`${stage} ${f}`),
      solvers: {
        fd: (p, { onProgress }) => {
          onProgress?.(0.5);
          return fdStandIn(chromatogram(p));
        },
        fit: () => {
          fitted++;
          throw new Error('not called without data');
        },
      },
    });
    expect(inputs.fd?.method).toBe('fd');
    expect(fitted).toBe(0);
    expect(seen).toEqual(['Laplace solution 0', 'Laplace solution 0.5', 'Laplace solution 1',
      'finite difference 0', 'finite difference 0.5', 'finite difference 1']);
  });
});

describe('reportInputs with a fit and a failing finite difference', () => {
  it('fits first and shows the fitted constants everywhere', async () => {
    const problem = oneAnalyteConstant();
    const base = chromatogram(problem);
    const data = { time: base.times, signal: base.analytes[0].concentration };
    const seen: string[] = [];
    const inputs = await reportInputs(problem, {
      profileTimes: [10], data, onProgress: (stage, f) => seen.push(`${stage} ${f}`),
      solvers: {
        fit: (p, d) => ({
          analytes: [{ name: 'n-decane', ka: 2 * p.analytes[0].ka, kd: 2 * p.analytes[0].kd, K: p.analytes[0].ka / p.analytes[0].kd }],
          fitted: d,
        }),
      },
    });
    expect(seen.slice(0, 2)).toEqual(['fit 0', 'fit 1']);
    expect(inputs.problem.analytes[0].kd).toBe(2 * problem.analytes[0].kd);
    expect(problem.analytes[0].kd).toBe(6);
    // Same K, faster kinetics: same mean retention, smaller variance (MODEL.md §5).
    const before = base.analytes[0].moments;
    const after = inputs.laplace.analytes[0].moments;
    expect(after.mean).toBeCloseTo(before.mean, 12);
    expect(after.variance).toBeLessThan(before.variance);
    expect(tableRows(page(buildReport(inputs)), 'Table 2b')[0][2]).toBe(formatNumber(12));
  });

  it('leaves out a finite difference that rejects the problem, saying why', async () => {
    const problem = oneAnalyteConstant();
    const inputs = await reportInputs(problem, {
      profileTimes: [10],
      solvers: { fd: () => { throw new RangeError('analytes[0].diffusivity: is required for the finite-difference solution'); } },
    });
    expect(inputs.fd).toBeUndefined();
    const html = buildReport(inputs);
    expect(html).toMatch(/Not shown: finite difference: analytes\[0\]\.diffusivity: is required/);
    await expect(reportInputs(problem, { profileTimes: [10], solvers: { fd: () => { throw new Error('bug'); } } }))
      .rejects.toThrow('bug');
  });
});

describe('figure1Times, widths and number formatting', () => {
  it('gives the paper times for BTEX and fractions of the last retention time otherwise', () => {
    const btex = parseProblem(btexProblem());
    expect(figure1Times(btex, chromatogram(btex))).toEqual([5, 108, 290, 470]);
    btex.analytes.pop();
    const r = chromatogram(btex);
    const last = Math.max(...r.analytes.map((a) => a.moments.mean));
    expect(figure1Times(btex, r)).toEqual([5, 0.2 * last, 0.5 * last, 0.8 * last].map((t) => Number(t.toPrecision(2))));
  });

  it('measures the width at half height of a Gaussian (2 sqrt(2 ln 2) sigma)', () => {
    const sigma = 3;
    const t = Float64Array.from({ length: 4001 }, (_, j) => j * 0.025);
    const c = t.map((x) => Math.exp(-0.5 * ((x - 50) / sigma) ** 2));
    expect(halfHeightWidth(t, c)! / (2 * Math.sqrt(2 * Math.LN2) * sigma) - 1).toBeLessThan(2e-5);
    expect(halfHeightWidth([0, 1, 2], [0, 0, 0])).toBeNull();
  });

  it('formats table numbers with Unicode minus and powers of ten', () => {
    expect(formatNumber(2.732e-6)).toBe('2.732×10⁻⁶');
    expect(formatNumber(-0.5)).toBe('−0.5000');
    expect(formatNumber(null)).toBe('–');
    expect(formatNumber(10168)).toBe('10168');
    expect(formatNumber(101.68, 2)).toBe('102');
  });
});

describe('elution report and plot commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'elution-report-'));
  const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8' });

  it('writes the BTEX report and progress on stderr', () => {
    const r = run('report', '--out', 'out');
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/Laplace solution: 100%/);
    expect(r.stderr).toMatch(/finite difference: 100%/);
    const doc = page(readFileSync(join(dir, 'out', 'report.html'), 'utf8'));
    expect(figureSvgs(doc, 'fig2b')).toHaveLength(1);
    const lean = run('report', '--out', 'lean', '--no-fd', '--quiet');
    expect(lean.status).toBe(0);
    expect(figureSvgs(page(readFileSync(join(dir, 'lean', 'report.html'), 'utf8')), 'fig2b')).toHaveLength(0);
  });

  it('adds Fig. 4 for a data file', () => {
    const csv = chromatogramCsv(chromatogram(btexProblem()));
    writeFileSync(join(dir, 'measured.csv'), csv);
    const r = run('report', 'measured.csv', '--out', 'withdata', '--quiet');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const html = readFileSync(join(dir, 'withdata', 'report.html'), 'utf8');
    const doc = page(html);
    expect(figureSvgs(doc, 'fig4')).toHaveLength(2);
    // the data are fitted: Table 3 with the recovered constants (noise-free data: exact)
    expect(html).toMatch(/Table 3\. Fitted constants/);
    expect(html).toMatch(/k<sub>a<\/sub>, k<sub>d<\/sub> from the fit/);
  });

  it('fits a fitting problem (no ka, kd) before drawing it', () => {
    const p = btexProblem() as unknown as { analytes: Record<string, unknown>[] };
    p.analytes.forEach((a) => { delete a.ka; delete a.kd; });
    writeFileSync(join(dir, 'fitme.json'), JSON.stringify(p));
    const r = run('report', 'fitme.json', 'measured.csv', '--out', 'fitted', '--quiet');
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'fitted', 'report.html'), 'utf8')).toMatch(/Table 3\. Fitted constants/);
    const without = run('report', 'fitme.json', '--out', 'nodata');
    expect(without.status).toBe(2);
    expect(without.stderr).toMatch(/fitme\.json is a fitting problem \(no ka\/kd, or a fit section\): give the data \.csv too/);
  });

  it('plots a chromatogram CSV and each kind of figure', () => {
    writeFileSync(join(dir, 'c.csv'), chromatogramCsv(chromatogram(btexProblem())));
    expect(run('plot', '--csv', 'c.csv', '--out', 'c.svg').status).toBe(0);
    expect(byClass(parseXml(readFileSync(join(dir, 'c.svg'), 'utf8')), 'path', 'series')).toHaveLength(5);
    expect(run('plot', '--csv', 'c.csv', '--kind', 'signal', '--out', 's.svg').status).toBe(0);
    expect(byClass(parseXml(readFileSync(join(dir, 's.svg'), 'utf8')), 'path', 'series')).toHaveLength(1);
    const kinds: [string[], number][] = [
      [['--kind', 'chromatogram', '--compare'], 10], [['--kind', 'signal'], 1], [['--kind', 'profile', '--time', '108'], 5],
      [['--kind', 'velocity'], 2], [['--kind', 'pressure'], 1],
    ];
    for (const [args, n] of kinds) {
      const r = run('plot', ...args, '--out', '-');
      expect(r.status).toBe(0);
      expect(byClass(parseXml(r.stdout), 'path', 'series')).toHaveLength(n);
    }
  });

  it('rejects bad command lines and bad files with a message naming the problem', () => {
    const bad: [string[], number, RegExp][] = [
      [['plot', '--kind', 'pie'], 2, /--kind must be one of chromatogram, signal, profile, velocity, pressure, overload, got "pie"/],
      [['plot', '--kind', 'profile'], 2, /needs --time/],
      [['plot', '--width', '50'], 2, /--width must be an integer >= 200/],
      [['report', 'a.json', 'b.json'], 2, /at most one problem file and one data .csv/],
      [['report', '--times', '5,x'], 2, /--times \(item 2\) must be a finite number >= 0/],
      [['report', 'missing.csv', '--out', 'x'], 1, /cannot read data file missing.csv: no such file or directory \(ENOENT\)/],
      [['plot', '--csv', 'missing.csv'], 1, /cannot read chromatogram file missing.csv/],
      [['plot', '--csv', 'c.csv', '--compare'], 2, /--compare applies only when solving a problem/],
    ];
    for (const [args, code, message] of bad) {
      const r = run(...args);
      expect(r.status, args.join(' ')).toBe(code);
      expect(r.stderr).toMatch(message);
    }
    writeFileSync(join(dir, 'nosignal.csv'), 'time,a\n0,1\n1,2\n');
    const r = run('report', 'nosignal.csv', '--out', 'x');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/nosignal.csv: data header: has no column "signal"; columns: time, a \(header on line 1\); set --signal-column/);
    writeFileSync(join(dir, 'bad.csv'), 'time,signal\n0,1\n1,oops\n');
    expect(run('report', 'bad.csv').stderr).toMatch(/bad.csv: data line 3: signal must be a finite number, got "oops" \(column 2\)/);
  });
});
