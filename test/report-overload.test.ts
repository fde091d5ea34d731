/**
 * The report's overload series (Fig. 5, MODEL.md §13): a problem with a saturating analyte gets
 * that analyte's peak against injected amount around its own loading, with a sentence saying what
 * it shows; a problem without one gets none. The 2021 Fusion run fitted with an anti-Langmuir H2
 * (geometry unknown) gets H2's series on a column of phase ratio 1 standing for the unknown one.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { btexProblem, buildFitReport, buildReport, fittedOverloadSeries, overloadSeries, reportInputs, type FitSummary, type Problem } from '../src/index.js';
import { describeWithSharedData, sharedDataPath } from './support/shared-data.js';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

function overloaded(): Problem {
  const p = btexProblem();
  p.column.velocity = 'constant';
  for (const a of p.analytes) delete a.diffusivity;
  const [toluene, benzene] = [p.analytes[3], p.analytes[4]];
  benzene.isotherm = 'langmuir';
  benzene.qMax = (benzene.ka / benzene.kd) * benzene.c0 / 0.3;
  toluene.isotherm = 'anti-langmuir';
  toluene.qMax = (toluene.ka / toluene.kd) * toluene.c0 / 0.2;
  return p;
}

describe('report: peak against injected amount', () => {
  it('draws each saturating analyte\'s series around its own loading, saying what it shows', async () => {
    const inputs = await reportInputs(overloaded());
    expect(inputs.overload!.map((s) => s.analyte)).toEqual(['toluene', 'benzene']);
    expect(inputs.overload!.map((s) => s.status.code)).toEqual(['success', 'success']);
    const html = buildReport(inputs);
    expect(html).toContain('<h2>Peak against injected amount</h2>');
    expect(html).toMatch(/<figure id="fig5a">/);
    expect(html).toMatch(/<b>Fig\. 5a\.<\/b> toluene: .* = 0\.02, 0\.0667, 0\.2 \(the problem’s\), 0\.6,/);
    expect(html).toMatch(/the anti-Langmuir film takes up ever more: the rear sharpens towards a shock and the peak comes later/);
    expect(html).toMatch(/<b>Fig\. 5b\.<\/b> benzene: .* = 0\.03, 0\.1, 0\.3 \(the problem’s\), 0\.9,/);
    expect(html).toMatch(/the Langmuir film saturates: the front sharpens towards a shock and comes earlier/);
    expect(html).toContain('Every curve keeps the area t<sub>1</sub> = 4.000 s over the output times.');
    expect(html).toContain('K c0/qMax = 0.3 (problem)<');
    expect(html).not.toMatch(/NaN|undefined/);
  });

  it('says which curves are not faithful when the output times do not resolve them', async () => {
    const p = overloaded();
    p.analytes = [p.analytes[4]];
    p.analytes[0].qMax! /= 10; // own loading 3, series up to 9: fronts sharper than the 0.5-s spacing
    const html = buildReport(await reportInputs(p));
    expect(html).toMatch(/Not faithful at K c<sub>0<\/sub>\/q<sub>max<\/sub> = [0-9., ]*9: solved, but a peak lies outside the output times/);
  });

  it('has no such section without a saturating analyte', async () => {
    const p = btexProblem();
    p.column.velocity = 'constant';
    const html = buildReport(await reportInputs(p));
    expect(html).not.toContain('Peak against injected amount');
    expect(html).not.toMatch(/Fig\. 5/);
  });
});

describe('fittedOverloadSeries (geometry unknown)', () => {
  // benzene of the constant-velocity BTEX column, its alpha ka folded: what a fit determines
  const p = overloaded();
  const b = p.analytes[4];
  const alpha = (2 * p.column.filmThickness) / p.column.radius;
  const tM = p.column.length / p.column.inletVelocity;
  const times = Float64Array.from({ length: 1201 }, (_, j) => 100 + 0.1 * j);
  const fit = (form: string, loading: number, extra: Record<string, unknown> = {}) => ({
    analytes: [{ name: 'benzene', ka: alpha * b.ka, kd: b.kd, K: (alpha * b.ka) / b.kd, isotherm: { form, loading, standardError: null, qMax: null, ...extra } }],
    fitted: { time: times, signal: new Float64Array(times.length) },
    holdupTime: { value: tM, mode: 'fitted', standardError: null },
    phaseRatioFolded: true,
  }) as unknown as FitSummary;

  it('is the series of the known column: the peak depends on alpha ka, kd, tM, t1 and the loading only', () => {
    const { series, skipped } = fittedOverloadSeries(fit('langmuir', 0.3), p.injection.duration);
    expect(skipped).toEqual([]);
    const known = overloadSeries(p, 'benzene', { times });
    expect(series[0].curves.map((c) => c.loading)).toEqual(known.curves.map((c) => c.loading));
    series[0].curves.forEach((c, k) => {
      const ref = known.curves[k].concentration;
      const top = Math.max(...ref);
      let worst = 0;
      for (let j = 0; j < times.length; j++) worst = Math.max(worst, Math.abs(c.concentration[j] - ref[j]));
      expect(worst / top, `K c0/qMax = ${c.loading}`).toBeLessThan(1e-12);
    });
  });

  it('leaves out a film at its linear bound, and says why it leaves out one the series refuses', () => {
    expect(fittedOverloadSeries(fit('langmuir', 1e-9, { atBound: true }), 4).series).toEqual([]);
    const { series, skipped } = fittedOverloadSeries(fit('anti-langmuir', 1.5), 4);
    expect(series).toEqual([]);
    expect(skipped[0]).toMatch(/^the overload series of benzene: .*qMax/);
    const html = buildFitReport({ data: { time: times, signal: new Float64Array(times.length) }, fit: fit('anti-langmuir', 1.5), injection: 4, skipped });
    expect(html).toContain('Not shown: the overload series of benzene');
  });
});

const RUN_2021 = 'fusion_moduleA_100C_AgPTFE_20210813.csv';

describeWithSharedData('report of the 2021 run fitted with an anti-Langmuir H2 (geometry unknown)', [RUN_2021], () => {
  it('draws H2\'s overload series from what the fit determines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'elution-report-overload-'));
    const problem = JSON.parse(readFileSync(fileURLToPath(new URL('../examples/fusion-2021.json', import.meta.url)), 'utf8'));
    problem.fit.isotherm = { H2: 'anti-langmuir' };
    problem.fit.holdupTime = { start: 42.51 };
    const file = join(dir, 'problem.json');
    writeFileSync(file, JSON.stringify(problem));
    const r = spawnSync(process.execPath, [CLI, 'report', file, sharedDataPath(RUN_2021), '--out', dir, '--quiet'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    const caption = /<b>Fig\. 5\.<\/b> H2: the outlet peak divided by c<sub>0<\/sub> at the loadings K c<sub>0<\/sub>\/q<sub>max<\/sub> = ([^<]*?), by the Thomas/.exec(html);
    expect(caption).not.toBeNull();
    // the fitted loading (measured 0.46 +- 0.24) among a tenth, a third and (1 + own)/2 of it
    const own = Number(/([0-9.]+) \(fitted\)/.exec(caption![1])![1]);
    expect(own).toBeGreaterThan(0.1);
    expect(own).toBeLessThan(0.9);
    expect(html).toContain('on a column of phase ratio 1 carrying the fitted α k<sub>a</sub>, k<sub>d</sub> and hold-up time');
    expect(html).toMatch(/the peak comes later, fronting more and more\. Every curve keeps the area t<sub>1<\/sub> = 0\.1250 s/);
    expect(html).not.toMatch(/NaN|undefined/);
  });
});
