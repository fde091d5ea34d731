import { describe, expect, it } from 'vitest';
import {
  chromatogramFigure, interpolate, pressureFigure, profileFigure, residualFigure, signalFigure, velocityFigure,
} from '../src/figures/figures.js';
import { btexProblem, chromatogram, parseProblem, pressure, profiles, velocity } from '../src/index.js';
import { byClass, elements, parseXml, tickValue } from './support/xml.js';
import type { Document } from '@xmldom/xmldom';

function yRange(doc: Document): [number, number] {
  const ticks = byClass(doc, 'text', 'y-tick').map(tickValue);
  const title = byClass(doc, 'text', 'y-title')[0].textContent ?? '';
  const m = /10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)/.exec(title);
  const e = m ? Number([...m[1]].map((c) => (c === '⁻' ? '-' : String('⁰¹²³⁴⁵⁶⁷⁸⁹'.indexOf(c)))).join('')) : 0;
  return [Math.min(...ticks) * 10 ** e, Math.max(...ticks) * 10 ** e];
}

const legend = (doc: Document) => byClass(doc, 'g', 'legend-entry').map((g) => elements(g, 'text')[0].textContent);

describe('figures of the BTEX case', () => {
  const problem = parseProblem(btexProblem());
  const variable = chromatogram(problem);

  it('chromatogram: one series and legend entry per analyte, range covering every peak', () => {
    const doc = parseXml(chromatogramFigure([{ result: variable }]));
    expect(byClass(doc, 'path', 'series')).toHaveLength(5);
    expect(legend(doc)).toEqual(problem.analytes.map((a) => a.name));
    const highest = Math.max(...variable.analytes.map((a) => a.peak.height));
    const [y0, y1] = yRange(doc);
    expect(y0).toBe(0);
    expect(y1).toBeGreaterThanOrEqual(highest);
  });

  it('chromatogram with the other velocity model: 10 series, analytes once plus two style keys', () => {
    const constant = chromatogram(problem, { velocity: 'constant', times: Float64Array.from({ length: 1801 }, (_, j) => j / 2) });
    const doc = parseXml(chromatogramFigure([
      { result: variable, label: 'variable velocity' },
      { result: constant, label: 'constant velocity', style: 'dashed' },
    ]));
    const series = byClass(doc, 'path', 'series');
    expect(series).toHaveLength(10);
    expect(series.filter((s) => s.getAttribute('stroke-dasharray') !== null)).toHaveLength(5);
    expect(legend(doc)).toEqual([...problem.analytes.map((a) => a.name), 'variable velocity', 'constant velocity']);
    // Same colour for the same analyte in both models.
    expect(series[0].getAttribute('stroke')).toBe(series[5].getAttribute('stroke'));
    const xTicks = byClass(doc, 'text', 'x-tick').map(tickValue);
    expect(Math.max(...xTicks)).toBeGreaterThanOrEqual(900);
  });

  it('profile: one series per analyte at the requested time', () => {
    const r = profiles(problem, { times: [108, 290], points: 101 });
    const doc = parseXml(profileFigure(r, 1));
    expect(byClass(doc, 'path', 'series')).toHaveLength(5);
    expect(byClass(doc, 'text', 'chart-title')[0].textContent).toBe('t = 290 s');
    const xTicks = byClass(doc, 'text', 'x-tick').map(tickValue);
    expect([Math.min(...xTicks), Math.max(...xTicks)]).toEqual([0, 20]);
    expect(() => profileFigure(r, 2)).toThrow(/index must be an integer from 0 to 1, got 2/);
  });

  it('velocity and pressure: ranges contain inlet and outlet values', () => {
    const c = problem.column;
    const v = parseXml(velocityFigure(problem));
    expect(byClass(v, 'path', 'series')).toHaveLength(2);
    const [v0, v1] = yRange(v);
    expect(v0).toBeLessThanOrEqual(c.inletVelocity);
    expect(v1).toBeGreaterThanOrEqual(velocity(c, c.length));
    const p = parseXml(pressureFigure(problem));
    const [p0, p1] = yRange(p);
    expect(p0).toBeLessThanOrEqual(pressure(c, c.length));
    expect(p1).toBeGreaterThanOrEqual(c.inletPressure);
    expect(byClass(p, 'text', 'y-title')[0].textContent).toBe('pressure p (10⁵ Pa)');
  });

  it('signal and residual figures', () => {
    const s = parseXml(signalFigure([
      { label: 'measured', time: variable.times, signal: variable.signal!, style: 'points' },
      { label: 'fitted', time: variable.times, signal: variable.signal! },
    ]));
    expect(byClass(s, 'path', 'series')).toHaveLength(2);
    expect(legend(s)).toEqual(['measured', 'fitted']);
    const r = parseXml(residualFigure([0, 1, 2], [1, -2, 0.5]));
    expect(legend(r)).toEqual(['measured − model']);
    const [r0, r1] = yRange(r);
    expect(r0).toBeLessThanOrEqual(-2);
    expect(r1).toBeGreaterThanOrEqual(1);
  });
});

describe('interpolate', () => {
  it('is exact for a linear function and clamps outside the grid', () => {
    const t = [0, 1, 3, 7];
    const f = t.map((x) => 2 * x - 1);
    const at = interpolate(t, f, [-1, 0, 0.5, 2, 6.5, 7, 9]);
    expect(Array.from(at)).toEqual([-1, -1, 0, 3, 12, 13, 13]);
  });
});
