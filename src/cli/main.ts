#!/usr/bin/env node
/**
 * The `elution` command line (src/cli/run.ts). Each command lives in its own module. Bad input
 * ends with a one-line message on stderr naming the problem and a non-zero exit code
 * (2: bad command line, 1: invalid problem, data or I/O).
 */
import { main } from './run.js';

export { main, VERSION } from './run.js';

process.exitCode = await main(process.argv.slice(2));
