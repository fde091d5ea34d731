import { profileCsvChunks } from '../io/csv.js';
import { fdProfiles } from '../solvers/fd.js';
import { profiles, type ProfileResult } from '../solvers/laplace.js';
import {
  atMostOne, checkOutput, engineOption, loadProblem, numberOption, parse, toJson, UsageError, velocityOption, write,
  type Command,
} from './common.js';
import { FD_OPTION_HELP, FD_OPTION_SPEC, fdCliOptions } from './fdOptions.js';

export const profile: Command = {
  summary: 'concentration along the column at one time',
  help: `Usage: elution profile [problem.json] --time <s> [options]

Writes the concentration of every analyte along the column (x from the inlet, m) at one time.

Options:
  --time <s>           time after injection start (s), required
  --points <n>         number of positions from inlet to outlet (default: 201)
  --velocity <model>   variable | constant
  --out <file>         .csv (x,<analytes>) or .json; '-' for stdout   (default: profile.csv)
  --engine <name>      wasm | js
${FD_OPTION_HELP}
  -h, --help           show this help`,
  run(args) {
    const { values, positionals } = parse(args, {
      time: { type: 'string' }, points: { type: 'string' }, velocity: { type: 'string' },
      out: { type: 'string' }, engine: { type: 'string' }, ...FD_OPTION_SPEC,
    });
    if (values.help) return void console.log(profile.help);
    const time = numberOption(values.time, 'time', { min: 0 });
    if (time === undefined) throw new UsageError('profile needs --time <s> (time after injection start)');
    const points = numberOption(values.points, 'points', { min: 2, max: 10_000_000, integer: true }) ?? 201;
    const problem = loadProblem(atMostOne(positionals, 'profile'));
    const out = (values.out as string | undefined) ?? 'profile.csv';
    checkOutput(out, '--out');
    const { method, fd, done } = fdCliOptions(values);
    const common = { times: [time], points, velocity: velocityOption(values.velocity), engine: engineOption(values.engine) };
    let result: ProfileResult;
    try {
      result = method === 'fd' ? fdProfiles(problem, { ...common, ...fd }) : profiles(problem, common);
    } finally {
      done();
    }
    write(out, out.endsWith('.json') ? toJson(result) : profileCsvChunks(result));
    if (out !== '-') {
      console.log(`profile at t = ${time} s, ${points} positions, ${result.velocity} velocity: wrote ${out}`);
    }
  },
};
