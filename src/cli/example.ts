import { btexProblem } from '../model/examples.js';
import { parse, UsageError, type Command } from './common.js';

export const example: Command = {
  summary: 'print the built-in BTEX problem (CONFIG.md format)',
  help: `Usage: elution example

Prints the built-in BTEX problem (paper Tables 1 and 3) as JSON, a starting point for your own.`,
  run(args) {
    const { values, positionals } = parse(args, {});
    if (values.help) return void console.log(example.help);
    if (positionals.length > 0) throw new UsageError(`example takes no arguments, got ${positionals.join(' ')}`);
    process.stdout.write(JSON.stringify(btexProblem(), null, 2) + '\n');
  },
};
