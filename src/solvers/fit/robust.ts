/**
 * Robust statistics of the measured signal: the median by selection, which the noise level and
 * the first baseline use so that peaks (a minority of the points, all on one side) do not bias them.
 */

/**
 * Rearranges v so that v[k] is the value of rank k, smaller values before it and larger after
 * (Hoare's selection with a median-of-three pivot: O(n) on average, no sort of the whole array).
 */
export function selectRank(v: Float64Array, k: number): void {
  let lo = 0, hi = v.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // Median of three as pivot, so sorted or constant runs (flat baselines) stay O(n).
    let a = v[lo], b = v[mid], c = v[hi];
    if (a > b) [a, b] = [b, a];
    if (b > c) [b, c] = [c, b];
    if (a > b) [a, b] = [b, a];
    const pivot = b;
    let i = lo, j = hi;
    while (i <= j) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i <= j) {
        const x = v[i]; v[i] = v[j]; v[j] = x;
        i++; j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/** Median of `values` (not modified), by selection. */
export function median(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return 0;
  const v = Float64Array.from(values);
  const m = n >> 1;
  selectRank(v, m);
  if (n % 2) return v[m];
  let below = -Infinity;
  for (let j = 0; j < m; j++) if (v[j] > below) below = v[j];
  return 0.5 * (below + v[m]);
}
