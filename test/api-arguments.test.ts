/** Public API arguments: own properties only, and validation errors (never internal TypeErrors). */
import { describe, expect, it } from 'vitest';
import { btexProblem, chromatogram, fitChromatogram, profiles, ProblemError } from '../src/index.js';

const benzene = () => chromatogram(btexProblem()).analytes[4];

describe('a polluted Object.prototype changes nothing', () => {
  it.each([
    ['velocity', 'constant'], ['response', 1e9], ['detector', { baseline: 1e6 }], ['diffusivity', 1], ['times', [1, 2]],
    ['engine', 'js'], ['viscosity', 1],
  ])('Object.prototype.%s', (key, value) => {
    const plain = btexProblem();
    plain.analytes.forEach((a) => { delete a.response; });
    delete plain.detector;
    const expected = { tR: benzene().moments.mean, c: benzene().concentration, signal: chromatogram(plain).signal };
    const proto = Object.prototype as Record<string, unknown>;
    try {
      proto[key] = value;
      const r = chromatogram(btexProblem()).analytes[4];
      expect(r.moments.mean).toBe(expected.tR);
      expect(r.concentration).toEqual(expected.c);
      expect(chromatogram(plain).signal).toBe(expected.signal);
    } finally {
      delete proto[key];
    }
    expect(Object.prototype).not.toHaveProperty(key);
  });
});

describe('bad arguments give validation errors naming them', () => {
  const sparse = () => {
    const p = btexProblem();
    // eslint-disable-next-line no-sparse-arrays
    (p as { analytes: unknown[] }).analytes = [p.analytes[0], , p.analytes[1]];
    return p;
  };
  it.each([
    ['options = null', () => chromatogram(btexProblem(), null as never), ProblemError, /^options: must be an object, got null$/],
    ['profiles without options', () => profiles(btexProblem(), undefined as never), ProblemError, /^options\.times: must be a non-empty array/],
    ['sparse analytes', () => chromatogram(sparse()), ProblemError, /^analytes\[1\]: must be an object, got undefined$/],
    ['engine {}', () => chromatogram(btexProblem(), { engine: {} as never }), TypeError,
      /^options\.engine: a kernel object must have the functions scaledBesselI1, adsorbedFraction, outletConcentration, pointConcentration, setOutletRule$/],
    ['fit data null', () => fitChromatogram(btexProblem(), null as never), RangeError, /^data: must be an object with arrays `time` \(s\) and `signal`, got null$/],
  ])('%s', (_name, call, type, message) => {
    expect(call).toThrow(type);
    expect(call).toThrow(message);
  });
});
