// Sums over an output grid, allocation-free (twin: src/engine/kernels/grid.ts): the trapezoid
// rule with the index of the largest value, and the scaled accumulation behind the detector
// signal. They run on results still in wasm memory, so a chromatogram's areas, maxima and signal
// cost no pass in JavaScript.

let largest: i32 = 0;

/**
 * Trapezoid-rule integral of c over the times (pointers to n f64), each interval as
 * (t[j] - t[j-1]) (c[j]/2 + c[j-1]/2): the halves are exact, so this equals the usual
 * (t[j] - t[j-1])/2 (c[j] + c[j-1]) bit for bit, yet two values near the largest double no longer
 * overflow their sum when the area itself is finite. Interval j is added to partial
 * sum j mod 4 (so that the additions do not wait on each other), the result (s1 + s2) + (s3 + s0).
 * The index of c's largest value (the first if tied) is left for largestIndex().
 */
export function trapezoidAndMaximum(times: usize, c: usize, n: i32): f64 {
  // Lanes (s1, s2) and (s3, s0): each lane adds exactly the scalar term of its interval.
  let s12 = f64x2.splat(0.0);
  let s30 = f64x2.splat(0.0);
  let top = f64x2.splat(load<f64>(c));
  const half = f64x2.splat(0.5);
  let j = 1;
  for (; j + 3 < n; j += 4) {
    const o = <usize>j << 3;
    const c01 = v128.load(c + o - 8);
    const c12 = v128.load(c + o);
    const c23 = v128.load(c + o + 8);
    const c34 = v128.load(c + o + 16);
    const t01 = v128.load(times + o - 8);
    const t12 = v128.load(times + o);
    const t23 = v128.load(times + o + 8);
    const t34 = v128.load(times + o + 16);
    s12 = f64x2.add(s12, f64x2.mul(f64x2.sub(t12, t01), f64x2.add(f64x2.mul(half, c12), f64x2.mul(half, c01))));
    s30 = f64x2.add(s30, f64x2.mul(f64x2.sub(t34, t23), f64x2.add(f64x2.mul(half, c34), f64x2.mul(half, c23))));
    top = f64x2.pmax(top, f64x2.pmax(c12, c34)); // one compare and select (no NaN here)
  }
  let s1 = f64x2.extract_lane(s12, 0);
  let s2 = f64x2.extract_lane(s12, 1);
  let s3 = f64x2.extract_lane(s30, 0);
  let s0 = f64x2.extract_lane(s30, 1);
  let best = Math.max(f64x2.extract_lane(top, 0), f64x2.extract_lane(top, 1));
  for (; j < n; j++) {
    const o = <usize>j << 3;
    const cj = load<f64>(c + o);
    const term = (load<f64>(times + o) - load<f64>(times + o - 8)) * (0.5 * cj + 0.5 * load<f64>(c + o - 8));
    const lane = j & 3;
    if (lane == 1) s1 += term;
    else if (lane == 2) s2 += term;
    else if (lane == 3) s3 += term;
    else s0 += term;
    if (cj > best) best = cj;
  }
  // the first index holding the largest value, two at a time
  const vBest = f64x2.splat(best);
  let peak = 0;
  while (peak + 2 <= n && !v128.any_true(f64x2.eq(v128.load(c + (<usize>peak << 3)), vBest))) peak += 2;
  while (peak < n - 1 && !(load<f64>(c + (<usize>peak << 3)) == best)) peak++;
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
