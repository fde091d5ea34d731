/**
 * The `elution` command line as a function: main(argv) runs one command and returns its exit
 * code (0; 2: bad command line; 1: invalid problem, data or I/O), printing a one-line message on
 * stderr for an error. src/cli/main.ts calls it; tests call it in-process.
 */
import { terminalSafe } from '../io/text.js';
import { beginCommand, UsageError, type Command } from './common.js';
import { example } from './example.js';
import { fit } from './fit.js';
import { plot } from './plot.js';
import { profile } from './profile.js';
import { report } from './report.js';
import { simulate } from './simulate.js';

export const VERSION = '0.1.0';

const COMMANDS: Record<string, Command> = { simulate, profile, fit, plot, report, example };

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const list = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`).join('\n');
  return `elution ${VERSION}: gas-chromatography column simulation

Usage: elution <command> [options]

Commands:
${list}

Run 'elution <command> --help' for the options of a command.`;
}

/** Longest message printed (characters): what is quoted from input is cut far below it. */
const MESSAGE_LENGTH = 2000;

/** An error message as one line safe for a terminal: its first line, unsafe characters escaped, cut. */
function oneLine(message: string): string {
  const line = terminalSafe(message.split('\n')[0]);
  return line.length > MESSAGE_LENGTH ? `${line.slice(0, MESSAGE_LENGTH)}... (message cut)` : line;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      const topic = name === 'help' && rest[0] !== undefined ? COMMANDS[rest[0]] : undefined;
      console.log(topic ? topic.help : usage());
      return 0;
    }
    if (name === '--version' || name === '-v') {
      console.log(VERSION);
      return 0;
    }
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!command) {
      throw new UsageError(`unknown command ${JSON.stringify(name)}; commands: ${Object.keys(COMMANDS).join(', ')}`);
    }
    beginCommand();
    await command.run(rest);
    return 0;
  } catch (err) {
    process.stderr.write(`elution: ${oneLine((err as Error).message)}\n`);
    if (err instanceof UsageError) {
      const known = name !== undefined && Object.hasOwn(COMMANDS, name);
      process.stderr.write(`Run 'elution ${known ? name + ' ' : ''}--help' for usage.\n`);
      return 2;
    }
    return 1;
  }
}

