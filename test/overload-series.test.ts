/**
 * The overload series (src/solvers/overload.ts, MODEL.md §13): one Thomas peak c/c0 per loading
 * K c0/qMax. Every curve keeps the area t1, the nearly linear one is the exact linear peak, the
 * Langmuir apex moves earlier and the anti-Langmuir one later as the loading grows; bad input is
 * refused naming its key, on the library and on the command line (`elution plot overload`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { btexProblem, chromatogram, overloadLoadings, overloadSeries, type Problem } from '../src/index.js';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

/** BTEX at constant velocity without diffusion, benzene (analytes[4]) saturating at its loading `own`. */
function problemWith(isotherm: 'langmuir' | 'anti-langmuir' | 'linear', own = 0.3, count = 1401): Problem {
  const p = btexProblem();
  p.column.velocity = 'constant';
  for (const a of p.analytes) delete a.diffusivity;
  const b = p.analytes[4];
  if (isotherm !== 'linear') {
    b.isotherm = isotherm;
    b.qMax = (b.ka / b.kd) * b.c0 / own;
  }
  p.output = { start: 0, end: 700, count };
  return p;
}

/** A fine grid over the benzene peaks (0.02 s spacing): the sharpened fronts are resolved. */
const fine = Float64Array.from({ length: 12001 }, (_, j) => 40 + j * 0.02);

