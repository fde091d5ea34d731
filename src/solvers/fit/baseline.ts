/**
 * The baseline b(t) of the detector signal (MODEL.md §4) and the noise about it: a first robust
 * line found without knowing where the peaks are, the line through the peak-free points once the
 * windows are known, the segments (one line per group of overlapping windows) and b(t) itself.
 */
import { ProblemError } from '../../model/problem.js';
import { indexRange } from './data.js';
import { median, selectRank } from './robust.js';
import type { FitProblem, FitSettings, TimeWindow } from './problem.js';

/**
 * The signal seen from a baseline: the line b(t) = line[0] + line[1] (t − tRef), the noise, the
 * signal above the line z = y − b at every point, and the levels a peak must pass.
 */
export interface SignalAboveBaseline {
  line: [number, number];
  /** Estimated noise standard deviation of the data (signal units). */
  noise: number;
  z: Float64Array;
  /** Height above the baseline a peak must reach to count (signal units). */
  threshold: number;
  /** Level at which a peak's window ends (signal units). */
  floor: number;
}

/**
 * Noise standard deviation from first differences (smooth peaks barely change them): the RMS of
 * the 90% smallest |Δy − median|, corrected for the truncation of a normal distribution, over √2.
 * (A median absolute deviation alone fails on integer counts, where most differences are 0.)
 */
function noiseLevel(y: Float64Array): number {
  const d = new Float64Array(y.length - 1);
  for (let j = 1; j < y.length; j++) d[j - 1] = y[j] - y[j - 1];
  const m = median(d);
  const a = d.map((x) => Math.abs(x - m));
  const keep = Math.max(1, Math.floor(0.9 * a.length));
  // The `keep` smallest values (in any order) are a[0 .. keep-1] once rank keep-1 is in place.
  selectRank(a, keep - 1);
  let s = 0;
  for (let j = 0; j < keep; j++) s += a[j] * a[j];
  // E[x² | |x| < 1.645 σ] = 0.6231 σ² for a normal x.
  return Math.sqrt(s / keep / 0.6231) / Math.SQRT2;
}

/** Least-squares line (or constant) through the points where use[j] is 1 (all if null): [offset at tRef, slope]. */
function lineFit(t: Float64Array, y: Float64Array, use: Uint8Array | null, tRef: number, linear: boolean): [number, number] | null {
  let n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let j = 0; j < t.length; j++) {
    if (use !== null && use[j] !== 1) continue;
    const x = t[j] - tRef;
    n++; sx += x; sy += y[j]; sxx += x * x; sxy += x * y[j];
  }
  if (n === 0) return null;
  if (!linear) return [sy / n, 0];
  const det = n * sxx - sx * sx;
  if (n < 2 || !(det > 1e-12 * n * sxx)) return [sy / n, 0];
  const slope = (n * sxy - sx * sy) / det;
  return [(sy - slope * sx) / n, slope];
}

/**
 * A first baseline without knowing where the peaks are: a line fitted, then refitted to the points
 * below it plus a noise band, until it settles (peaks only go up, so they drop out).
 */
function robustBaseline(t: Float64Array, y: Float64Array, tRef: number, linear: boolean): { line: [number, number]; scatter: number } {
  let keep = new Uint8Array(t.length).fill(1);
  let line: [number, number] = lineFit(t, y, null, tRef, linear) as [number, number];
  let scatter = 0;
  const res = new Float64Array(t.length);
  const kept = new Float64Array(t.length);
  for (let round = 0; round < 30; round++) {
    for (let j = 0; j < t.length; j++) res[j] = y[j] - line[0] - line[1] * (t[j] - tRef);
    let nKept = 0;
    for (let j = 0; j < t.length; j++) if (keep[j] === 1) kept[nKept++] = res[j];
    const med = median(kept.subarray(0, nKept));
    for (let j = 0; j < nKept; j++) kept[j] = Math.abs(kept[j] - med);
    scatter = 1.4826 * median(kept.subarray(0, nKept));
    const next = new Uint8Array(t.length);
    let count = 0;
    const limit = med + 3 * scatter + 1e-12 * Math.max(1, Math.abs(line[0]));
    for (let j = 0; j < t.length; j++) if (res[j] <= limit) { next[j] = 1; count++; }
    if (count < 2) break;
    const fitted = lineFit(t, y, next, tRef, linear) as [number, number];
    const same = next.every((v, j) => v === keep[j]);
    keep = next;
    line = fitted;
    if (same) break;
  }
  return { line, scatter };
}

