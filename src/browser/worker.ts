/**
 * The solver side of the Web Worker path: long solves (finite differences, fits, big grids) run in
 * a worker so the page stays responsive. A worker module is one line:
 *
 *   import { serveSolver } from 'elution';
 *   serveSolver();
 *
 * and the page talks to it through `SolverClient` (worker-client.ts). Messages are plain data:
 * problems in the CONFIG.md format and options without functions; results come back as the
 * solvers' result objects with their Float64Arrays transferred, not copied.
 */
import { fdChromatogramAsync, fdProfiles, type FdChromatogramOptions, type FdProfileOptions } from '../solvers/fd.js';
import { fitChromatogram, type FitOptions } from '../solvers/fit/fit.js';
import { chromatogram, profiles, type ChromatogramOptions, type ProfileOptions } from '../solvers/laplace.js';
import { loadWasm, type WasmSource } from '../engine/wasm.js';
import { parseRunProblem } from '../model/run.js';
import { gridTimes, migrationChromatogram, type MigrationChromatogramResult } from '../solvers/gaussian.js';
import { programTraces, type ProgramTraces } from '../figures/program.js';

/** What the `programmed` operation returns: the chromatogram and the run's conditions against time. */
export interface ProgrammedRun {
  result: MigrationChromatogramResult;
  /** Oven temperature, hold-up time, pressures and flow at 401 times over the output times. */
  traces: ProgramTraces;
}

/**
 * A problem in either form (CONFIG.md) by the migration equation and Gaussian peaks, on its
 * output grid or `options.times` (default: covering every peak), with the program's traces.
 */
export function programmedRun(problem: unknown, options: { times?: ArrayLike<number> } = {}): ProgrammedRun {
  const run = parseRunProblem(problem);
  const times = options.times ?? (run.output === undefined ? undefined : gridTimes(run.output));
  const result = migrationChromatogram(run.conditions, { times, baseline: run.detector?.baseline });
  return { result, traces: programTraces(run.conditions, result.times[result.times.length - 1], 401) };
}

/** What an operation gets besides its arguments: a progress sink and a cancellation signal. */
export interface SolverControl {
  /** Report progress as a fraction in [0, 1]. */
  onProgress(fraction: number): void;
  /** Aborted when the client cancels; operations that yield should stop and throw. */
  signal: AbortSignal;
}

/** A solver entry point callable from the client by name. */
export type SolverOperation = (args: unknown[], control: SolverControl) => unknown;

/** Client -> worker. */
export type SolverRequest =
  | { type: 'run'; id: number; op: string; args: unknown[] }
  | { type: 'cancel'; id: number };

/** Worker -> client. `ready` lists the operations served; `id` 0 errors are start-up failures. */
export type SolverReply =
  | { type: 'ready'; operations: string[] }
  | { type: 'progress'; id: number; fraction: number }
  | { type: 'done'; id: number; result: unknown }
  | { type: 'error'; id: number; error: { name: string; message: string; path?: string } };

/** The part of a worker's global scope used here (DedicatedWorkerGlobalScope). */
export interface SolverScope {
  postMessage(message: SolverReply, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<SolverRequest>) => void): void;
}

/** The exact (Laplace) solver's operations. */
export const laplaceOperations: Readonly<Record<string, SolverOperation>> = {
  chromatogram: ([problem, options]) => chromatogram(problem, options as ChromatogramOptions | undefined),
  profiles: ([problem, options]) => profiles(problem, options as ProfileOptions),
};

/**
 * The operations served by default: the exact solver's, a fit (`fit`: problem, {time, signal},
 * options) and finite differences (`fd`: problem, options; cancellable, with progress;
 * `fdProfiles`: problem, options with `times`), and a run by the migration equation with
 * Gaussian peaks (`programmed`: problem in either form, options; see `programmedRun`).
 */
export const solverOperations: Readonly<Record<string, SolverOperation>> = {
  ...laplaceOperations,
  fit: ([problem, data, options]) =>
    fitChromatogram(problem, data as { time: ArrayLike<number>; signal: ArrayLike<number> }, options as FitOptions | undefined),
  fd: ([problem, options], { onProgress, signal }) =>
    fdChromatogramAsync(problem, { ...(options as FdChromatogramOptions | undefined), onProgress, signal }),
  fdProfiles: ([problem, options], { onProgress }) =>
    fdProfiles(problem, { ...(options as FdProfileOptions), onProgress }),
  programmed: ([problem, options]) => programmedRun(problem, options as { times?: ArrayLike<number> } | undefined),
};

export interface ServeOptions {
  /** Operations by name; default `solverOperations` (exact solver, fit, finite differences). */
  operations?: Record<string, SolverOperation>;
  /** Where the wasm kernels come from (see `loadWasm`); default: the package's `wasmUrl`. */
  wasm?: WasmSource;
  /** The worker scope; default `globalThis` (the worker's `self`). */
  scope?: SolverScope;
}

/** Buffers of every typed array in a result, so they move to the page instead of being copied. */
function transferables(value: unknown, found = new Set<ArrayBuffer>(), depth = 0): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) found.add(value.buffer);
  } else if (typeof value === 'object' && value !== null && depth < 6) {
    for (const item of Array.isArray(value) ? value : Object.values(value)) transferables(item, found, depth + 1);
  }
  return [...found];
}

function describeError(err: unknown): { name: string; message: string; path?: string } {
  if (err instanceof Error) {
    const path = (err as { path?: unknown }).path;
    return { name: err.name, message: err.message, ...(typeof path === 'string' ? { path } : {}) };
  }
  return { name: 'Error', message: String(err) };
}

/**
 * Loads the wasm kernels, then answers `run` requests in order. Replies `ready` once loaded (or an
 * `error` with id 0 when the kernels cannot be loaded). Returns when the kernels are loaded.
 */
export async function serveSolver(options: ServeOptions = {}): Promise<void> {
  const scope = options.scope ?? (globalThis as unknown as SolverScope);
  const operations = options.operations ?? solverOperations;
  const running = new Map<number, AbortController>();
  const queue: SolverRequest[] = [];
  let loaded = false;

  const run = async (request: Extract<SolverRequest, { type: 'run' }>) => {
    const { id, op, args } = request;
    const controller = new AbortController();
    running.set(id, controller);
    try {
      const operation = Object.hasOwn(operations, op) ? operations[op] : undefined;
      if (!operation) {
        throw new RangeError(`operation: unknown "${op}"; served here: ${Object.keys(operations).join(', ')}`);
      }
      const onProgress = (fraction: number) => scope.postMessage({ type: 'progress', id, fraction }, []);
      const result = await operation(args, { onProgress, signal: controller.signal });
      scope.postMessage({ type: 'done', id, result }, transferables(result));
    } catch (err) {
      scope.postMessage({ type: 'error', id, error: describeError(err) }, []);
    } finally {
      running.delete(id);
    }
  };

  scope.addEventListener('message', (event) => {
    const request = event.data;
    if (request.type === 'cancel') running.get(request.id)?.abort();
    else if (loaded) void run(request);
    else queue.push(request);
  });

  try {
    await loadWasm(options.wasm);
  } catch (err) {
    scope.postMessage({ type: 'error', id: 0, error: describeError(err) }, []);
    return;
  }
  loaded = true;
  scope.postMessage({ type: 'ready', operations: Object.keys(operations) }, []);
  for (const request of queue.splice(0)) {
    if (request.type === 'run') void run(request);
  }
}
