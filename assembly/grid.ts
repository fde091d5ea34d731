// Sums over an output grid, allocation-free (twin: src/engine/kernels/grid.ts): the trapezoid
// rule with the index of the largest value, and the scaled accumulation behind the detector
// signal. They run on results still in wasm memory, so a chromatogram's areas, maxima and signal
// cost no pass in JavaScript.

let largest: i32 = 0;

/**
 * Trapezoid-rule integral of c over the times (pointers to n f64): interval j is added to partial
 * sum j mod 4 (so that the additions do not wait on each other), the result (s1 + s2) + (s3 + s0).
 * The index of c's largest value (the first if tied) is left for largestIndex().
 */
export function trapezoidAndMaximum(times: usize, c: usize, n: i32): f64 {
  let s0 = 0.0;
  let s1 = 0.0;
  let s2 = 0.0;
  let s3 = 0.0;
  let peak = 0;
  let best = load<f64>(c);
  let j = 1;
  for (; j + 3 < n; j += 4) {
    const o = <usize>j << 3;
    const c0 = load<f64>(c + o - 8);
    const c1 = load<f64>(c + o);
    const c2 = load<f64>(c + o + 8);
    const c3 = load<f64>(c + o + 16);
    const c4 = load<f64>(c + o + 24);
    const t0 = load<f64>(times + o - 8);
    const t1 = load<f64>(times + o);
    const t2 = load<f64>(times + o + 8);
    const t3 = load<f64>(times + o + 16);
    const t4 = load<f64>(times + o + 24);
    // interval j adds to sum j mod 4: j = 1, 2, 3, 0 (mod 4) here
    s1 += 0.5 * (t1 - t0) * (c1 + c0);
    s2 += 0.5 * (t2 - t1) * (c2 + c1);
    s3 += 0.5 * (t3 - t2) * (c3 + c2);
    s0 += 0.5 * (t4 - t3) * (c4 + c3);
    if (c1 > best) { best = c1; peak = j; }
    if (c2 > best) { best = c2; peak = j + 1; }
    if (c3 > best) { best = c3; peak = j + 2; }
    if (c4 > best) { best = c4; peak = j + 3; }
  }
  for (; j < n; j++) {
    const o = <usize>j << 3;
    const cj = load<f64>(c + o);
    const term = 0.5 * (load<f64>(times + o) - load<f64>(times + o - 8)) * (cj + load<f64>(c + o - 8));
    const lane = j & 3;
    if (lane == 1) s1 += term;
    else if (lane == 2) s2 += term;
    else if (lane == 3) s3 += term;
    else s0 += term;
    if (cj > best) {
      best = cj;
      peak = j;
    }
  }
  largest = peak;
  return (s1 + s2) + (s3 + s0);
}

/** Index of the largest value seen by the last trapezoidAndMaximum. */
export function largestIndex(): i32 {
  return largest;
}

/** sum[j] += factor c[j] for n f64 (two per f64x2, each lane the scalar operation). */
export function addScaled(sum: usize, c: usize, n: i32, factor: f64): void {
  const f = f64x2.splat(factor);
  let j = 0;
  for (; j + 2 <= n; j += 2) {
    const o = <usize>j << 3;
    v128.store(sum + o, f64x2.add(v128.load(sum + o), f64x2.mul(f, v128.load(c + o))));
  }
  if (j < n) {
    const o = <usize>j << 3;
    store<f64>(sum + o, load<f64>(sum + o) + factor * load<f64>(c + o));
  }
}
