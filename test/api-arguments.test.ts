/** Public API arguments: own properties only, and validation errors (never internal TypeErrors). */
import { describe, expect, it } from 'vitest';
import { btexProblem, chromatogram, fdChromatogram, fdProfiles, fitChromatogram, profiles, ProblemError } from '../src/index.js';

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
    ['profiles without options', () => profiles(btexProblem(), undefined as never), TypeError,
      /^options\.times: must be an array or a Float64Array of times \(s\), got undefined$/],
    ['sparse analytes', () => chromatogram(sparse()), ProblemError, /^analytes\[1\]: must be an object, got undefined$/],
    ['engine {}', () => chromatogram(btexProblem(), { engine: {} as never }), TypeError,
      /^options\.engine: a kernel object must have the functions scaledBesselI1, adsorbedFraction, outletConcentration, pointConcentration, setOutletRule$/],
    ['fit data null', () => fitChromatogram(btexProblem(), null as never), RangeError, /^data: must be an object with arrays `time` \(s\) and `signal`, got null$/],
  ])('%s', (_name, call, type, message) => {
    expect(call).toThrow(type);
    expect(call).toThrow(message);
  });
});

describe('options.times', () => {
  const solvers = [
    ['chromatogram', (times: unknown) => chromatogram(btexProblem(), { times: times as number[] })],
    ['profiles', (times: unknown) => profiles(btexProblem(), { times: times as number[], points: 3 })],
    ['fdChromatogram', (times: unknown) => fdChromatogram(btexProblem(), { times: times as number[] })],
    ['fdProfiles', (times: unknown) => fdProfiles(btexProblem(), { times: times as number[], points: 3 })],
  ] as const;

  it.each(solvers)('%s: a length-only object is refused as a TypeError before any use', (_name, solve) => {
    expect(() => solve({ length: 2e8 })).toThrow(TypeError);
    expect(() => solve({ length: 2e8 })).toThrow(/^options\.times: must be an array or a Float64Array of times \(s\), got an object$/);
  });

  it.each(solvers)('%s: an array of 2e8 is refused by its size, no element read', (_name, solve) => {
    let reads = 0;
    const huge = new Proxy([] as number[], {
      get: (target, key) => {
        if (key === 'length') return 2e8;
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key);
      },
    });
    expect(() => solve(huge)).toThrow(/^options\.times: must hold 1 to 10000000 times, got 200000000$/);
    expect(reads).toBe(0);
  });

  it.each(solvers)('%s: holes and strings are refused, naming the element', (_name, solve) => {
    // eslint-disable-next-line no-sparse-arrays
    expect(() => solve([1, , 3])).toThrow(/^options\.times\[1\]: must be a time \(s\), got undefined$/);
    expect(() => solve([1, '2'])).toThrow(/^options\.times\[1\]: must be a time \(s\), got "2"$/);
    expect(() => solve([])).toThrow(/^options\.times: must hold 1 to 10000000 times, got 0$/);
  });

  it('profiles takes a Float64Array as chromatogram does, with the same result as an array', () => {
    const times = [60, 120.5];
    const fromArray = profiles(btexProblem(), { times, points: 11 });
    const fromTyped = profiles(btexProblem(), { times: new Float64Array(times), points: 11 });
    expect(fromTyped.times).toEqual(times);
    expect(fromTyped.concentrations).toEqual(fromArray.concentrations);
    expect(chromatogram(btexProblem(), { times: new Float64Array(times) }).analytes[4].concentration)
      .toEqual(chromatogram(btexProblem(), { times }).analytes[4].concentration);
  });
});
