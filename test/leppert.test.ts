/**
 * The measured temperature programmes of Leppert et al. (2020), A, B and C (22 n-alkanes, H2,
 * pressure control): retention times predicted from the published K-centric parameters alone, and
 * from parameters estimated from A and B, against the measured ones; the predicted chromatogram
 * of programme A against the measured trace.
 *
 * References: the published model reaches about 0.5-0.7% mean relative error on A and B and
 * ~1.4% on C, early peaks systematically early (Leppert et al. 2020; GasChromatographySimulator.jl);
 * the estimate must predict C with every alkane within 1% and the mean within 0.3%.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { parseRunProblem } from '../src/model/run.js';
import type { RunConditions } from '../src/model/conditions.js';
import { migrate } from '../src/solvers/migration.js';
import { parseChromatogramCsv, parseMeasuredRetention, parseRetentionDatabase, type RetentionEntry } from '../src/index.js';
import { fitRetention, type RetentionFitResult } from '../src/solvers/fit/retention.js';
import { predictedOverMeasuredFigure, predictedOverMeasuredSection } from '../src/figures/programmed.js';
import { describeWithSharedData, sharedDataPath } from './support/shared-data.js';

const DIR = 'leppert2020b/';
const PROGRAMMES = ['A', 'B', 'C'] as const;
type Programme = (typeof PROGRAMMES)[number];
const FILES = ['Database_Leppert2020b.csv', 'Leppert2020b_measured_Chrom_progA.csv',
  ...PROGRAMMES.map((p) => `Leppert2020b_measured_RT_prog${p}.csv`)].map((f) => DIR + f);
const read = (f: string) => readFileSync(sharedDataPath(DIR + f), 'utf8');

/** Errors of predicted against measured retention times: mean and max |error| (s), mean and max relative. */
function errors(predicted: Record<string, number>, measured: Record<string, number>) {
  const names = Object.keys(measured);
  const abs = names.map((n) => predicted[n] - measured[n]);
  const rel = names.map((n, i) => abs[i] / measured[n]);
  const mean = (x: number[]) => x.reduce((s, v) => s + Math.abs(v), 0) / x.length;
  return {
    meanAbs: mean(abs), maxAbs: Math.max(...abs.map(Math.abs)), meanRel: mean(rel), maxRel: Math.max(...rel.map(Math.abs)),
    within1: rel.filter((r) => Math.abs(r) < 0.01).length / rel.length, signed: abs,
  };
}

describeWithSharedData('Leppert 2020 programmes A, B, C', FILES, () => {
  const conditions = {} as Record<Programme, RunConditions>;
  const measured = {} as Record<Programme, Record<string, number>>;
  let database: RetentionEntry[];
  beforeAll(() => {
    database = parseRetentionDatabase(read('Database_Leppert2020b.csv'), { phase: 'FS5ms' });
    for (const p of PROGRAMMES) {
      const problem = JSON.parse(readFileSync(join(__dirname, '..', 'examples', `leppert-${p}.json`), 'utf8'));
      conditions[p] = parseRunProblem(problem).conditions;
      measured[p] = Object.fromEntries(parseMeasuredRetention(read(`Leppert2020b_measured_RT_prog${p}.csv`))
        .map((m) => [m.name, m.retentionTime]));
    }
  });

  it('predicts A, B and C from the published parameters as the published model does', () => {
    const bands: Record<Programme, [number, number]> = { A: [0.004, 0.008], B: [0.004, 0.008], C: [0.011, 0.016] };
    for (const p of PROGRAMMES) {
      const r = migrate(conditions[p]);
      expect(r.status.code).toBe('eluted');
      const e = errors(Object.fromEntries(r.analytes.map((a) => [a.name, a.retentionTime])), measured[p]);
      expect(e.meanRel).toBeGreaterThan(bands[p][0]);
      expect(e.meanRel).toBeLessThan(bands[p][1]);
      // Early peaks systematically early: C9 to C12 elute 0.5-17 s before the measured peaks.
      for (const x of e.signed.slice(0, 4)) expect(x).toBeLessThan(-0.5);
      expect(e.maxAbs).toBeLessThan(p === 'C' ? 18 : 7);
    }
  });

  it('estimates Tchar, thetaChar from A and B and predicts C: every alkane within 1%, the mean within 0.3%', () => {
    const fit: RetentionFitResult = fitRetention(
      (['A', 'B'] as const).map((p) => ({ name: p, conditions: conditions[p], measured: measured[p] })), database);
    expect(fit.converged).toBe(true);
    // Residuals consistent with the stated uncertainties (0.06 s per time, 1 K on thetaChar).
    const dof = fit.measurements + database.length - fit.parameters;
    expect(fit.chiSquare / dof).toBeLessThan(2);
    for (const a of fit.analytes) {
      expect(a.Tchar.se).toBeGreaterThan(0);
      expect(a.Tchar.se).toBeLessThan(3);
      expect(a.thetaChar.se).toBeLessThan(1);
    }
    expect(fit.timeOffset!.se).toBeLessThan(1);
    const predicted = fit.predict(conditions.C);
    const e = errors(Object.fromEntries(predicted.map((q) => [q.name, q.retentionTime])), measured.C);
    expect(e.maxRel).toBeLessThan(0.01);
    expect(e.meanRel).toBeLessThan(0.003);
    // Fixing thetaChar at the database values instead still meets both bounds (the sensitivity the README reports).
    const fixed = fitRetention((['A', 'B'] as const).map((p) => ({ name: p, conditions: conditions[p], measured: measured[p] })),
      database, { thetaChar: 'fixed' });
    const f = errors(Object.fromEntries(fixed.predict(conditions.C).map((q) => [q.name, q.retentionTime])), measured.C);
    expect(f.maxRel).toBeLessThan(0.01);
    expect(f.meanRel).toBeLessThan(0.003);
  });

  it('draws programme A over the measured chromatogram with every peak in its order and place', () => {
    const trace = parseChromatogramCsv(read('Leppert2020b_measured_Chrom_progA.csv'), { timeColumn: 'time_s', signalColumn: 'ordinate_values' });
    const { svg, peaks } = predictedOverMeasuredFigure(conditions.A, trace, { measuredTimes: measured.A });
    expect(peaks.length).toBe(22);
    for (let i = 0; i < peaks.length; i++) {
      // Place: the published model is at most 6.6 s off on A (C9, early); each predicted apex is
      // nearer to its own measured apex than to either neighbour's (they are 40-85 s apart).
      expect(Math.abs(peaks[i].predicted - peaks[i].measured)).toBeLessThan(7);
      for (const j of [i - 1, i + 1]) {
        if (j >= 0 && j < peaks.length) {
          expect(Math.abs(peaks[i].predicted - peaks[i].measured)).toBeLessThan(Math.abs(peaks[i].predicted - peaks[j].measured));
        }
      }
      // Order: predicted apexes in the measured order.
      if (i > 0) expect(peaks[i].predicted).toBeGreaterThan(peaks[i - 1].predicted);
    }
    for (const p of peaks) expect(svg).toContain(`>${p.name}</text>`);
    // Without the listed times (as `elution report` draws a measured trace) the search around the
    // predicted apexes finds the same measured peaks; the report's section lists them all.
    const found = predictedOverMeasuredFigure(conditions.A, trace).peaks;
    found.forEach((p, i) => expect(p.measured).toBe(peaks[i].measured));
    const html = predictedOverMeasuredSection(conditions.A, trace);
    expect(html.match(/<tr><td>C\d+<\/td>/g)?.length).toBe(22);
  });
});
