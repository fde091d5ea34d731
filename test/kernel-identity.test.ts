/**
 * The Laplace kernel in wasm (SIMD) and its plain-TypeScript twin compute every density value with
 * the same operations in the same order, so their results are identical, not merely close. This
 * matters: c(t) = G(tau) - G(tau - t1) is a difference of two cumulative integrals, and in the
 * tails of a peak one ulp in G is a large relative difference in c. The vector exp of the kernel
 * (assembly/exponential.ts) reproduces V8's Math.exp (fdlibm) bit for bit, which is checked here
 * directly, edge cases included.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsKernels, wasmEngine } from '../src/index.js';

/** Deterministic uniform numbers in [0, 1) (an LCG), so that failures can be reproduced. */
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

function logUniform(r: () => number, lo: number, hi: number): number {
  return Math.exp(Math.log(lo) + r() * Math.log(hi / lo));
}

function sameBits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

describe('wasm Laplace kernel equals its twin bit for bit', () => {
  it('outletConcentration and adsorbedFraction on 200 random analytes and grids (B 0.01..2e6)', () => {
    const r = random(20261130);
    const wasm = wasmEngine();
    for (let c = 0; c < 200; c++) {
      const B = logUniform(r, 0.01, 2e6);
      const kd = logUniform(r, 0.05, 50);
      const pulse = logUniform(r, 0.01, 10);
      const holdup = 50 * r();
      const n = 2 * Math.floor(25 + 500 * r()) + (c % 2);
      const span = (holdup + pulse + (B + 10 * Math.sqrt(B) + 50) / kd) * (0.5 + r());
      const times = new Float64Array(n);
      for (let j = 0; j < n; j++) times[j] = c % 3 === 0 ? span * r() : (j * span) / (n - 1);
      times.sort();
      const js = new Float64Array(n);
      const wa = new Float64Array(n);
      const ej = jsKernels.outletConcentration(times, holdup, B, kd, pulse, 1, js);
      const ew = wasm.outletConcentration(times, holdup, B, kd, pulse, 1, wa);
      expect(ew).toBe(ej);
      expect(sameBits(wa, js)).toBe(true);
      expect(wasm.adsorbedFraction(B)).toBe(jsKernels.adsorbedFraction(B));
    }
  });

  it('outletConcentrations (several analytes, times copied once): concentrations, whole-support sums, areas, maxima, signal', () => {
    const r = random(99);
    const wasm = wasmEngine();
    for (let c = 0; c < 40; c++) {
      const n = 50 + Math.floor(2000 * r());
      const analytes = [0, 1, 2].map(() => ({ retention: logUniform(r, 0.01, 2e6), kd: logUniform(r, 0.05, 50), scale: 1 }));
      const holdup = 50 * r();
      const pulse = logUniform(r, 0.01, 10);
      const slowest = Math.max(...analytes.map((a) => (a.retention + 10 * Math.sqrt(a.retention) + 50) / a.kd));
      const span = (holdup + pulse + slowest) * (0.3 + r());
      const times = Float64Array.from({ length: n }, (_, j) => (j * span) / (n - 1));
      const detector = c % 2 ? { baseline: 1000 * r(), responses: analytes.map(() => 1e8 * r()) } : null;
      const w = wasm.outletConcentrations(times, holdup, pulse, analytes, detector);
      const j = jsKernels.outletConcentrations!(times, holdup, pulse, analytes, detector);
      expect(w.evaluations).toBe(j.evaluations);
      w.concentrations.forEach((o, i) => expect(sameBits(o, j.concentrations[i])).toBe(true));
      const wi = w.integrals;
      expect(sameBits(wi, j.integrals)).toBe(true);
      expect(sameBits(w.areas, j.areas)).toBe(true);
      expect(w.peaks).toEqual(j.peaks);
      if (detector) expect(sameBits(w.signal!, j.signal!)).toBe(true);
      else expect(w.signal).toBeNull();
      // each sum, when made, is the quadrature of the whole density: 1 - e^{-B} (measured to 1.7e-14)
      analytes.forEach((a, i) => {
        if (!Number.isNaN(wi[i])) expect(Math.abs(wi[i] + Math.exp(-a.retention) - 1)).toBeLessThan(1e-13);
      });
    }
  });

  it('pointConcentration on 2000 random points', () => {
    const r = random(7);
    const n = 2000;
    const times = new Float64Array(n), holdups = new Float64Array(n), retentions = new Float64Array(n);
    const scales = new Float64Array(n).fill(1);
    for (let k = 0; k < n; k++) {
      retentions[k] = logUniform(r, 0.01, 1e5);
      holdups[k] = 20 * r();
      times[k] = holdups[k] + (retentions[k] / 3) * 2 * r();
    }
    const js = new Float64Array(n);
    const wa = new Float64Array(n);
    expect(wasmEngine().pointConcentration(times, holdups, retentions, scales, 3, 2, wa))
      .toBe(jsKernels.pointConcentration(times, holdups, retentions, scales, 3, 2, js));
    expect(sameBits(wa, js)).toBe(true);
  });
});

describe('vector exp of the kernel (assembly/exponential.ts)', () => {
  it('equals Math.exp bit for bit for x <= 0, 0 below the underflow threshold', async () => {
    const bytes = readFileSync(new URL('../build/elution.wasm', import.meta.url));
    const { instance } = await WebAssembly.instantiate(bytes, { env: { abort() { throw new Error('abort'); } } });
    const k = instance.exports as unknown as {
      memory: WebAssembly.Memory; heapBase(): number; nonPositiveExponentials(xs: number, n: number, out: number): void;
    };
    const n = 1 << 18;
    const base = (k.heapBase() + 15) & ~15;
    const need = base + 16 * n;
    if (k.memory.buffer.byteLength < need) k.memory.grow(Math.ceil((need - k.memory.buffer.byteLength) / 65536));
    const xs = new Float64Array(k.memory.buffer, base, n);
    const out = new Float64Array(k.memory.buffer, base + 8 * n, n);
    const bits = (b: bigint) => new Float64Array(new BigUint64Array([b]).buffer)[0];
    // fdlibm's branch points: |x| = ln2/2 (high word 0x3fd62e42), 1.5 ln2 (0x3ff0a2b2), 2^-28,
    // the subnormal range and the underflow threshold -745.133...
    const edges = [0, -0, -(2 ** -28), -(2 ** -28) * (1 - 2 ** -53), -(2 ** -60), -0.34657359027997264,
      -bits(0x3FD62E42FFFFFFFFn), -bits(0x3FD62E4300000000n), -bits(0x3FD62E42FEFA39EFn),
      -bits(0x3FF0A2B200000000n), -bits(0x3FF0A2B1FFFFFFFFn), -1, -2, -708.3964185322641, -709.782712893384,
      -7.45133219101941108420e+02, -745.1332191019412, -746, -1e300, -Infinity];
    const r = random(1);
    let mismatches = 0;
    for (const scale of [1, 50, 760]) {
      for (let i = 0; i < n; i++) xs[i] = i < edges.length ? edges[i] : -scale * r() * (r() < 0.1 ? r() ** 8 : 1);
      k.nonPositiveExponentials(base, n, base + 8 * n);
      for (let i = 0; i < n; i++) if (!Object.is(out[i], Math.exp(xs[i]))) mismatches++;
    }
    expect(mismatches).toBe(0);
  });
});
