import { btexProblem, programmedProblem } from '../model/examples.js';
import { parse, UsageError, type Command } from './common.js';

export const example: Command = {
  summary: 'print a built-in problem (CONFIG.md format): BTEX, or with --programmed a temperature-programmed run',
  help: `Usage: elution example [--programmed]

Prints the built-in BTEX problem (paper Tables 1 and 3) as JSON, a starting point for your own.
With --programmed: a temperature-programmed run in the run form (n-alkanes C9-C14, helium at
1.2 mL/min, oven 40(1)-10-300(2); the same as examples/decane-programmed.json).`,
  run(args) {
    const { values, positionals } = parse(args, { programmed: { type: 'boolean' } });
    if (values.help) return void console.log(example.help);
    if (positionals.length > 0) throw new UsageError(`example takes no arguments, got ${positionals.join(' ')}`);
    process.stdout.write(JSON.stringify(values.programmed ? programmedProblem() : btexProblem(), null, 2) + '\n');
  },
};
