/**
 * The window of every analyte's peak, and which points take part in the fit and how much each
 * counts. A window is given (fit.windows), found near the retention expected from the problem's
 * k_a, k_d, or detected (the highest free peaks).
 */
import { DataError, gather, indexRange, indicesWithin } from './data.js';
import { detectPeaks, findPeak, type PeakFound } from './peaks.js';
import { peakMoments, placedByConstants } from './kinetics.js';
import type { SignalAboveBaseline } from './baseline.js';
import type { FitProblem, FitSettings, TimeWindow } from './problem.js';
import type { FitAnalyte } from './types.js';

export type WindowSource = FitAnalyte['windowSource'];

/** The window (s) of each analyte's peak and where it came from. */
export interface PeakWindows {
  windows: TimeWindow[];
  sources: WindowSource[];
}

/** Which of the (cropped) data points take part. */
export interface PointSelection {
  /** How many peak windows hold each point. */
  windowCount: Uint8Array;
  /** 1 where a point is left out: fit.exclude, or in two windows with fit.excludeOverlaps. */
  excluded: Uint8Array;
  /** 1 where a point lies outside every window and is not left out (the baseline's points). */
  peakFree: Uint8Array;
}

/** An expected peak: mean ± sigma (s). */
interface Expectation { mean: number; sigma: number }

/**
 * Matches peaks expected at `mean ± sigma` (ascending means) to measured apexes (ascending) in
 * order, each within 4 sigma, minimising Σ ((apex − mean)/sigma)² by dynamic programming.
 * Returns the apex index of each expectation, or -1 for all when no order-keeping match exists.
 */
function matchInOrder(expect: Expectation[], apex: number[]): number[] {
  const n = expect.length, p = apex.length;
  const cost = (i: number, j: number) => {
    const d = (apex[j] - expect[i].mean) / expect[i].sigma;
    return Math.abs(d) <= 4 ? d * d : Infinity;
  };
  // best[i][j]: least cost with expectation i matched to apex j (and those before, earlier).
  const best = Array.from({ length: n }, () => new Float64Array(p).fill(Infinity));
  const from = Array.from({ length: n }, () => new Int32Array(p).fill(-1));
  for (let i = 0; i < n; i++) {
    let runMin = Infinity, runArg = -1;
    for (let j = 0; j < p; j++) {
      const c = cost(i, j);
      if (i === 0) best[0][j] = c;
      else if (runArg >= 0) { best[i][j] = runMin + c; from[i][j] = runArg; }
      // runMin covers best[i − 1][0..j − 1] when used at j: apex j goes to one expectation only.
      if (i > 0 && best[i - 1][j] < runMin) { runMin = best[i - 1][j]; runArg = j; }
    }
  }
  const result = new Array<number>(n).fill(-1);
  if (n === 0) return result;
  let j = -1, least = Infinity;
  for (let k = 0; k < p; k++) if (best[n - 1][k] < least) { least = best[n - 1][k]; j = k; }
  if (j < 0) return result;
  for (let i = n - 1; i >= 0; i--) {
    result[i] = j;
    j = from[i][j];
  }
  return result;
}

/** A given window, checked against the data and the peaks in it, clipped to the data. */
function givenWindow(path: string, given: TimeWindow, t: Float64Array, signal: SignalAboveBaseline): TimeWindow {
  const tLo = t[0], tHi = t[t.length - 1];
  const { z, threshold, floor } = signal;
  if (given.end < tLo || given.start > tHi) {
    throw new DataError(path, `[${given.start}, ${given.end}] s lies outside the data used (${tLo} to ${tHi} s)`);
  }
  let n = 0;
  for (let j = 0; j < t.length; j++) if (t[j] >= given.start && t[j] <= given.end) n++;
  if (n < 3) throw new DataError(path, `holds ${n} data points, at least 3 are needed`);
  if (!findPeak(t, z, given.start, given.end, threshold, floor)) {
    throw new DataError(path, `has no peak: nothing rises ${threshold.toPrecision(3)} (5 noise deviations) above the baseline`);
  }
  return { start: Math.max(given.start, tLo), end: Math.min(given.end, tHi) };
}