/** y minus the line offset + slope (t − tRef) into z; returns max |z|. */
function subtractLine(t: Float64Array, y: Float64Array, offset: number, slope: number, tRef: number, z: Float64Array): number {
  let zMax = 0;
  for (let j = 0; j < t.length; j++) {
    z[j] = y[j] - offset - slope * (t[j] - tRef);
    zMax = Math.max(zMax, Math.abs(z[j]));
  }
  return zMax;
}

/**
 * The first look at the data, to find the peaks: the given baseline or the robust one, the noise
 * and the levels that make a peak.
 */
export function firstBaseline(
  t: Float64Array, y: Float64Array, tRef: number, settings: FitSettings['baseline'], detector: FitProblem['detector'],
): SignalAboveBaseline {
  // Detector noise is often filtered (strongly correlated from one sample to the next), so the
  // scatter of the peak-free points about the baseline bounds it better than first differences.
  const robust = robustBaseline(t, y, tRef, settings.drift === 'linear');
  const noise = Math.max(noiseLevel(y), robust.scatter);
  const line: [number, number] = settings.mode === 'given'
    ? [detector!.baseline + settings.slope * tRef, settings.slope]
    : robust.line;
  const z = new Float64Array(t.length);
  const zMax = subtractLine(t, y, line[0], line[1], tRef, z);
  // A peak must stand 5 noise deviations (and a hair above rounding) over the baseline.
  const threshold = Math.max(5 * noise, 1e-9 * zMax, 1e-300);
  const floor = Math.max(2 * noise, 1e-300);
  return { line, noise, z, threshold, floor };
}

/**
 * The baseline from the points outside every window (peakFree[j] = 1), unless it is given; the
 * noise and the levels stay those of the first look, which found the windows.
 */
export function peakFreeBaseline(
  t: Float64Array, y: Float64Array, tRef: number, peakFree: Uint8Array, settings: FitSettings['baseline'],
  first: SignalAboveBaseline,
): SignalAboveBaseline {
  if (settings.mode === 'given') return first;
  const line = lineFit(t, y, peakFree, tRef, settings.drift === 'linear');
  if (line === null) {
    if (settings.mode === 'estimate') {
      throw new ProblemError('fit.baseline.mode',
        '"estimate" needs data points outside every peak window; widen fit.crop or use "given" or "fit"');
    }
    return first;
  }
  const z = new Float64Array(t.length);
  subtractLine(t, y, line[0], line[1], tRef, z);
  return { ...first, line, z };
}

/** Baseline segments: one for the run [tLo, tHi], or one per group of overlapping windows. */
export function baselineSegments(windows: TimeWindow[], perWindow: boolean, tLo: number, tHi: number): TimeWindow[] {
  if (!perWindow) return [{ start: tLo, end: tHi }];
  const segments: TimeWindow[] = [];
  for (const w of windows.slice().sort((a, b) => a.start - b.start)) {
    const lastSegment = segments[segments.length - 1];
    if (lastSegment && w.start <= lastSegment.end) lastSegment.end = Math.max(lastSegment.end, w.end);
    else segments.push({ ...w });
  }
  return segments;
}

/** The segment of each time t[j], -1 outside every segment. */
export function segmentOfPoints(t: Float64Array, segments: TimeWindow[]): Int32Array {
  const segmentOf = new Int32Array(t.length);
  segmentOf.fill(-1);
  segments.forEach((g, n) => {
    const [a, b] = indexRange(t, g);
    // First segment wins where two touch (as findIndex would).
    for (let j = a; j < b; j++) if (segmentOf[j] < 0) segmentOf[j] = n;
  });
  return segmentOf;
}

/**
 * Baseline at `times` into out: where seg[k] >= 0 and `fitted`, the line of segment seg[k],
 * offset[g] + slope[g] (t − ref[g]); elsewhere the run-wide line offset0 + slope0 (t − ref0).
 */
export function baselineInto(
  times: Float64Array, seg: Int32Array, fitted: boolean, offset: Float64Array, slope: Float64Array,
  ref: Float64Array, offset0: number, slope0: number, ref0: number, out: Float64Array,
): void {
  for (let k = 0; k < times.length; k++) {
    const g = seg[k];
    out[k] = fitted && g >= 0 ? offset[g] + slope[g] * (times[k] - ref[g]) : offset0 + slope0 * (times[k] - ref0);
  }
}
