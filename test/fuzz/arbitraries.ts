/**
 * Generators of the fuzz tests (test/fuzz.test.ts): problems, hostile values, CSV text, command
 * lines and fitting cases, built with fast-check so that a failure shrinks to a small case and
 * replays from its seed.
 */
import fc from 'fast-check';
import type { Problem } from '../../src/index.js';

/** 10^x for x uniform in [lo, hi]: a log-uniform positive number. */
export const logUniform = (lo: number, hi: number): fc.Arbitrary<number> =>
  fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true }).map((x) => 10 ** x);

/** A realistic open-tubular column (SI units), either velocity model. */
export const column = fc.record({
  length: logUniform(-1, 2),
  radius: logUniform(-4.5, -3.3),
  filmRatio: logUniform(-3, -1.3),
  inletPressure: logUniform(5, 6.3),
  drop: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
  inletVelocity: logUniform(-1.3, 0.3),
  velocity: fc.constantFrom('variable' as const, 'constant' as const),
}).map((c) => ({
  length: c.length, radius: c.radius, filmThickness: c.radius * c.filmRatio, inletPressure: c.inletPressure,
  outletPressure: c.inletPressure * (1 - c.drop), inletVelocity: c.inletVelocity, velocity: c.velocity,
}));

/** An analyte whose retention factor alpha ka/kd (for a film ratio about 1e-2) spans 0.01 to 1e3. */
const analyte = (i: number) => fc.record({
  name: fc.constant(`a${i}`),
  kd: logUniform(-1, 2),
  factor: logUniform(-2, 3),
  c0: logUniform(-8, 0),
  diffusivity: logUniform(-6, -4.3),
  response: logUniform(5, 9),
});

/** Moments of the model, from the problem (MODEL.md §5, constant-velocity hold-up time: an upper bound). */
export function roughPeak(p: Problem, a: Problem['analytes'][number]): { mean: number; sigma: number } {
  const c = p.column;
  const alpha = (2 * c.filmThickness) / c.radius;
  const tM = c.length / c.inletVelocity;
  const k = (alpha * a.ka) / a.kd;
  const t1 = p.injection.duration;
  return { mean: tM * (1 + k) + t1 / 2, sigma: Math.sqrt((2 * k * tM) / a.kd + (t1 * t1) / 12) };
}

/**
 * A valid problem of 1 to `most` analytes, with an output grid that covers the peaks (mostly) or
 * cuts them (sometimes), of `points` times.
 */
export const problem = (most: number, points: [number, number]) => fc.record({
  column,
  duration: logUniform(-1.5, 1.5),
  analytes: fc.integer({ min: 1, max: most }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => analyte(i)))),
  count: fc.integer({ min: points[0], max: points[1] }),
  window: fc.constantFrom('cover', 'cover', 'cover', 'cut', 'late'),
  baseline: fc.double({ min: -1e4, max: 1e4, noNaN: true }),
}).map((r) => {
  const alpha = (2 * r.column.filmThickness) / r.column.radius;
  const p: Problem = {
    column: r.column,
    injection: { duration: r.duration },
    analytes: r.analytes.map((a) => ({
      name: a.name, ka: (a.factor * a.kd) / alpha, kd: a.kd, c0: a.c0, diffusivity: a.diffusivity, response: a.response,
    })),
    detector: { baseline: r.baseline },
    output: { start: 0, end: 1, count: r.count },
  };
  const last = Math.max(...p.analytes.map((a) => { const m = roughPeak(p, a); return m.mean + 8 * m.sigma; }));
  const first = Math.min(...p.analytes.map((a) => roughPeak(p, a).mean));
  p.output = r.window === 'cover' ? { start: 0, end: last, count: r.count }
    : r.window === 'cut' ? { start: 0, end: first, count: r.count }
      : { start: last, end: 2 * last, count: r.count };
  return p;
});

/** Values a hostile or careless caller may put anywhere. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(0, -0, -1, 5e-324, 1e-308, 1e-300, 1e-200, 1e-30, 1e30, 1e100, 1e200, 1e300, 1e308,
    Number.MAX_VALUE, Infinity, -Infinity, NaN, 2.5, 1e7 + 1, 2 ** 53, '1', '', 'constant', 'variable', null,
    undefined, true, [], [1], {}, { length: 2e8 }),
  fc.double(),
  fc.string({ maxLength: 8 }),
);

/** Key paths of a problem a mutation may hit. */
const PATHS = [
  'column.length', 'column.radius', 'column.filmThickness', 'column.inletPressure', 'column.outletPressure',
  'column.inletVelocity', 'column.velocity', 'column.viscosity', 'column.temperature', 'column.extra',
  'injection.duration', 'injection', 'column', 'analytes', 'detector', 'detector.baseline', 'output',
  'output.start', 'output.end', 'output.count', 'a.ka', 'a.kd', 'a.c0', 'a.name', 'a.response', 'a.diffusivity', 'a',
  'a.extra', 'extra',
];