/**
 * The free peaks (ascending apexes) of the analytes in `order` (ascending expected retention):
 * the match in retention order, each within 4 sigma. Throws, naming the analyte, when there is none.
 */
function matchExpected(
  problem: FitProblem, order: number[], expectation: (i: number) => Expectation, free: PeakFound[],
): PeakFound[] {
  const assignment = matchInOrder(order.map(expectation), free.map((p) => p.apex));
  if (order.length > 0 && assignment[0] < 0) {
    // Name the first analyte without any free peak within 4 sigma (else the first: the order fails).
    const i = order.find((k) => {
      const { mean, sigma } = expectation(k);
      return !free.some((p) => Math.abs(p.apex - mean) <= 4 * sigma);
    }) ?? order[0];
    const { mean, sigma } = expectation(i);
    const name = problem.analytes[i].name;
    throw new DataError(`analytes[${i}]`, `no peak of ${name} near its expected retention ` +
      `${mean.toPrecision(5)} ± ${(4 * sigma).toPrecision(3)} s (from its ka, kd), or none left in retention order; ` +
      `give fit.windows.${name}`);
  }
  return order.map((_, r) => free[assignment[r]]);
}

/**
 * The peaks of the analytes in `needDetection` (no start and no window): the highest peaks not
 * yet taken, in time order, in the order the analytes are listed.
 */
function highestFree(problem: FitProblem, needDetection: number[], detected: PeakFound[], taken: Set<PeakFound>): PeakFound[] {
  const peaks = detected.filter((p) => !taken.has(p))
    .sort((p, q) => q.height - p.height).slice(0, needDetection.length).sort((p, q) => p.apex - q.apex);
  if (peaks.length < needDetection.length) {
    const i = needDetection[peaks.length];
    throw new DataError(`analytes[${i}]`, `found ${peaks.length} free peaks for ${needDetection.length} analytes ` +
      `without start constants or window; give fit.windows.${problem.analytes[i].name}`);
  }
  return peaks;
}

/**
 * The window of every analyte: given, else around the measured peak nearest its expected
 * retention (from the start constants and the hold-up time `holdup` (s), phase ratio `alpha`),
 * else around a detected peak. `signal`: the signal above the first baseline.
 */
export function assignWindows(
  problem: FitProblem, t: Float64Array, signal: SignalAboveBaseline, holdup: number, alpha: number,
): PeakWindows {
  const { analytes } = problem;
  const pulse = problem.injection.duration;
  const tLo = t[0], tHi = t[t.length - 1];
  const windows: TimeWindow[] = new Array(analytes.length);
  const sources: WindowSource[] = new Array(analytes.length);
  const needDetection: number[] = [];
  const expected: number[] = [];
  analytes.forEach((a, i) => {
    const given = problem.fit.windows[i];
    if (given) {
      windows[i] = givenWindow(`fit.windows.${a.name}`, given, t, signal);
      sources[i] = 'given';
    } else if (placedByConstants(a, holdup)) {
      expected.push(i);
    } else {
      needDetection.push(i);
    }
  });
  const { z, threshold, floor } = signal;
  const detected = expected.length + needDetection.length > 0 ? detectPeaks(t, z, threshold, floor) : [];
  const taken = new Set<PeakFound>();
  for (const w of windows) if (w) detected.forEach((p) => { if (p.apex >= w.start && p.apex <= w.end) taken.add(p); });
  const around = (p: PeakFound): TimeWindow => ({ start: Math.max(p.left, tLo), end: Math.min(p.right, tHi) });
  // Expected retention from the start constants (MODEL.md §5); the nearest measured peak within
  // 4 sigma that no other analyte has taken, analytes in order of expected retention.
  const expectation = (i: number): Expectation => {
    const a = analytes[i];
    const { mean, width2 } = peakMoments(a.ka as number, a.kd as number, holdup, alpha, pulse);
    return { mean, sigma: Math.sqrt(width2 + (pulse * pulse) / 12) };
  };
  const order = expected.sort((p, q) => expectation(p).mean - expectation(q).mean);
  const free = detected.filter((p) => !taken.has(p)).sort((p, q) => p.apex - q.apex);
  matchExpected(problem, order, expectation, free).forEach((found, r) => {
    taken.add(found);
    windows[order[r]] = around(found);
    sources[order[r]] = 'expected-retention';
  });
  if (needDetection.length > 0) {
    highestFree(problem, needDetection, detected, taken).forEach((found, r) => {
      windows[needDetection[r]] = around(found);
      sources[needDetection[r]] = 'detected';
    });
  }
  return { windows, sources };
}

