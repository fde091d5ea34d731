/**
 * Start values of the fit: the hold-up time, and the mean and kinetic width of every peak from
 * the problem's k_a, k_d (when given) or from the measured moments of its window (MODEL.md §5),
 * which are also kept as a second start; the peak areas and the areas that stay fixed.
 */
import { holdupTime as columnHoldupTime } from '../../model/flow.js';
import type { Column } from '../../model/problem.js';
import { DataError } from './data.js';
import { findPeak, halfWidth, measuredMoments } from './peaks.js';
import { peakMoments, placedByConstants } from './kinetics.js';
import type { SignalAboveBaseline } from './baseline.js';
import type { FitProblem, FitSettings, TimeWindow } from './problem.js';

export type StartSource = 'problem' | 'moments';

export interface Starts {
  /** Mean (s) and kinetic width² (s²) of each peak at the start, and where they came from. */
  mean: Float64Array;
  width2: Float64Array;
  source: StartSource[];
  /** Measured area of each peak (signal units s). */
  area: Float64Array;
  /** The moment start of every peak, kept as a second start when the problem's k_a, k_d are used. */
  momentMean: Float64Array;
  momentWidth2: Float64Array;
  /** Hold-up time at the start (s). */
  holdup: number;
}

/**
 * The hold-up time to start from (s): from the column, or the given value; NaN when neither is
 * known (unknown geometry, fitted from no value: startValues then takes it from the peaks).
 */
export function holdupGuess(settings: FitSettings, column: Column | null): number {
  return settings.holdupTime.mode === 'column' ? columnHoldupTime(column!, column!.length)
    : settings.holdupTime.value ?? (column ? columnHoldupTime(column, column.length) : NaN);
}

/** Measured area, mean (s) and kinetic width² (s²) of the peak in window w. */
function momentStart(
  t: Float64Array, signal: SignalAboveBaseline, w: TimeWindow, pulse: number,
): { area: number; mean: number; width2: number } {
  const { z, floor } = signal;
  const mom = measuredMoments(t, z, w.start, w.end);
  const width2 = mom.variance - (pulse * pulse) / 12;
  if (width2 > 0 && Number.isFinite(mom.mean)) return { area: mom.area, mean: mom.mean, width2 };
  // Moments spoilt by noise or a neighbour: fall back on the apex and the half-height width.
  const fwhm = halfWidth(t, z, w.start, w.end);
  const found = findPeak(t, z, w.start, w.end, 0, floor);
  return {
    area: mom.area,
    mean: found ? found.apex : 0.5 * (w.start + w.end),
    width2: Math.max((fwhm / 2.3548) * (fwhm / 2.3548) - (pulse * pulse) / 12, (0.01 * (w.end - w.start)) * (0.01 * (w.end - w.start))),
  };
}

/**
 * Start values of every peak in its window, from hold-up time `holdup` (s; NaN: half the
 * earliest peak's travel time) and phase ratio `alpha`. Throws when a peak comes before the
 * hold-up time.
 */
export function startValues(
  problem: FitProblem, t: Float64Array, signal: SignalAboveBaseline, windows: TimeWindow[], holdup: number, alpha: number,
): Starts {
  const { analytes } = problem;
  const nA = analytes.length;
  const pulse = problem.injection.duration;
  const s: Starts = {
    mean: new Float64Array(nA), width2: new Float64Array(nA), source: [], area: new Float64Array(nA),
    momentMean: new Float64Array(nA), momentWidth2: new Float64Array(nA), holdup,
  };
  analytes.forEach((a, i) => {
    const w = windows[i];
    const mom = momentStart(t, signal, w, pulse);
    s.area[i] = mom.area;
    s.momentMean[i] = mom.mean;
    s.momentWidth2[i] = mom.width2;
    const start = placedByConstants(a, holdup) ? peakMoments(a.ka, a.kd, holdup, alpha, pulse) : null;
    s.mean[i] = start ? start.mean : mom.mean;
    s.width2[i] = start ? start.width2 : mom.width2;
    s.source.push(start ? 'problem' : 'moments');
    if (!(s.area[i] > 0)) s.area[i] = Math.max(signal.threshold, 1e-300) * (w.end - w.start);
  });
  if (!Number.isFinite(holdup)) {
    // Unknown geometry, no start: half the earliest peak's travel time; the fit moves it.
    let earliest = Infinity;
    for (let i = 0; i < nA; i++) earliest = Math.min(earliest, s.mean[i] - pulse / 2);
    s.holdup = 0.5 * earliest;
  }
  for (let i = 0; i < nA; i++) {
    if (!(s.mean[i] - pulse / 2 > s.holdup)) {
      throw new DataError(`analytes[${i}]`, `the peak of ${analytes[i].name} at ${s.mean[i].toPrecision(5)} s ` +
        `comes before the hold-up time plus half the pulse (${(s.holdup + pulse / 2).toPrecision(5)} s): it cannot be retained`);
    }
  }
  return s;
}

/** The starts with every peak from its measured moments (a fit restarted from them). */
export function momentStarts(s: Starts): Starts {
  return {
    ...s, mean: Float64Array.from(s.momentMean), width2: Float64Array.from(s.momentWidth2),
    source: s.source.map((): StartSource => 'moments'),
  };
}

/**
 * The area of each peak (signal units s) where areas are not fitted: from the problem's response
 * factors by (64), A = f c0 t1 / û_L (`outletRatio` û_L), or else the measured area.
 */
export function fixedAreas(problem: FitProblem, starts: Starts, outletRatio: number): Float64Array {
  const mode = problem.fit.response;
  const pulse = problem.injection.duration;
  const area = new Float64Array(problem.analytes.length);
  problem.analytes.forEach((a, i) => {
    area[i] = mode === 'problem' ? ((a.response as number) * a.c0 * pulse) / outletRatio : starts.area[i];
    if (mode === 'area' && !(starts.area[i] > 0)) {
      throw new DataError(`fit.windows.${a.name}`, `peak area ${starts.area[i]} is not positive; cannot derive a response factor`);
    }
  });
  return area;
}