/** A valid problem with one to three keys set to hostile values (or deleted). */
export const nearInvalidProblem = fc.record({
  base: problem(3, [2, 300]),
  mutations: fc.array(fc.record({
    path: fc.constantFrom(...PATHS),
    value: hostileValue,
    remove: fc.boolean(),
    which: fc.nat(),
  }), { minLength: 1, maxLength: 3 }),
}).map(({ base, mutations }) => {
  const p = structuredClone(base) as unknown as Record<string, unknown>;
  for (const m of mutations) {
    const keys = m.path.split('.');
    let target: Record<string, unknown> = p;
    if (keys[0] === 'a') {
      const list = p.analytes;
      if (!Array.isArray(list) || list.length === 0) continue;
      const i = m.which % list.length;
      if (keys.length === 1) {
        list[i] = m.value;
        continue;
      }
      target = list[i] as Record<string, unknown>;
      keys.shift();
    } else {
      for (const k of keys.slice(0, -1)) target = target[k] as Record<string, unknown>;
    }
    if (typeof target !== 'object' || target === null) continue;
    const last = keys[keys.length - 1];
    if (m.remove) delete target[last];
    else target[last] = m.value;
  }
  return p as unknown;
});

/**
 * A cheap finite-difference case: a short column (2 to 50 cm), one or two analytes eluting within
 * a few tens of hold-up times, a coarse accuracy (the automatic grid), or the grid given (at most
 * 120 cells; 3 to 3000 steps, or a step up to 1e8 times the run) with either scheme.
 */
export const fdCase = fc.record({
  length: logUniform(-1.7, -0.3),
  radius: logUniform(-4.2, -3.5),
  filmRatio: logUniform(-2.5, -1.5),
  inletPressure: logUniform(5, 5.7),
  drop: fc.double({ min: 0.05, max: 0.6, noNaN: true }),
  inletVelocity: logUniform(-1, 0),
  velocity: fc.constantFrom('variable' as const, 'constant' as const),
  duration: logUniform(-1, 0.5),
  analytes: fc.array(fc.record({
    kd: logUniform(0, 1.5), factor: logUniform(-1, 1), c0: logUniform(-6, 0), diffusivity: logUniform(-5.5, -4.5),
  }), { minLength: 1, maxLength: 2 }),
  count: fc.integer({ min: 2, max: 120 }),
  accuracy: logUniform(-1.5, -1),
  grid: fc.oneof(
    { weight: 3, arbitrary: fc.constant(null) },
    // a given grid of at most 120 cells and 3 to 3000 steps over the run, or a step far longer than it
    { weight: 1, arbitrary: fc.record({ cells: fc.integer({ min: 8, max: 120 }), steps: logUniform(0.5, 3.5) }) },
    { weight: 1, arbitrary: fc.record({ cells: fc.integer({ min: 8, max: 120 }), steps: logUniform(-8, 0) }) },
  ),
  explicit: fc.boolean(),
  twin: fc.nat({ max: 4 }),
}).map((r) => {
  const filmThickness = r.radius * r.filmRatio;
  const alpha = 2 * r.filmRatio;
  const problem: Problem = {
    column: {
      length: r.length, radius: r.radius, filmThickness, inletPressure: r.inletPressure,
      outletPressure: r.inletPressure * (1 - r.drop), inletVelocity: r.inletVelocity, velocity: r.velocity,
    },
    injection: { duration: r.duration },
    analytes: r.analytes.map((a, i) => ({
      name: `a${i}`, ka: (a.factor * a.kd) / alpha, kd: a.kd, c0: a.c0, diffusivity: a.diffusivity,
    })),
    output: { start: 0, end: 1, count: r.count },
  };
  const last = Math.max(...problem.analytes.map((a) => { const m = roughPeak(problem, a); return m.mean + 6 * m.sigma; }));
  problem.output = { start: 0, end: last, count: r.count };
  const options = r.grid === null
    ? { accuracy: r.accuracy }
    : { cells: r.grid.cells, dt: last / r.grid.steps, scheme: r.explicit ? 'explicit' as const : 'implicit' as const };
  return { problem, options, twin: r.twin === 0 };
});

/**
 * fdCase with saturating films (MODEL.md §14): each analyte Langmuir (loading K c0/qMax from 0.01
 * to 5) or anti-Langmuir (0.01 to 0.9), sometimes competing; the implicit scheme only, and a work
 * limit of 1e8 cell updates so a stiff film is refused quickly instead of stepping for a minute.
 */
