/** Generators of command lines and fitting cases for the fuzz tests (see arbitraries.ts). */
import fc from 'fast-check';
import { MIN_MAX_EVALUATIONS, type Problem } from '../../src/index.js';
import { logUniform, problem } from './arbitraries.js';

/** Text an option value may be: numbers of every size and sign, words, junk, escape sequences. */
const optionValue = fc.oneof(
  fc.constantFrom('-1', '0', '1', '2', '1e-3', '0.05', '1e6', '1e308', '-1e308', '1e-320', 'NaN', 'Infinity', '-Infinity',
    '', ' ', '3.5', '200001', '1e7', '10000001', '0x10', 'fd', 'laplace', 'js', 'wasm', 'variable', 'constant',
    'implicit', 'explicit', 'chromatogram', 'profiles', '-', '--out', '\u001b[31m', 'a\u202eb', 'overload', 'benzene',
    'toluene', 'on', 'off', '0.1,0.3,1', '0.5,2,1e-12', '1,-1', '0.99,1', ',', '1e-13,101'),
  fc.double({ noNaN: false }).map(String),
  fc.string({ maxLength: 6 }),
);

const OPTIONS = ['--method', '--dt', '--cells', '--accuracy', '--scheme', '--velocity', '--engine', '--points', '--times',
  '--count', '--kind', '--time-column', '--signal-column', '--time-unit', '--separator', '--decimal',
  '--max-evaluations', '--max-iterations', '--title', '--analyte', '--loadings', '--diffusion', '--bogus'];
const FLAGS = ['--no-fd', '--quiet', '--compare', '-h', '--help', '--version'];

/**
 * A command line: a command (sometimes unknown), a problem file from `files` (valid, tiny, broken,
 * missing), option/value pairs (values of every kind, `--dt` and sizes often), flags, and an
 * output path in the run's directory. `fit` and `report` get a data file.
 */
export const commandLine = (files: { problems: string[]; data: string[]; out: (k: number) => string }) => fc.record({
  command: fc.constantFrom('simulate', 'simulate', 'simulate', 'profile', 'profile', 'fit', 'fit', 'plot', 'plot overload',
    'report', 'example', 'bogus', '--version'),
  // the overload series names an analyte: a saturating one, a linear one, one that is not there
  analyte: fc.constantFrom('benzene', 'toluene', 'nothing'),
  problem: fc.option(fc.constantFrom(...files.problems), { nil: undefined }),
  data: fc.constantFrom(...files.data),
  pairs: fc.array(fc.tuple(fc.constantFrom(...OPTIONS, '--dt', '--dt', '--cells', '--points', '--method'), optionValue),
    { maxLength: 4 }),
  flags: fc.array(fc.constantFrom(...FLAGS), { maxLength: 1 }),
  fd: fc.boolean(),
  outKind: fc.constantFrom('.csv', '.json', '.svg', '.html', '', '-'),
  id: fc.nat(),
}).map((r) => {
  const args: string[] = r.command.split(' ');
  if (r.problem !== undefined) args.push(r.problem);
  if (r.command === 'plot overload') args.push('--analyte', r.analyte);
  if (r.command === 'fit' || (r.command === 'report' && r.id % 2 === 0)) args.push(r.data);
  if (r.fd && (r.command === 'simulate' || r.command === 'profile')) args.push('--method', 'fd');
  for (const [k, v] of r.pairs) args.push(k, v);
  args.push(...r.flags);
  if (r.command === 'report') args.push('--no-fd', '--quiet');
  // '-' (stdout) where a command takes it, but never a file in the working directory: report
  // writes a directory and fit its fitted curve beside --out (fit.fitted.csv for '-')
  const stdout = r.outKind === '-' && r.command !== 'report' && r.command !== 'fit';
  if (r.command !== 'example') args.push('--out', stdout ? '-' : files.out(r.id) + (r.outKind === '-' ? '' : r.outKind));
  return args;
});

/**
 * A fitting case: data made by the model itself from a small problem (1 or 2 analytes, 150 to
 * 600 points, noise up to 3% of the largest peak, a baseline), and a fitting problem that starts
 * from constants off by up to a factor 3 (or without them), with fit settings of every kind.
 */
export const fitCase = fc.record({
  problem: problem(2, [150, 600]),
  noise: fc.constantFrom(0, 1e-4, 1e-3, 3e-2),
  noiseSeed: fc.integer({ min: 1, max: 2 ** 31 - 2 }),
  startFactors: fc.array(fc.tuple(logUniform(-0.5, 0.5), logUniform(-0.5, 0.5)), { minLength: 2, maxLength: 2 }),
  dropConstants: fc.boolean(),
  holdupTime: fc.constantFrom(undefined, 'fit', 'column'),
  baseline: fc.constantFrom(undefined, 'given', 'estimate', 'fit'),
  response: fc.constantFrom(undefined, 'problem', 'area', 'fit'),
  weighting: fc.constantFrom(undefined, 'uniform', 'peak'),
  maxEvaluations: fc.constantFrom(undefined, MIN_MAX_EVALUATIONS, 15, 25, 40),
  maxIterations: fc.constantFrom(undefined, 1, 3, 50),
  geometry: fc.constantFrom(undefined, 'known', 'unknown'),
  // fitted mechanisms (MODEL.md §12.7)
  mechanisms: fc.constantFrom(undefined, { diffusion: true }, { slowSites: true }, { injectionTime: true },
    { detectorTime: true }, { diffusion: true, slowSites: true }),
});

/** Gaussian noise from a Park-Miller generator seeded by the case (no Math.random: cases replay). */
export function noisy(signal: Float64Array, scale: number, seed: number): Float64Array {
  let s = seed;
  const uniform = () => {
    s = (s * 48271) % 2147483647;
    return s / 2147483647;
  };
  return signal.map((v) => v + scale * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()));
}

/** The fitting problem of a case: its problem with the start constants and fit settings of the case. */
export function fitProblem(c: { problem: Problem } & Record<string, unknown>): unknown {
  const p = structuredClone(c.problem) as Problem & Record<string, unknown>;
  const factors = c.startFactors as [number, number][];
  p.analytes.forEach((a, i) => {
    const partial = a as Partial<typeof a>;
    if (c.dropConstants) {
      delete partial.ka;
      delete partial.kd;
    } else {
      a.ka *= factors[i][0];
      a.kd *= factors[i][1];
    }
  });
  const fit: Record<string, unknown> = {};
  for (const key of ['holdupTime', 'response', 'weighting', 'maxEvaluations', 'maxIterations', 'geometry'] as const) {
    if (c[key] !== undefined) fit[key] = c[key];
  }
  if (c.baseline !== undefined) fit.baseline = { mode: c.baseline };
  if (c.mechanisms !== undefined) Object.assign(fit, c.mechanisms);
  p.fit = fit;
  delete (p as Partial<Problem>).output;
  return p;
}
