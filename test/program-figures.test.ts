/**
 * Figures of a programmed run (src/figures/program.ts): the sampled conditions against closed
 * forms (the paper's flow, a flow control round trip, the ramp's corners), and the panels' shape.
 */
import { describe, expect, it } from 'vitest';
import { btexProblem, holdupTime, parseProblem } from '../src/index.js';
import { inletPressureAt, viscosityAt, type RunConditions } from '../src/model/conditions.js';
import { columnFlowAt, programmedRunFigures, programSection, programTraces } from '../src/figures/program.js';
import { gaussianChromatogram } from '../src/solvers/gaussian.js';
import { btexConditions, rampedConditions, schedule } from './support/run-conditions.js';
import { byClass, parseXml, tickValue } from './support/xml.js';

const ramp: [number, number][] = [[0, 313.15], [60, 313.15], [360, 573.15], [660, 573.15]];

describe('program traces', () => {
  it('hold the schedule breakpoints, so the temperature corners are drawn exactly', () => {
    const c = rampedConditions(ramp);
    const tr = programTraces(c, 700, 100);
    for (const [t, T] of ramp) {
      const j = tr.times.indexOf(t);
      expect(j).toBeGreaterThanOrEqual(0);
      expect(tr.temperature[j]).toBe(T);
    }
    expect(tr.times[tr.times.length - 1]).toBe(700);
    // strictly increasing
    for (let j = 1; j < tr.times.length; j++) expect(tr.times[j]).toBeGreaterThan(tr.times[j - 1]);
    // with the pressures held, tM is proportional to the viscosity
    const eta = (T: number) => viscosityAt(c.gas.viscosity, T);
    const ratio = tr.holdupTime[tr.times.indexOf(360)] / tr.holdupTime[0];
    expect(Math.abs(ratio / (eta(573.15) / eta(313.15)) - 1)).toBeLessThan(1e-14);
    expect(() => programTraces(c, 0)).toThrow(/end must be a finite time > 0/);
  });

  it('give the paper\'s hold-up time and its flow pi R^2 u0 p0 / pref Tref / T (MODEL.md §6)', () => {
    const c = btexConditions();
    const p = parseProblem(btexProblem());
    const tr = programTraces(c, 100, 11);
    expect(tr.holdupTime[5]).toBeCloseTo(holdupTime(p.column, p.column.length), 12);
    const col = p.column;
    const expected = (Math.PI * col.radius ** 2 * col.inletVelocity * col.inletPressure * 298.15) / (101325 * col.temperature!);
    expect(Math.abs(tr.flow[3] - expected)).toBeLessThan(1e-13 * expected);
    expect(tr.flowReference).toEqual({ temperature: 298.15, pressure: 101325 });
  });

  it('return the set flow under flow control (the inlet pressure solved from it, and the flow from that)', () => {
    const base = rampedConditions(ramp);
    const F = 1.2e-6 / 60; // 1.2 mL/min
    const c: RunConditions = {
      ...base,
      control: { kind: 'flow', flow: schedule([[0, F]]), outlet: schedule([[0, 101325]]), referenceTemperature: 293.15, referencePressure: 1e5 },
    };
    for (const t of [0, 100, 400]) expect(Math.abs(columnFlowAt(c, t) / F - 1)).toBeLessThan(1e-12);
    const tr = programTraces(c, 600, 61);
    // constant flow: the inlet pressure rises with the temperature
    expect(inletPressureAt(c, 400)).toBeGreaterThan(inletPressureAt(c, 0));
    expect(tr.inletPressure[tr.inletPressure.length - 1]).toBeGreaterThan(tr.inletPressure[0]);
    expect(tr.flowReference).toEqual({ temperature: 293.15, pressure: 1e5 });
  });
});

describe('programmed-run figures', () => {
  const c = rampedConditions(ramp);
  const peaks = [{ mean: 300, sigma: 1 }, { mean: 260, sigma: 1 }, { mean: 240, sigma: 1 }, { mean: 150, sigma: 1 }, { mean: 100, sigma: 1 }];
  const r = gaussianChromatogram(c, peaks);

  it('are five panels on one time axis, temperature in °C', () => {
    const svgs = programmedRunFigures(c, r, { id: 'x' });
    expect(svgs).toHaveLength(5);
    const docs = svgs.map((s) => parseXml(s));
    const ticks = docs.map((d) => byClass(d, 'text', 'x-tick').map(tickValue));
    expect(ticks[0][0]).toBe(0);
    for (const t of ticks) expect(t).toEqual(ticks[0]);
    const titles = docs.map((d) => byClass(d, 'text', 'y-title')[0].textContent);
    expect(titles[1]).toBe('oven temperature T (°C)');
    expect(titles[2]).toBe('hold-up time tM (s)');
    expect(titles[4]).toBe('column flow F (mL/min)');
    const yTicks = byClass(docs[1], 'text', 'y-tick').map(tickValue);
    expect(Math.min(...yTicks)).toBeLessThanOrEqual(40);
    expect(Math.max(...yTicks)).toBeGreaterThanOrEqual(300);
  });

  it('make a report section with the elution temperatures in order of elution', () => {
    const html = programSection(c, r, { method: 'migration + Gaussian peaks', program: '40(1)-52-300(5)' });
    const doc = parseXml(`<div xmlns="http://www.w3.org/1999/xhtml">${html}</div>`, 'application/xhtml+xml');
    const rows = Array.from(doc.getElementsByTagName('tbody')[0].getElementsByTagName('tr'));
    expect(rows.map((row) => row.getElementsByTagName('td')[0].textContent!.trim())).toEqual(
      ['benzene', 'toluene', 'ethylbenzene', 'p+m-xylene', 'o-xylene']);
    // benzene at 100 s: 40 °C + 52 °C/min x 40 s
    const T = Number(rows[0].getElementsByTagName('td')[3].textContent);
    expect(T).toBeCloseTo(40 + (260 / 300) * 40, 1);
    expect(html).toContain('Oven program 40(1)-52-300(5).');
  });
});