describe('overloadSeries', () => {
  it('keeps the area t1 on every curve, to 1e-9 relative (Langmuir and anti-Langmuir)', () => {
    for (const [iso, loadings] of [['langmuir', [1e-6, 0.01, 0.3, 1, 3]], ['anti-langmuir', [1e-6, 0.3, 0.6, 0.9]]] as const) {
      const s = overloadSeries(problemWith(iso), 'benzene', { loadings, times: fine });
      expect(s.status.code, s.status.message).toBe('success');
      expect(s.curves.map((c) => c.loading)).toEqual(loadings);
      for (const c of s.curves) {
        expect(Math.abs(c.area / s.pulse - 1), `${iso} ${c.loading}`).toBeLessThan(1e-9);
        // the curve is c/c0 with c0 = K c0/qMax ... at the analyte's qMax
        expect(c.c0).toBeCloseTo(c.loading * s.qMax / s.K, 20);
        expect(c.concentration.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
      }
    }
  });

  it('is the exact linear peak as the loading tends to 0 (to 1e-8 of the peak)', () => {
    const linear = problemWith('linear');
    const c0 = linear.analytes[4].c0;
    const exact = chromatogram({ ...linear, analytes: [linear.analytes[4]] }, { times: fine }).analytes[0].concentration;
    for (const iso of ['langmuir', 'anti-langmuir'] as const) {
      const s = overloadSeries(problemWith(iso), 'benzene', { loadings: [1e-10], times: fine });
      const c = s.curves[0].concentration;
      const peak = Math.max(...exact) / c0;
      let worst = 0;
      for (let j = 0; j < fine.length; j++) worst = Math.max(worst, Math.abs(c[j] - exact[j] / c0));
      expect(worst / peak, iso).toBeLessThan(1e-8);
      // and the series does not just return the linear peak: a real loading moves it by far more
      const loaded = overloadSeries(problemWith(iso), 'benzene', { loadings: [0.3], times: fine }).curves[0].concentration;
      let moved = 0;
      for (let j = 0; j < fine.length; j++) moved = Math.max(moved, Math.abs(loaded[j] - exact[j] / c0));
      expect(moved / peak).toBeGreaterThan(1e-2);
    }
  });

  it('moves the Langmuir apex earlier and the anti-Langmuir one later as the loading grows', () => {
    const lang = overloadSeries(problemWith('langmuir'), 'benzene', { loadings: [0.01, 0.1, 0.3, 1, 3], times: fine });
    const apex = lang.curves.map((c) => c.peak.time);
    for (let k = 1; k < apex.length; k++) expect(apex[k], `Langmuir ${lang.curves[k].loading}`).toBeLessThan(apex[k - 1]);
    // Langmuir tails (positive skew), anti-Langmuir fronts: the mean lies after / before the apex
    expect(lang.curves[4].moments.mean).toBeGreaterThan(lang.curves[4].peak.time);
    const anti = overloadSeries(problemWith('anti-langmuir'), 'benzene', { loadings: [0.01, 0.1, 0.3, 0.6, 0.9], times: fine });
    const later = anti.curves.map((c) => c.peak.time);
    for (let k = 1; k < later.length; k++) expect(later[k], `anti-Langmuir ${anti.curves[k].loading}`).toBeGreaterThan(later[k - 1]);
    expect(anti.curves[4].moments.mean).toBeLessThan(anti.curves[4].peak.time);
  });

  it('defaults to loadings around the analyte\'s own and marks it', () => {
    expect(overloadLoadings('langmuir', 0.3)).toEqual([0.03, 0.1, 0.3, 0.9]);
    expect(overloadLoadings('langmuir', 60)).toEqual([6, 20, 60, 100]);
    expect(overloadLoadings('anti-langmuir', 0.3)).toEqual([0.03, 0.1, 0.3, 0.65]);
    // rounding never reaches 1 for an anti-Langmuir film
    expect(overloadLoadings('anti-langmuir', 0.9995).every((l) => l < 1)).toBe(true);
    const s = overloadSeries(problemWith('langmuir', 0.3), 'benzene');
    expect(s.ownLoading).toBeCloseTo(0.3, 12);
    expect(s.curves.map((c) => c.loading)).toEqual([0.03, 0.1, 0.3, 0.9]);
    expect(s.times.length).toBe(1401);
  });

  it('reports an under-resolved or cut-off peak as off-grid, never success', () => {
    // K c0/qMax = 10 on the 0.5-s grid: the front is sharper than the spacing (area misses t1 by ~6e-5)
    const s = overloadSeries(problemWith('langmuir'), 'benzene', { loadings: [0.3, 10] });
    expect(s.curves[0].status.code).toBe('success');
    expect(s.curves[1].status.code).toBe('off-grid');
    expect(s.status.code).toBe('off-grid');
    expect(s.status.message).toContain('K c0/qMax = 10');
    // a grid that ends before the peak
    const cut = overloadSeries(problemWith('langmuir'), 'benzene', { loadings: [0.3], times: fine.subarray(0, 5000) });
    expect(cut.status.code).toBe('off-grid');
  });

  it('refuses bad input naming the key, the value and the range', () => {
    const p = problemWith('langmuir');
    expect(() => overloadSeries(p, 'nitrogen')).toThrow(/options\.analyte: names no analyte.*"nitrogen".*"benzene"/);
    expect(() => overloadSeries(p, 'toluene')).toThrow(/analytes\[3\]\.isotherm: is "linear" for "toluene".*analytes\[3\]\.qMax/);
    expect(() => overloadSeries(p, 'benzene', { loadings: [0.1, 0] })).toThrow(/options\.loadings\[1\].*\[1e-12, 100\].*got 0/);
    expect(() => overloadSeries(p, 'benzene', { loadings: [101] })).toThrow(/options\.loadings\[0\].*got 101/);
    expect(() => overloadSeries(p, 'benzene', { loadings: [NaN] })).toThrow(/options\.loadings\[0\].*got NaN/);
    expect(() => overloadSeries(p, 'benzene', { loadings: [] })).toThrow(/options\.loadings: must hold 1 to 12/);
    expect(() => overloadSeries(problemWith('anti-langmuir'), 'benzene', { loadings: [0.5, 1] }))
      .toThrow(/options\.loadings\[1\].*\[1e-12, 1\) for an anti-Langmuir film.*got 1$/);
    // the Thomas solution's own conditions, named by the problem's keys (benzene is analytes[4])
    const variable = { ...p, column: { ...p.column, velocity: 'variable' as const } };
    expect(() => overloadSeries(variable, 'benzene')).toThrow(/column\.velocity: must be "constant" for analytes\[4\]\.isotherm/);
    const diffusing = problemWith('langmuir');
    diffusing.analytes[4].diffusivity = 1e-5;
    expect(() => overloadSeries(diffusing, 'benzene')).toThrow(/analytes\[4\]\.diffusivity/);
    expect(overloadSeries(diffusing, 'benzene', { diffusion: false }).status.code).toBe('success');
  });
});

describe('elution plot overload', () => {
  const dir = mkdtempSync(join(tmpdir(), 'elution-overload-'));
  const file = join(dir, 'problem.json');
  writeFileSync(file, JSON.stringify(problemWith('langmuir')));
  const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

  it('writes an SVG whose legend names the loadings', () => {
    const out = join(dir, 'overload.svg');
    const r = run('plot', 'overload', file, '--analyte', 'benzene', '--loadings', '0.01,0.3,1,3', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    const svg = readFileSync(out, 'utf8');
    expect(svg.startsWith('<?xml') || svg.startsWith('<svg')).toBe(true);
    for (const l of ['0.01', '0.3 (problem)', '1', '3']) expect(svg).toContain(`K c0/qMax = ${l}<`);
    expect(svg).toContain('benzene: peak against injected amount (Langmuir film');
    // --kind overload is the same figure
    const same = join(dir, 'same.svg');
    expect(run('plot', file, '--kind', 'overload', '--analyte', 'benzene', '--loadings', '0.01,0.3,1,3', '--out', same).status).toBe(0);
    expect(readFileSync(same, 'utf8')).toBe(svg);
  });

  it('exits non-zero with the key in the message on bad input', () => {
    const cases: [string[], RegExp][] = [
      [['--analyte', 'benzene', '--loadings', '0.1,-1'], /--loadings\[1\]: .*\[1e-12, 100\].*got -1/],
      [['--analyte', 'benzene', '--loadings', '0.1,abc'], /--loadings must be comma-separated numbers.*"abc"/],
      [['--analyte', 'argon'], /--analyte: names no analyte.*"argon"/],
      [['--analyte', 'toluene'], /analytes\[3\]\.isotherm: is "linear"/],
      [[], /needs --analyte <name>/],
      [['--analyte', 'benzene', '--velocity', 'variable'], /column\.velocity: must be "constant"/],
    ];
    for (const [args, message] of cases) {
      const r = run('plot', 'overload', file, ...args, '--out', join(dir, 'bad.svg'));
      expect(r.status, args.join(' ')).not.toBe(0);
      expect(r.stderr).toMatch(message);
    }
    const stray = run('plot', file, '--analyte', 'benzene', '--out', join(dir, 'bad.svg'));
    expect(stray.status).toBe(2);
    expect(stray.stderr).toContain('--analyte applies only to plot overload');
  });
});
