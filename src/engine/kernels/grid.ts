/**
 * Plain-TypeScript twin of assembly/grid.ts: sums over an output grid (the trapezoid rule with
 * the index of the largest value, and the scaled accumulation behind the detector signal), with
 * the kernel's operations in the kernel's order.
 */

/**
 * The trapezoid-rule integral of c over the times t and the index of c's largest value (the first
 * if tied), in one pass. Each interval is (t[j] - t[j-1]) (c[j]/2 + c[j-1]/2), equal bit for bit to
 * the usual form (halving is exact) but free of overflow in c[j] + c[j-1] when the area is finite. Interval j is added to partial sum j mod 4 (so that the additions do not
 * wait on each other), the result (s1 + s2) + (s3 + s0).
 */
export function trapezoidAndMaximum(t: Float64Array, c: Float64Array): { area: number; peak: number } {
  const sums = [0, 0, 0, 0];
  let peak = 0;
  let best = c[0];
  for (let j = 1; j < c.length; j++) {
    sums[j & 3] += (t[j] - t[j - 1]) * (0.5 * c[j] + 0.5 * c[j - 1]);
    if (c[j] > best) {
      best = c[j];
      peak = j;
    }
  }
  return { area: (sums[1] + sums[2]) + (sums[3] + sums[0]), peak };
}

/** sum[j] += factor c[j]. */
export function addScaled(sum: Float64Array, c: Float64Array, factor: number): void {
  for (let j = 0; j < c.length; j++) sum[j] += factor * c[j];
}
