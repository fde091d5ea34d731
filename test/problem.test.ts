/** Validation of the problem file (CONFIG.md): every bad input names its key, value and the rule. */
import { describe, expect, it } from 'vitest';
import {
  btexProblem, chromatogram, parseProblem, ProblemError, ProblemTypeError, profiles, type Problem,
} from '../src/index.js';
import { btexWith } from './helpers.js';

type Mutation = [string, (p: Problem & Record<string, unknown>) => void, RegExp];

const BAD: Mutation[] = [
  ['negative length', (p) => { p.column.length = -1; }, /^column\.length: must be a finite number > 0 \(m\), got -1$/],
  ['zero radius', (p) => { p.column.radius = 0; }, /^column\.radius: .*> 0.*got 0$/],
  ['film thicker than radius', (p) => { p.column.filmThickness = 1e-3; }, /^column\.filmThickness: must be < column\.radius/],
  ['outlet pressure above inlet', (p) => { p.column.outletPressure = 5e5; }, /^column\.outletPressure: must be < column\.inletPressure \(401000 Pa\), got 500000$/],
  ['equal pressures', (p) => { p.column.outletPressure = p.column.inletPressure; }, /^column\.outletPressure: must be </],
  ['string velocity value', (p) => { (p.column as unknown as Record<string, unknown>).inletVelocity = '0.41'; }, /^column\.inletVelocity: must be a finite number > 0 \(m\/s\), got "0\.41"$/],
  ['NaN', (p) => { p.analytes[0].kd = NaN; }, /^analytes\[0\]\.kd: .*got NaN$/],
  ['Infinity', (p) => { p.analytes[2].ka = Infinity; }, /^analytes\[2\]\.ka: .*got Infinity$/],
  ['unknown velocity model', (p) => { (p.column as unknown as Record<string, unknown>).velocity = 'fast'; }, /^column\.velocity: must be "variable" or "constant", got "fast"$/],
  ['unknown column key', (p) => { (p.column as unknown as Record<string, unknown>).lenght = 20; }, /^column\.lenght: unknown key; allowed here: length, radius/],
  ['unknown top-level key', (p) => { p.colunm = {}; }, /^colunm: unknown key/],
  ['missing column', (p) => { delete (p as Record<string, unknown>).column; }, /^problem\.column: is required$/],
  ['missing kd', (p) => { delete (p.analytes[1] as unknown as Record<string, unknown>).kd; }, /^analytes\[1\]\.kd: is required$/],
  ['empty analytes', (p) => { p.analytes = []; }, /^analytes: must be a non-empty array/],
  ['analytes not an array', (p) => { (p as Record<string, unknown>).analytes = { name: 'x' }; }, /^analytes: must be a non-empty array of analytes, got an object$/],
  ['duplicate names', (p) => { p.analytes[1].name = p.analytes[0].name; }, /^analytes\[1\]\.name: duplicate name "o-xylene"$/],
  ['name with a line break', (p) => { p.analytes[0].name = 'a\nb'; }, /^analytes\[0\]\.name: must be a non-empty string, not only white space, without control characters \(line breaks, tabs, NUL\), bidirectional controls or unpaired surrogates, got "a\\nb"$/],
  ['name with a tab', (p) => { p.analytes[2].name = 'a\tb'; }, /^analytes\[2\]\.name: must be .*without control characters.*, got "a\\tb"$/],
  ['name with CR', (p) => { p.analytes[0].name = 'benzene\r'; }, /^analytes\[0\]\.name: must be .*without control characters/],
  ['name with DEL', (p) => { p.analytes[0].name = 'a\u007fb'; }, /^analytes\[0\]\.name: must be .*without control characters/],
  ['name with a line separator', (p) => { p.analytes[0].name = 'a\u2028b'; }, /^analytes\[0\]\.name: must be .*without control characters/],
  ['name with an unpaired surrogate', (p) => { p.analytes[0].name = 'a\ud800'; }, /^analytes\[0\]\.name: must be .*unpaired surrogates/],
  ['empty name', (p) => { p.analytes[1].name = ''; }, /^analytes\[1\]\.name: must be a non-empty string, not only white space/],
  ['blank name', (p) => { p.analytes[1].name = ' \u00a0 '; }, /^analytes\[1\]\.name: must be a non-empty string, not only white space.*, got " \u00a0 "$/],
  ['name not a string', (p) => { (p.analytes[1] as unknown as Record<string, unknown>).name = 7; }, /^analytes\[1\]\.name: must be a non-empty string.*, got 7$/],
  ['zero pulse', (p) => { p.injection.duration = 0; }, /^injection\.duration: must be a finite number > 0 \(s\), got 0$/],
  ['count 1', (p) => { p.output.count = 1; }, /^output\.count: must be an integer >= 2, got 1$/],
  ['fractional count', (p) => { p.output.count = 10.5; }, /^output\.count: must be an integer >= 2, got 10\.5$/],
  ['huge count', (p) => { p.output.count = 1e9; }, /^output\.count: must be <= 10000000, got 1000000000$/],
  ['end before start', (p) => { p.output = { start: 10, end: 5, count: 3 }; }, /^output\.end: must be a finite number > 10 \(s\), got 5$/],
  ['negative start', (p) => { p.output.start = -1; }, /^output\.start: must be a finite number >= 0 \(s\), got -1$/],
  ['baseline not a number', (p) => { (p as Record<string, unknown>).detector = { baseline: 'x' }; }, /^detector\.baseline: must be a finite number/],
  ['response zero', (p) => { p.analytes[0].response = 0; }, /^analytes\[0\]\.response: must be a finite number > 0/],
  ['absurd ka', (p) => { p.analytes[0].ka = 1e300; }, /^analytes\[0\]\.ka: gives a retention exponent .* above 1000000000000/],
];

