/** A bad call to the wasm engine throws and leaves it usable; reset() gives its memory back. */
import { describe, expect, it } from 'vitest';
import { btexProblem, chromatogram, wasmEngine } from '../src/index.js';

/** The bytes of every array of a BTEX chromatogram, to compare results bit for bit. */
function btexBits(): string[] {
  const r = chromatogram(btexProblem());
  const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
  return [r.status.code, ...r.analytes.map((a) => bytes(a.concentration)), bytes(r.signal!)];
}

const engine = wasmEngine();
const fresh = btexBits();
const base = engine.mark();
const f = (n: number, v = 1) => new Float64Array(n).fill(v);
const N = 8;

/** Arguments of fdImplicitAdvance on N cells for one step, with `change` applied. */
function implicitArgs(change: Partial<Record<string, unknown>> = {}): unknown[] {
  const a: Record<string, unknown> = {
    n: N, lower2: f(N), lower: f(N), diag: f(N), upper: f(N), alpha: 0.1, ka: 1, kd: 1, c: f(N, 0), q: f(N, 0),
    work: f(6 * N), steps: 1, dts: f(1), sources: f(1), outlet: f(2), theta: 0.5, window: f(7, 0), negligible: 1e-12,
    margin: 2, ...change,
  };
  return Object.values(a);
}

// Each: the call, the error type, what the message must name.
const BAD: [string, () => unknown, ErrorConstructor, RegExp][] = [
  ['release(NaN)', () => engine.release(NaN), RangeError, /^release: mark must be an integer from \d+ to \d+, got NaN$/],
  ['release(1.5)', () => engine.release(base + 1.5), RangeError, /release: mark must be an integer/],
  ['release below the heap', () => engine.release(0), RangeError, /release: mark .* got 0$/],
  ['release above the top', () => engine.release(engine.mark() + 8), RangeError, /release: mark/],
  ['release between f64', () => { const m = engine.mark(); engine.alloc(2); try { engine.release(m + 4); } finally { engine.release(m); } },
    RangeError, /release: mark \d+ is not a live mark/],
  ['alloc(NaN)', () => engine.alloc(NaN), RangeError, /^alloc: length must be an integer from 0 to \d+, got NaN$/],
  ['alloc(-100)', () => engine.alloc(-100), RangeError, /alloc: length .* got -100$/],
  ['alloc(2.5)', () => engine.alloc(2.5), RangeError, /alloc: length .* got 2\.5$/],
  ['alloc(1e12)', () => engine.alloc(1e12), RangeError, /alloc: length .* got 1000000000000$/],
  ['alloc("8")', () => engine.alloc('8' as unknown as number), TypeError, /alloc: length must be a number, got "8"/],
  ['view below the heap', () => engine.view(0, 4), RangeError, /view: ptr must be an integer from \d+/],
  ['view past the top', () => engine.view(engine.mark(), 4), RangeError, /view: ptr = \d+ with 4 f64 is not inside memory from alloc/],
  ['view(NaN length)', () => engine.view(base, NaN), RangeError, /view: length/],
  ['outletConcentrationAt, pointer below the heap', () => engine.outletConcentrationAt(8, 4, 30, 1, 1, 4, 1, 64),
    RangeError, /outletConcentrationAt: times must be an integer from/],
  ['outletConcentrationAt, n past the allocation', () => {
    const m = engine.mark();
    const p = engine.alloc(4);
    try { return engine.outletConcentrationAt(p, 400, 30, 1, 1, 4, 1, p); } finally { engine.release(m); }
  }, RangeError, /outletConcentrationAt: times = \d+ with 400 f64 is not inside memory from alloc/],
  ['outletConcentrationAt, n = -1', () => engine.outletConcentrationAt(base, -1, 30, 1, 1, 4, 1, base), RangeError,
    /outletConcentrationAt: n must be an integer/],
  ['outletConcentration, NaN hold-up', () => engine.outletConcentration(f(4), NaN, 1, 1, 4, 1, f(4)), RangeError,
    /outletConcentration: holdup must be finite, got NaN/],
  ['outletConcentration, short out', () => engine.outletConcentration(f(4), 30, 1, 1, 4, 1, f(3)), RangeError,
    /outletConcentration: out must hold at least 4 values, got 3/],
  ['outletConcentration, plain array', () => engine.outletConcentration([1, 2] as unknown as Float64Array, 30, 1, 1, 4, 1, f(2)),
    TypeError, /outletConcentration: times must be a Float64Array, got Array/],
  ['outletConcentrations, NaN kd', () => engine.outletConcentrations(f(4), 30, 4, [{ retention: 1, kd: NaN, scale: 1 }]),
    RangeError, /outletConcentrations: analytes\[0\]\.kd must be finite/],
  ['pointConcentration, short scales', () => engine.pointConcentration(f(4), f(4), f(4), f(2), 1, 4, f(4)), RangeError,
    /pointConcentration: scales must hold at least 4 values, got 2/],
  ['scaledBesselI1(NaN)', () => engine.scaledBesselI1(NaN), RangeError, /scaledBesselI1: z must be finite/],
  ['adsorbedFraction(null)', () => engine.adsorbedFraction(null as unknown as number), TypeError, /adsorbedFraction: retention must be a number, got null/],
  ['fdImplicitAdvance, window past the cells', () => (engine.fdImplicitAdvance as (...a: unknown[]) => number)(
    ...implicitArgs({ window: Float64Array.of(0, N + 5, 0, 0, 0, 0, 0) })), RangeError,
  /fdImplicitAdvance: window\[1\] \(hi\) must be an integer from 0 to 8, got 13/],
  ['fdImplicitAdvance, steps past the schedule', () => (engine.fdImplicitAdvance as (...a: unknown[]) => number)(
    ...implicitArgs({ steps: 5 })), RangeError, /fdImplicitAdvance: dts must hold at least 5 values, got 1/],
  ['fdImplicitAdvance, margin 1', () => (engine.fdImplicitAdvance as (...a: unknown[]) => number)(
    ...implicitArgs({ margin: 1 })), RangeError, /fdImplicitAdvance: margin must be an integer from 2/],
  ['fdImplicitAdvance, margin above the cells', () => (engine.fdImplicitAdvance as (...a: unknown[]) => number)(
    ...implicitArgs({ margin: 2 ** 31 - 1 })), RangeError, /fdImplicitAdvance: margin must be an integer from 2 to 8, got 2147483647/],
  ['fdImplicitAdvance, n past i32 index range', () => (engine.fdImplicitAdvance as (...a: unknown[]) => number)(
    ...implicitArgs({ n: 2 ** 30 })), RangeError, /fdImplicitAdvance: n must be an integer from 2 to 357913941, got 1073741824/],
  ['fdImplicitAdvanceAt, pointers not from alloc', () => engine.fdImplicitAdvanceAt(N, 0, 0, 0, 0, 0.1, 1, 1, 0, 0, 0, 1, 0, 0, 0,
    0.5, 0, 1e-12, 2), RangeError, /fdImplicitAdvanceAt: lower2 must be an integer from \d+/],
  ['fdExplicitAdvance, n = 1', () => engine.fdExplicitAdvance(1, f(2), f(2), f(2), 0.1, 1, 1, f(2), f(2), f(2), 1, f(1), f(1),
    f(1), 0, 0), RangeError, /fdExplicitAdvance: n must be an integer from 2/],
  // fdLangmuirAdvance(n, m, h, alpha, faceU, faceG, rates, inflow, c, q, work, steps, dts, sources, outlet)
  ['fdLangmuirAdvance, m = 0', () => engine.fdLangmuirAdvance(8, 0, 0.1, 0.1, f(9), f(9), f(4), f(1), f(8), f(8), f(30), 1, f(1),
    f(1), f(2)), RangeError, /fdLangmuirAdvance: m must be an integer from 1/],
  ['fdLangmuirAdvance, state short for two analytes', () => engine.fdLangmuirAdvance(8, 2, 0.1, 0.1, f(9), f(9), f(8), f(2), f(8),
    f(16), f(60), 1, f(1), f(1), f(4)), RangeError, /fdLangmuirAdvance: c must hold at least 16 values, got 8/],
  ['fdLangmuirAdvance, NaN cell width', () => engine.fdLangmuirAdvance(8, 1, NaN, 0.1, f(9), f(9), f(4), f(1), f(8), f(8), f(30), 1,
    f(1), f(1), f(2)), RangeError, /fdLangmuirAdvance: h/],
  ['fdLangmuirAdvance, steps past the schedule', () => engine.fdLangmuirAdvance(8, 1, 0.1, 0.1, f(9), f(9), f(4), f(1), f(8), f(8),
    f(30), 3, f(1), f(1), f(2)), RangeError, /fdLangmuirAdvance: dts must hold at least 3 values, got 1/],
];

