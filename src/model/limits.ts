/**
 * How large a request may be. Two kinds of limit:
 *
 * * fixed maxima, documented in CONFIG.md: analytes per problem, points of a measured
 *   chromatogram, bytes of an input file (the CLI reads at most that much, so /dev/zero or an
 *   endless pipe is refused, not read forever);
 * * a memory budget, derived from the memory this process can actually use: a quarter of the
 *   smallest of the V8 heap limit (`v8.getHeapStatistics().heap_size_limit`, set by
 *   --max-old-space-size), the 4 GiB a wasm32 memory can hold and the container's memory limit
 *   (`process.constrainedMemory()`); in a browser a quarter of `performance.memory.jsHeapSizeLimit`
 *   where the browser tells it, else of 2 GiB. Every solver estimates the bytes a request needs
 *   (result arrays, their copies in wasm memory, scratch) from its sizes alone and refuses it
 *   before any work when the estimate is above the budget, naming the key, the need and the budget.
 *
 * A quarter leaves room for what the estimate leaves out (the result objects, the CLI's output
 * chunks, garbage not yet collected, Node itself): the largest accepted chromatogram and profile
 * measured 1.1-1.2x their estimate in peak RSS of the whole `elution` process; the fit of 10^6
 * CSV rows 3.2x, its CSV reading not being counted (README, Limits).
 */
import { ProblemError } from './problem.js';

/** Most analytes in one problem. */
export const MAX_ANALYTES = 10_000;
/** Most points (rows) of a measured chromatogram to fit. */
export const MAX_DATA_POINTS = 1_000_000;
/** Most bytes of an input file the CLI reads (problem JSON, measured CSV): 32 MiB, a million rows of time and signal in full precision. */
export const MAX_INPUT_BYTES = 32 * 1024 ** 2;
/**
 * Most output times a figure or the report draws (`elution plot`, `elution report`): a chart
 * keeps a point object per time and series (measured ~70 bytes each), and 800 pixels show no
 * more than a million times do.
 */
export const MAX_FIGURE_POINTS = 1_000_000;
/** Largest wasm32 linear memory (bytes). */
export const WASM_MAX_BYTES = 4 * 1024 ** 3;
/** Share of the available memory one request may use. */
export const MEMORY_SHARE = 0.25;
/** Assumed available memory where the runtime does not say (a browser without performance.memory). */
const UNKNOWN_AVAILABLE = 2 * 1024 ** 3;

export interface AvailableMemory {
  /** Bytes the process can use for a request's data. */
  bytes: number;
  /** What bounds it, for messages: `V8 heap limit`, `wasm32 memory`, `container limit`, ... */
  source: string;
}

let cached: AvailableMemory | undefined;

/** The memory this process can use (see the module comment); measured once. */
export function availableMemory(): AvailableMemory {
  if (cached) return cached;
  const candidates: AvailableMemory[] = [{ bytes: WASM_MAX_BYTES, source: 'wasm32 memory' }];
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown; constrainedMemory?: () => number } }).process;
  const v8 = proc?.getBuiltinModule?.('node:v8') as typeof import('node:v8') | undefined;
  if (v8) {
    candidates.push({ bytes: v8.getHeapStatistics().heap_size_limit, source: 'V8 heap limit' });
    const constrained = proc?.constrainedMemory?.() ?? 0;
    // 0, or a huge number, when no container limit is set
    if (constrained > 0 && constrained < 2 ** 52) candidates.push({ bytes: constrained, source: 'container memory limit' });
  } else {
    // a browser (or a Node older than 20.16, without process.getBuiltinModule)
    const heap = (globalThis as { performance?: { memory?: { jsHeapSizeLimit?: number } } }).performance?.memory?.jsHeapSizeLimit;
    candidates.push(heap ? { bytes: heap, source: 'JS heap limit' }
      : { bytes: UNKNOWN_AVAILABLE, source: 'assumed memory (the runtime does not tell)' });
  }
  cached = candidates.reduce((a, b) => (b.bytes < a.bytes ? b : a));
  return cached;
}

/** Bytes one request may need: MEMORY_SHARE of the available memory. */
export function memoryBudget(): number {
  return Math.floor(MEMORY_SHARE * availableMemory().bytes);
}

/** Refuses a problem whose output grid is larger than a figure draws (MAX_FIGURE_POINTS), before any work. */
export function checkFigurePoints(count: number): void {
  if (count > MAX_FIGURE_POINTS) {
    throw new ProblemError('output.count', `${count} output times are more than a figure draws (at most ` +
      `${MAX_FIGURE_POINTS}); use a coarser output grid for plots and reports (simulate writes any grid)`);
  }
}

/** A byte count for messages, in MiB. */
export function mib(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(bytes < 1024 ** 2 ? 2 : 0)} MiB`;
}

/**
 * Refuses a request whose estimated need (bytes) is above the memory budget, before any work:
 * a ProblemError naming `key` (what to change), `what` was asked, the need and the budget.
 */
export function checkMemoryNeed(key: string, bytes: number, what: string): void {
  const budget = memoryBudget();
  if (!(bytes <= budget)) {
    const { bytes: available, source } = availableMemory();
    throw new ProblemError(key, `${what} needs about ${mib(bytes)}, above the memory budget of ${mib(budget)} ` +
      `(a quarter of the ${mib(available)} ${source}); ask for fewer points or analytes`);
  }
}