describe('bad problems are rejected with the key, the value and what is allowed', () => {
  for (const [what, change, message] of BAD) {
    it(what, () => {
      const input = btexWith(change);
      expect(() => parseProblem(input)).toThrow(message);
      // The solvers validate too, and throw before touching the wasm instance.
      expect(() => chromatogram(input)).toThrow(message);
    });
  }

  it('errors carry the key path and are RangeError or TypeError', () => {
    try {
      parseProblem(btexWith((p) => { p.analytes[3].c0 = -2; }));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ProblemError);
      expect(err).toBeInstanceOf(RangeError);
      expect((err as ProblemError).path).toBe('analytes[3].c0');
    }
    expect(() => parseProblem(btexWith((p) => { (p.column as unknown as Record<string, unknown>).length = null; })))
      .toThrow(ProblemTypeError);
  });

  it('analyte names may hold any printable text: commas, quotes, markup, non-ASCII, spaces', () => {
    const names = ['p,m-xylene', '"quoted"', "it's <b>&amp;</b>", 'α-pinène 😀', ' spaced; ,'];
    const p = parseProblem(btexWith((q) => { names.forEach((n, i) => { q.analytes[i].name = n; }); }));
    expect(p.analytes.map((a) => a.name)).toEqual(names);
  });

  it('not an object at all', () => {
    expect(() => parseProblem(null)).toThrow(/^problem: must be an object, got null$/);
    expect(() => parseProblem([1])).toThrow(/^problem: must be an object, got an array$/);
  });

  it('solver options are validated too', () => {
    const p = btexProblem();
    expect(() => chromatogram(p, { times: [1, 0] })).toThrow(/^options\.times\[1\]: must be >= the previous time 1, got 0$/);
    expect(() => chromatogram(p, { times: [NaN] })).toThrow(/^options\.times\[0\]: must be a finite time >= 0/);
    expect(() => chromatogram(p, { velocity: 'slow' as never })).toThrow(/^options\.velocity: must be "variable" or "constant"/);
    expect(() => chromatogram(p, { engine: 'gpu' as never })).toThrow(/^options\.engine: must be "wasm", "js"/);
    expect(() => profiles(p, { times: [] })).toThrow(/^options\.times: must hold 1 to 10000000 times, got 0$/);
    expect(() => profiles(p, { times: [-1] })).toThrow(/^options\.times\[0\]: must be a finite time >= 0/);
    expect(() => profiles(p, { times: [1], points: 1 })).toThrow(/^options\.points: must be an integer from 2/);
  });
});

describe('defaults', () => {
  it('velocity defaults to variable, output to a grid past the last peak', () => {
    const input = btexWith((p) => {
      delete (p.column as unknown as Record<string, unknown>).velocity;
      delete (p as Record<string, unknown>).output;
    });
    const p = parseProblem(input);
    expect(p.column.velocity).toBe('variable');
    expect(p.output.start).toBe(0);
    expect(p.output.count).toBe(1401);
    // o-xylene elutes by ~860 s even at constant velocity (mean + 8 sigma)
    expect(p.output.end).toBeGreaterThan(822 + 8 * 8);
    expect(p.output.end).toBeLessThanOrEqual(1000);
  });

  it('parsing does not modify its input and returns a copy', () => {
    const input = btexProblem();
    const before = JSON.stringify(input);
    const p = parseProblem(input);
    p.column.length = 1;
    expect(JSON.stringify(input)).toBe(before);
  });
});