describe('bad calls to the wasm engine', () => {
  it.each(BAD)('%s throws a clear error and the engine stays usable', (_name, call, type, message) => {
    const before = engine.mark();
    expect(call).toThrow(type);
    expect(call).toThrow(message);
    expect(engine.mark()).toBe(before);
    expect(btexBits()).toEqual(fresh);
  });

  it('the zero-copy path still agrees with the copying one, and a window read from memory is checked', () => {
    const times = Float64Array.from({ length: 50 }, (_, j) => 100 + j);
    const copied = new Float64Array(50);
    engine.outletConcentration(times, 34, 20, 5, 4, 1e-6, copied);
    const m = engine.mark();
    try {
      const t = engine.alloc(50);
      const o = engine.alloc(50);
      engine.view(t, 50).set(times);
      engine.outletConcentrationAt(t, 50, 34, 20, 5, 4, 1e-6, o);
      expect(engine.view(o, 50)).toEqual(copied);
      const p = engine.alloc(7);
      engine.view(p, 7).set([0, 1e9, 0, 0, 0, 0, 0]);
      expect(() => engine.fdImplicitAdvanceAt(2, t, t, t, t, 0.1, 1, 1, t, t, t, 1, t, t, t, 0.5, p, 1e-12, 2))
        .toThrow(/fdImplicitAdvanceAt: window\[1\] \(hi\) must be an integer from 0 to 2, got 1000000000/);
    } finally {
      engine.release(m);
    }
    expect(btexBits()).toEqual(fresh);
  });
});

describe('WasmEngine.reset', () => {
  it('gives back the memory of a large request and leaves an engine that computes the same', () => {
    const small = engine.memoryBytes;
    const m = engine.mark();
    const p = engine.alloc(20e6); // 160 MB
    expect(engine.memoryBytes).toBeGreaterThan(160e6);
    engine.release(m);
    expect(engine.memoryBytes).toBeGreaterThan(160e6); // wasm memory never shrinks by itself
    engine.reset();
    expect(engine.memoryBytes).toBeLessThanOrEqual(small);
    expect(engine.mark()).toBe(base);
    expect(() => engine.view(p, 1)).toThrow(RangeError); // pointers from before are void
    expect(btexBits()).toEqual(fresh);
    expect(wasmEngine()).toBe(engine);
  });
});
