/**
 * Command-line options of the finite-difference solver shared by `simulate` and `profile`:
 * --method, --accuracy, --cells, --dt, --scheme, and the progress bar on stderr.
 */
import type { FdOptions } from '../solvers/fd.js';
import { numberOption, UsageError, type Flags, type OptionSpec } from './common.js';

export const FD_OPTION_SPEC: OptionSpec = {
  method: { type: 'string' }, cells: { type: 'string' }, dt: { type: 'string' },
  accuracy: { type: 'string' }, scheme: { type: 'string' },
};

export const FD_OPTION_HELP = `  --method <name>      laplace (exact; default) | fd (time stepping with diffusion;
                       needs analytes[i].diffusivity)
  --accuracy <f>       fd: target error as a fraction of peak height (default 1e-3)
  --cells <n>          fd: number of cells (default: chosen from --accuracy per analyte)
  --dt <s>             fd: time step (s) (default: chosen from --accuracy per analyte)
  --scheme <name>      fd: implicit (default) | explicit (the paper's scheme; refuses unstable --dt)`;

/**
 * The method and, for 'fd', its options (progress bar included); UsageError on bad values.
 * `methods` are those the command accepts here, the first the default.
 */
export function fdCliOptions<M extends string = 'laplace' | 'fd'>(
  values: Flags, methods: readonly M[] = ['laplace', 'fd'] as unknown as M[],
): { method: M; fd: FdOptions; done: () => void } {
  const method = ((values.method as string | undefined) ?? methods[0]) as M;
  if (!methods.includes(method)) {
    throw new UsageError(`--method must be ${methods.map((m) => `"${m}"`).join(' or ')}, got ${JSON.stringify(method)}`);
  }
  const scheme = values.scheme as string | undefined;
  if (scheme !== undefined && scheme !== 'implicit' && scheme !== 'explicit') {
    throw new UsageError(`--scheme must be "implicit" or "explicit", got ${JSON.stringify(scheme)}`);
  }
  const cells = numberOption(values.cells, 'cells', { min: 4, integer: true });
  const dt = numberOption(values.dt, 'dt', { above: 0 });
  const accuracy = numberOption(values.accuracy, 'accuracy', { min: 1e-8, max: 0.1 });
  if (method !== 'fd' && (cells ?? dt ?? accuracy ?? scheme) !== undefined) {
    throw new UsageError('--cells, --dt, --accuracy and --scheme apply to --method fd only');
  }
  const bar = method === 'fd' ? progressBar() : undefined;
  return {
    method,
    fd: { cells, dt, accuracy, scheme: scheme as FdOptions['scheme'], onProgress: bar?.update },
    done: () => bar?.done(),
  };
}

/** A one-line progress bar on stderr, drawn only when stderr is a terminal (CI logs stay clean). */
function progressBar(): { update: (fraction: number) => void; done: () => void } | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = 0;
  let drawn = false;
  const started = performance.now();
  return {
    update(fraction) {
      const now = performance.now();
      // Short runs draw nothing; long ones at most ten times a second.
      if (now - started < 300 || (now - last < 100 && fraction < 1)) return;
      last = now;
      drawn = true;
      const width = 30;
      const full = Math.round(fraction * width);
      process.stderr.write(`\r[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${(fraction * 100).toFixed(0).padStart(3)}%`);
    },
    done() {
      if (drawn) process.stderr.write('\r' + ' '.repeat(40) + '\r');
    },
  };
}