/** Which points lie in windows, which are left out, and which are peak-free. */
export function selectPoints(t: Float64Array, windows: TimeWindow[], settings: FitSettings): PointSelection {
  const nData = t.length;
  // How many peak windows hold each point (loops over index ranges: the data have ~10⁴ points).
  const windowCount = new Uint8Array(nData);
  for (const w of windows) {
    const [a, b] = indexRange(t, w);
    for (let j = a; j < b; j++) windowCount[j]++;
  }
  const excluded = new Uint8Array(nData);
  for (const w of settings.exclude) {
    const [a, b] = indexRange(t, w);
    excluded.fill(1, a, b);
  }
  if (settings.excludeOverlaps) for (let j = 0; j < nData; j++) if (windowCount[j] > 1) excluded[j] = 1;
  const peakFree = new Uint8Array(nData);
  for (let j = 0; j < nData; j++) peakFree[j] = !excluded[j] && windowCount[j] === 0 ? 1 : 0;
  return { windowCount, excluded, peakFree };
}

/**
 * Indices of the fitted points: not excluded, and in a window (or anywhere when `everywhere`:
 * a run-wide fitted baseline).
 */
export function fittedPoints(points: PointSelection, everywhere: boolean): Int32Array {
  const { excluded, windowCount } = points;
  const usable = new Float64Array(excluded.length);
  for (let j = 0; j < excluded.length; j++) usable[j] = !excluded[j] && (everywhere || windowCount[j] > 0) ? 1 : 0;
  return indicesWithin(usable, 1, 1);
}

/**
 * Residual weights of the fitted points t[use[k]]: 1 ('uniform'), or by peak height ('peak'), so
 * every peak has a say in the shared parameters.
 */
export function residualWeights(
  weighting: FitSettings['weighting'], windows: TimeWindow[], t: Float64Array, use: Int32Array, signal: SignalAboveBaseline,
): Float64Array {
  const { z, threshold, floor } = signal;
  const weight = new Float64Array(use.length).fill(1);
  if (weighting !== 'peak') return weight;
  const T = gather(t, use);
  const height = windows.map((w) => Math.max(findPeak(t, z, w.start, w.end, -Infinity, floor)?.height ?? 0, threshold));
  const smallest = Math.min(...height);
  if (!(smallest > 0)) {
    // noise-free data with a window that holds no peak: 1/height would make every weight infinite
    const i = height.indexOf(smallest);
    throw new DataError('data', `the window ${windows[i].start}..${windows[i].end} s holds no peak above the baseline, ` +
      'and fit.weighting "peak" divides each window\'s residuals by its peak height; give fit.windows or use "uniform"');
  }
  weight.fill(0);
  windows.forEach((win, i) => {
    for (const k of indicesWithin(T, win.start, win.end)) weight[k] = Math.max(weight[k], 1 / height[i]);
  });
  for (let k = 0; k < T.length; k++) if (!(weight[k] > 0)) weight[k] = 1 / smallest;
  return weight;
}
