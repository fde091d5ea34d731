/**
 * Peaks in the measured signal above the baseline (z = y − b): where they are, how far they
 * reach, and their measured moments, from which the fit takes its windows and start values.
 */

export interface PeakFound {
  /** Time of the apex (s). */
  apex: number;
  /** Height above the baseline (signal units). */
  height: number;
  /** The peak's window (s). */
  left: number;
  right: number;
}

/** Index of the highest z with a <= t <= b, or -1 when no time lies there. */
function highestIn(t: Float64Array, z: Float64Array, a: number, b: number): number {
  let best = -1;
  for (let j = 0; j < t.length; j++) if (t[j] >= a && t[j] <= b && (best < 0 || z[j] > z[best])) best = j;
  return best;
}

/**
 * The extent of the peak whose apex is at index `top`: outwards while z stays above `level` and
 * has not risen `rise` above the lowest value passed (a valley before a neighbouring peak).
 * Returns [left index, right index, whether each side ended in a valley].
 */
function extent(z: Float64Array, top: number, level: number, rise: number): [number, number, boolean, boolean] {
  let l = top, low = z[top];
  while (l > 0 && z[l - 1] > level && z[l - 1] < low + rise) { l--; low = Math.min(low, z[l]); }
  const leftValley = l > 0 && z[l - 1] > level;
  let r = top;
  low = z[top];
  while (r < z.length - 1 && z[r + 1] > level && z[r + 1] < low + rise) { r++; low = Math.min(low, z[r]); }
  const rightValley = r < z.length - 1 && z[r + 1] > level;
  return [l, r, leftValley, rightValley];
}

/**
 * The peak at index `top` of the baseline-free signal z, with its window: where z exceeds
 * `floor` (or 1e-3 of the height), widened by half its width on each side that does not end in a
 * valley towards a neighbouring peak.
 */
function peakAt(t: Float64Array, z: Float64Array, top: number, floor: number, rise: number): PeakFound {
  const level = Math.max(floor, 1e-3 * z[top]);
  const [l, r, lv, rv] = extent(z, top, level, rise);
  const margin = 0.5 * (t[r] - t[l]) + 2 * (t[Math.min(t.length - 1, top + 1)] - t[top]);
  return { apex: t[top], height: z[top], left: lv ? t[l] : t[l] - margin, right: rv ? t[r] : t[r] + margin };
}

/** The highest point of z in [lo, hi] as a peak, or null when nothing rises above `threshold`. */
export function findPeak(t: Float64Array, z: Float64Array, lo: number, hi: number, threshold: number, floor: number): PeakFound | null {
  const best = highestIn(t, z, lo, hi);
  if (best < 0 || !(z[best] > threshold)) return null;
  return peakAt(t, z, best, floor, threshold);
}

/**
 * Candidate peaks: local maxima of z whose prominence (height above the higher of the two
 * valleys that separate them from higher ground) exceeds `threshold`.
 */
export function detectPeaks(t: Float64Array, z: Float64Array, threshold: number, floor: number): PeakFound[] {
  const peaks: PeakFound[] = [];
  const n = z.length;
  for (let j = 0; j < n; j++) {
    if (!(z[j] > threshold)) continue;
    if ((j > 0 && z[j - 1] > z[j]) || (j + 1 < n && z[j + 1] >= z[j])) continue;
    let leftBase = z[j];
    let k = j - 1;
    for (; k >= 0 && z[k] <= z[j]; k--) leftBase = Math.min(leftBase, z[k]);
    if (k < 0) leftBase = Math.min(leftBase, 0);
    let rightBase = z[j];
    k = j + 1;
    for (; k < n && z[k] <= z[j]; k++) rightBase = Math.min(rightBase, z[k]);
    if (k >= n) rightBase = Math.min(rightBase, 0);
    if (z[j] - Math.max(leftBase, rightBase) > threshold) peaks.push(peakAt(t, z, j, floor, threshold));
  }
  return peaks;
}

/** Moments of z over [a, b] by the trapezoid rule: area, mean, variance. */
export function measuredMoments(t: Float64Array, z: Float64Array, a: number, b: number): { area: number; mean: number; variance: number } {
  let m0 = 0, m1 = 0, m2 = 0;
  for (let j = 1; j < t.length; j++) {
    if (t[j - 1] < a || t[j] > b) continue;
    const h = 0.5 * (t[j] - t[j - 1]);
    m0 += h * (z[j] + z[j - 1]);
    m1 += h * (t[j] * z[j] + t[j - 1] * z[j - 1]);
    m2 += h * (t[j] * t[j] * z[j] + t[j - 1] * t[j - 1] * z[j - 1]);
  }
  const mean = m1 / m0;
  return { area: m0, mean, variance: m2 / m0 - mean * mean };
}

/** Full width at half maximum of z around its maximum in [a, b] (s). */
export function halfWidth(t: Float64Array, z: Float64Array, a: number, b: number): number {
  const best = highestIn(t, z, a, b);
  if (best < 0) return NaN;
  const half = 0.5 * z[best];
  let l = best, r = best;
  while (l > 0 && t[l - 1] >= a && z[l - 1] > half) l--;
  while (r < t.length - 1 && t[r + 1] <= b && z[r + 1] > half) r++;
  return t[r] - t[l] + (t[Math.min(t.length - 1, r + 1)] - t[r]);
}
