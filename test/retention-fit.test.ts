/**
 * The estimator of retention thermodynamics on synthetic data: times made by the migration
 * equation from known parameters (and a known offset) are fitted back from other starting values,
 * and the parameters come back to the precision of the migration solver; bad options are refused.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRunProblem } from '../src/model/run.js';
import type { RunConditions } from '../src/model/conditions.js';
import { migrate } from '../src/solvers/migration.js';
import { fitRetention, withRetention, type RetentionStart } from '../src/solvers/fit/retention.js';

const NAMES = ['C10', 'C14', 'C18', 'C22', 'C26'];

function programme(p: string): { conditions: RunConditions; truth: RetentionStart[] } {
  const raw = JSON.parse(readFileSync(join(__dirname, '..', 'examples', `leppert-${p}.json`), 'utf8'));
  raw.analytes = raw.analytes.filter((a: { name: string }) => NAMES.includes(a.name));
  const truth = raw.analytes.map((a: { name: string; retention: Omit<RetentionStart, 'name'> }) => ({ name: a.name, ...a.retention }));
  return { conditions: parseRunProblem(raw).conditions, truth };
}

describe('fitRetention on synthetic runs', () => {
  const runs = ['A', 'B', 'C'].map((p) => ({ p, ...programme(p) }));
  const truth = runs[0].truth;
  const offset = -4.2;
  const measured = runs.map(({ p, conditions }) => {
    const r = migrate(withRetention(conditions, truth));
    return { name: p, conditions, measured: Object.fromEntries(r.analytes.map((a) => [a.name, a.retentionTime + offset])) };
  });
  // Start 3 K, 1 K and 10 J/(mol K) away from the truth.
  const start = truth.map((t) => ({ ...t, Tchar: t.Tchar - 3, thetaChar: t.thetaChar + 1, dCp: t.dCp + 10 }));

  it('recovers Tchar, thetaChar and the offset from three programmes (dCp held at a wrong value costs accuracy, not convergence)', () => {
    const exact = fitRetention(measured, start.map((s, i) => ({ ...s, dCp: truth[i].dCp })), { thetaChar: 'free' });
    expect(exact.converged).toBe(true);
    exact.analytes.forEach((a, i) => {
      expect(Math.abs(a.Tchar.value - truth[i].Tchar)).toBeLessThan(1e-4);
      expect(Math.abs(a.thetaChar.value - truth[i].thetaChar)).toBeLessThan(1e-4);
    });
    expect(Math.abs(exact.timeOffset!.value - offset)).toBeLessThan(1e-5);
    expect(exact.rms).toBeLessThan(1e-6);
    // Predictions of a run reproduce its times (here one that was fitted) with their offset.
    const again = exact.predict(runs[1].conditions);
    again.forEach((q) => expect(Math.abs(q.retentionTime - measured[1].measured[q.name])).toBeLessThan(1e-5));
  });

  it('recovers all three parameters per analyte when dCp is free too', () => {
    const fit = fitRetention(measured, start, { thetaChar: 'free', dCp: 'free', timeOffset: false,
      retentionTimes: (c) => Float64Array.from(migrate(c, { rtol: 1e-11 }).analytes, (a) => a.retentionTime + offset) });
    expect(fit.converged).toBe(true);
    fit.analytes.forEach((a, i) => {
      expect(Math.abs(a.Tchar.value - truth[i].Tchar)).toBeLessThan(1e-3);
      expect(Math.abs(a.dCp.value - truth[i].dCp)).toBeLessThan(0.5);
      // The standard errors say ΔCp is the least determined: relative to its value, by far.
      expect(a.dCp.se / a.dCp.value).toBeGreaterThan(a.Tchar.se / a.Tchar.value);
    });
  });

  it('refuses bad options naming them', () => {
    expect(() => fitRetention(measured, start, { thetaChar: { prior: 0 } })).toThrow(/options.thetaChar must be "free", "fixed" or \{ prior: σ > 0 \}/);
    expect(() => fitRetention(measured, start, { timeUncertainty: -1 })).toThrow(/options.timeUncertainty must be a time > 0 \(s\), got -1/);
    expect(() => fitRetention([], start)).toThrow(/runs must hold at least one measured run/);
    expect(() => fitRetention(measured, [{ ...start[0], name: 'C99' }])).toThrow(/run A: the conditions have no analyte "C99"/);
    const bad = [{ ...measured[0], measured: { ...measured[0].measured, C10: -3 } }];
    expect(() => fitRetention(bad, start)).toThrow(/run A: measured retention time of C10 must be a time > 0 \(s\), got -3/);
  });
});
