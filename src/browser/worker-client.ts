/**
 * The page side of the Web Worker path (see worker.ts): run solver operations in a worker and get
 * promises back, with progress and cancellation.
 *
 *   const solver = new SolverClient(() => new Worker(new URL('./solver.worker.js', import.meta.url), { type: 'module' }));
 *   const result = await solver.chromatogram(problem, {}, { onProgress: (f) => bar.value = f, signal });
 *
 * Cancelling aborts the operation's signal in the worker; an operation that does not stop within
 * `cancelGraceMs` (a synchronous solve cannot look at its signal) is stopped by terminating the
 * worker, and a fresh one is started from the same factory.
 */
import type { ChromatogramOptions, ChromatogramResult, ProfileOptions, ProfileResult } from '../solvers/laplace.js';
import { ProblemError, ProblemTypeError } from '../model/problem.js';
import type { SolverReply, SolverRequest } from './worker.js';

export interface RunOptions {
  /** Called with the fraction done, in [0, 1], when the operation reports progress. */
  onProgress?: (fraction: number) => void;
  /** Cancels the run; the promise rejects with an `AbortError`. */
  signal?: AbortSignal;
}

interface Pending {
  resolve(value: unknown): void;
  reject(reason: unknown): void;
  onProgress?: (fraction: number) => void;
}

/** Rebuilds the library's error classes from a worker's error message, so `path` survives. */
function rebuildError(error: { name: string; message: string; path?: string }): Error {
  if (error.path !== undefined && (error.name === 'ProblemError' || error.name === 'ProblemTypeError')) {
    const prefix = `${error.path}: `;
    const text = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
    return error.name === 'ProblemError' ? new ProblemError(error.path, text) : new ProblemTypeError(error.path, text);
  }
  const err = new Error(error.message);
  err.name = error.name;
  return err;
}

function abortError(): Error {
  return new DOMException('the solver run was cancelled', 'AbortError');
}

export class SolverClient {
  /** Time a cancelled operation has to stop before the worker is restarted (ms). */
  cancelGraceMs = 100;
  private worker!: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readyPromise!: Promise<string[]>;

  constructor(private readonly spawn: () => Worker) {
    this.start();
  }

  /** Resolves with the operation names the worker serves once its kernels are loaded. */
  get ready(): Promise<string[]> {
    return this.readyPromise;
  }

  private start(): void {
    const worker = this.spawn();
    this.worker = worker;
    this.readyPromise = new Promise((resolve, reject) => {
      worker.addEventListener('message', (event: MessageEvent<SolverReply>) => {
        const reply = event.data;
        if (reply.type === 'ready') return resolve(reply.operations);
        if (reply.type === 'error' && reply.id === 0) return reject(rebuildError(reply.error));
        const job = this.pending.get(reply.id);
        if (!job) return;
        if (reply.type === 'progress') job.onProgress?.(reply.fraction);
        else {
          this.pending.delete(reply.id);
          if (reply.type === 'done') job.resolve(reply.result);
          else job.reject(rebuildError(reply.error));
        }
      });
      worker.addEventListener('error', (event) => {
        const err = new Error(`elution worker failed: ${event.message ?? 'could not start'}`);
        reject(err);
        for (const job of this.pending.values()) job.reject(err);
        this.pending.clear();
      });
    });
    this.readyPromise.catch(() => undefined);
  }

  /** Runs the named operation in the worker with `args` (structured-cloneable). */
  run<T>(op: string, args: unknown[], options: RunOptions = {}): Promise<T> {
    const { signal, onProgress } = options;
    if (signal?.aborted) return Promise.reject(abortError());
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress });
      this.post({ type: 'run', id, op, args });
      signal?.addEventListener('abort', () => this.cancel(id), { once: true });
    });
  }

  private post(request: SolverRequest): void {
    this.worker.postMessage(request);
  }

  private cancel(id: number): void {
    const job = this.pending.get(id);
    if (!job) return;
    this.post({ type: 'cancel', id });
    setTimeout(() => {
      if (!this.pending.has(id)) return;
      // The operation did not stop: restart the worker; every job on it is lost.
      this.worker.terminate();
      const jobs = [...this.pending.entries()];
      this.pending.clear();
      for (const [jobId, other] of jobs) {
        other.reject(jobId === id ? abortError() : new Error('elution worker restarted after a cancelled run'));
      }
      this.start();
    }, this.cancelGraceMs);
  }

  /** The Laplace chromatogram (see `chromatogram`), computed in the worker. */
  chromatogram(problem: unknown, options?: Omit<ChromatogramOptions, 'engine'>, run?: RunOptions): Promise<ChromatogramResult> {
    return this.run('chromatogram', [problem, options], run);
  }

  /** Axial profiles (see `profiles`), computed in the worker. */
  profiles(problem: unknown, options: Omit<ProfileOptions, 'engine'>, run?: RunOptions): Promise<ProfileResult> {
    return this.run('profiles', [problem, options], run);
  }

  /** Stops the worker; pending runs reject. */
  terminate(): void {
    this.worker.terminate();
    for (const job of this.pending.values()) job.reject(new Error('elution worker terminated'));
    this.pending.clear();
  }
}