export const fdFilmCase = fc.record({
  base: fdCase,
  films: fc.array(fc.record({ anti: fc.boolean(), loading: logUniform(-2, 0.7), antiLoading: fc.double({ min: 0.01, max: 0.9, noNaN: true }) }),
    { minLength: 2, maxLength: 2 }),
  competitive: fc.boolean(),
}).map(({ base, films, competitive }) => {
  const problem = { ...base.problem, competitive } as Problem;
  problem.analytes = base.problem.analytes.map((a, i) => {
    const f = films[i];
    const lambda = f.anti ? f.antiLoading : f.loading;
    return { ...a, isotherm: f.anti ? 'anti-langmuir' as const : 'langmuir' as const, qMax: (a.ka / a.kd) * a.c0 / lambda };
  });
  const options = { ...base.options, workLimit: 1e8 } as Record<string, unknown>;
  delete options.scheme;
  if ('dt' in options) delete options.dt;
  return { problem, options, twin: base.twin };
});

// ---- CSV text ----------------------------------------------------------------------------------

const number = fc.oneof(
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).map(String),
  fc.integer({ min: -5, max: 1000 }).map(String),
  fc.constantFrom('1e300', '-1e308', '1e309', 'NaN', 'Infinity', '0x10', '1,5', '1.5', '1 000', '١٢', ' 7 ', '+3', '.5', '5.'),
);
const word = fc.oneof(
  fc.constantFrom('time', 'Time (min)', 't [ms]', 'signal', 'Signal', 'TCD', '"q,uoted"', '"a""b"', '', ' ', 'x'),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
);
const cell = fc.oneof({ weight: 4, arbitrary: number }, { weight: 1, arbitrary: word });
const separator = fc.constantFrom(',', ';', '\t', ' ', '|');
const lineEnd = fc.constantFrom('\n', '\r\n', '\r');

/** Delimited text: sometimes a well-formed chromatogram, sometimes mangled, sometimes noise. */
export const csvText = fc.oneof(
  fc.record({
    sep: separator, end: lineEnd, bom: fc.boolean(),
    meta: fc.array(fc.array(word, { maxLength: 3 }), { maxLength: 2 }),
    header: fc.array(word, { minLength: 1, maxLength: 4 }),
    rows: fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { maxLength: 30 }),
  }).map((r) => (r.bom ? '\ufeff' : '') +
    [...r.meta, r.header, ...r.rows].map((row) => row.join(r.sep)).join(r.end)),
  fc.record({ n: fc.integer({ min: 0, max: 60 }), sep: separator, end: lineEnd, dt: fc.double({ min: -1, max: 10, noNaN: true }),
    names: fc.tuple(word, word) }).map((r) =>
    [r.names.join(r.sep), ...Array.from({ length: r.n }, (_, j) => `${j * r.dt}${r.sep}${Math.sin(j)}`)].join(r.end)),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

/** Options of the CSV reader, valid or not. */
export const csvOptions = fc.record({
  separator: fc.constantFrom(',', ';', 'tab', '\t', '|', 1),
  decimal: fc.constantFrom('.', ',', ';'),
  timeUnit: fc.constantFrom('s', 'min', 'ms', 'h'),
  timeColumn: fc.oneof(fc.constantFrom('time', 'Time (min)', 1, 2, 0, -1, 1.5), fc.string({ maxLength: 5 })),
  signalColumn: fc.oneof(fc.constantFrom('signal', 2, 3, 99), fc.string({ maxLength: 5 })),
}, { requiredKeys: [] });

/**
 * A problem for the Thomas solution (MODEL.md §13): the valid problems of `problem` at constant
 * velocity without diffusion, each analyte Langmuir (loading K c0/qMax from 1e-3 to 10) or
 * anti-Langmuir (0.01 to 0.95), the windows that cover, cut or miss the peaks included.
 */
export const thomasProblem = fc.record({
  base: problem(3, [2, 800]),
  films: fc.array(fc.record({ anti: fc.boolean(), loading: logUniform(-3, 1), antiLoading: fc.double({ min: 0.01, max: 0.95, noNaN: true }) }),
    { minLength: 3, maxLength: 3 }),
}).map(({ base, films }) => {
  const p = { ...base, column: { ...base.column, velocity: 'constant' as const } } as Problem;
  p.analytes = base.analytes.map((a, i) => {
    const f = films[i];
    const lambda = f.anti ? f.antiLoading : f.loading;
    const { diffusivity: _, ...rest } = a;
    return { ...rest, isotherm: f.anti ? 'anti-langmuir' as const : 'langmuir' as const, qMax: (a.ka / a.kd) * a.c0 / lambda };
  });
  return p;
});
