/**
 * The portable exp and log (src/solvers/portable-math.ts): within 1 ulp of 40-digit references
 * (scripts/portable_math_reference.py), within 1 ulp of this engine's Math.exp and Math.log over
 * 2·10^5 seeded arguments, and exact at the special values.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exp, log } from '../src/solvers/portable-math.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/portable-math-reference.json', import.meta.url), 'utf8')) as
  { exp: [string, string][]; log: [string, string][] };

const bits = new DataView(new ArrayBuffer(8));
function ordinal(x: number): bigint {
  bits.setFloat64(0, x);
  const b = bits.getBigInt64(0);
  return b < 0n ? -(b & 0x7fffffffffffffffn) : b;
}
/** Distance in ulps between two doubles (how many doubles lie between them, plus one). */
function ulps(a: number, b: number): number {
  return Math.abs(Number(ordinal(a) - ordinal(b)));
}

/** A seeded generator (mulberry32), so that every run checks the same arguments. */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('portable exp and log', () => {
  for (const [name, f] of [['exp', exp], ['log', log]] as const) {
    it(`${name} lies within 1 ulp of the 40-digit value (${fixture[name].length} arguments), most of them correctly rounded`, () => {
      let worst = 0;
      let rounded = 0;
      for (const [x, value] of fixture[name]) {
        // Number() of a decimal is correctly rounded: the double nearest the exact value.
        const d = ulps(f(Number(x)), Number(value));
        worst = Math.max(worst, d);
        if (d === 0) rounded++;
      }
      console.info(`${name}: largest error ${worst} ulp, ${rounded} of ${fixture[name].length} correctly rounded`);
      expect(worst).toBeLessThanOrEqual(1);
      expect(rounded / fixture[name].length).toBeGreaterThan(0.85);
    });
  }

  it('agrees with this engine\'s Math.exp and Math.log to 1 ulp over 2·10^5 arguments', () => {
    const next = uniform(496908071);
    let worstExp = 0;
    let worstLog = 0;
    for (let i = 0; i < 100_000; i++) {
      const span = [745, 40, 1, 1e-6][i % 4];
      const x = (2 * next() - 1) * span;
      worstExp = Math.max(worstExp, ulps(exp(x), Math.exp(x)));
      const y = Math.exp((2 * next() - 1) * [700, 2, 1e-3][i % 3]);
      worstLog = Math.max(worstLog, ulps(log(y), Math.log(y)));
    }
    console.info(`against Math: exp ${worstExp} ulp, log ${worstLog} ulp`);
    expect(worstExp).toBeLessThanOrEqual(1);
    expect(worstLog).toBeLessThanOrEqual(1);
  });

  it('gives the special values exactly', () => {
    expect(exp(0)).toBe(1);
    expect(exp(-0)).toBe(1);
    expect(exp(Infinity)).toBe(Infinity);
    expect(exp(-Infinity)).toBe(0);
    expect(exp(710)).toBe(Infinity);
    expect(exp(-746)).toBe(0);
    expect(exp(Number.NaN)).toBeNaN();
    expect(exp(-745)).toBe(5e-324);
    expect(log(1)).toBe(0);
    expect(log(0)).toBe(-Infinity);
    expect(log(-0)).toBe(-Infinity);
    expect(log(Infinity)).toBe(Infinity);
    expect(log(-1)).toBeNaN();
    expect(log(Number.NaN)).toBeNaN();
    expect(log(2)).toBe(Math.LN2);
    expect(log(10)).toBe(Math.LN10);
    expect(log(5e-324)).toBe(-744.4400719213812);
    for (let k = -1074; k <= 1023; k += 7) expect(ulps(log(2 ** k), k * Math.LN2)).toBeLessThanOrEqual(1);
  });
});
