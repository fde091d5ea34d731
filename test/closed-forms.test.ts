/**
 * The exact solution against the closed forms of MODEL.md §7, evaluated through the public solver
 * (a column with tM = 1 s and n = alpha ka tM = 10, kd = 2 1/s), and the Bessel kernel against
 * its power series and asymptotic expansion.
 */
import { describe, expect, it } from 'vitest';
import { chromatogram, jsKernels, wasmEngine } from '../src/index.js';

/** Constant velocity, L = 1 m, u0 = 1 m/s (tM = 1 s), alpha = 0.02, ka = 500 (n = 10), kd = 2. */
function closedFormProblem(duration: number) {
  return {
    column: {
      length: 1, radius: 1e-4, filmThickness: 1e-6, inletPressure: 2e5, outletPressure: 1e5,
      inletVelocity: 1, velocity: 'constant',
    },
    injection: { duration },
    analytes: [{ name: 'a', ka: 500, kd: 2, c0: 1 }],
    output: { start: 0, end: 10, count: 11 },
  };
}

describe('closed forms of MODEL.md §7 (t0 = 1, n = 10, kd = 2)', () => {
  it('step response equals Goldstein J(n, kd tau) to 1e-14', () => {
    // A step is a pulse longer than the run: c = c0 [G(tau) + e^{-n}] for tau > 0.
    const expected: [number, number][] = [
      [0.5, 0.00208375254715146], [2, 0.0664777673812592], [5, 0.544890155942413], [8, 0.900531345363356],
    ];
    const r = chromatogram(closedFormProblem(1e6), { times: expected.map(([tau]) => 1 + tau) });
    expected.forEach(([, j], i) => {
      expect(Math.abs(r.analytes[0].concentration[i] - j)).toBeLessThan(1e-14);
    });
  });

  it('pulse response (continuous part) equals e^{-n-kd tau} sqrt(n kd/tau) I1(2 sqrt(n kd tau)) to 1e-10 relative', () => {
    // A pulse of length h, seen at t = t0 + tau + h/2, averages the impulse response over
    // [tau - h/2, tau + h/2]: c/(c0 h) = c_delta(tau) + h^2 c_delta''/24 + O(h^4). Two pulse
    // lengths and Richardson extrapolation remove the h^2 term.
    const expected: [number, number][] = [
      [0.5, 0.00876500540185233], [2, 0.0890784580008447], [5, 0.175012444366577], [8, 0.0612331993976692],
    ];
    const average = (h: number) => {
      const r = chromatogram(closedFormProblem(h), { times: expected.map(([tau]) => 1 + tau + h / 2) });
      return Array.from(r.analytes[0].concentration, (c) => c / h);
    };
    const coarse = average(2e-3);
    const fine = average(1e-3);
    expected.forEach(([, c], i) => {
      expect(Math.abs((4 * fine[i] - coarse[i]) / 3 - c) / c).toBeLessThan(1e-10);
    });
  });

  it('unadsorbed fraction leaves as a plug of height c0 e^{-n} between t0 and t0 + t1', () => {
    const r = chromatogram(closedFormProblem(1e-3), { times: [1 + 0.5e-3] });
    // Plug e^{-10} plus the adsorbed part that has come back within 0.5 ms (~ n kd tau e^{-n}).
    const plug = Math.exp(-10);
    const c = r.analytes[0].concentration[0];
    expect(c).toBeGreaterThan(plug);
    expect(c - plug).toBeLessThan(20 * 0.5e-3 * 2 * plug);
  });
});

/** I1(z) e^{-z} by its power series sum (z/2)^{2k+1}/(k!(k+1)!): all terms positive, no cancellation. */
function seriesI1e(z: number): number {
  let term = z / 2;
  let sum = term;
  const q = (z * z) / 4;
  for (let k = 1; k < 500 && term > 1e-18 * sum; k++) {
    term *= q / (k * (k + 1));
    sum += term;
  }
  return sum * Math.exp(-z);
}

/** I1(z) e^{-z} by its asymptotic expansion, accurate to ~1e-16 for z >= 60. */
function asymptoticI1e(z: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 30; k++) {
    term *= -((4 - (2 * k - 1) ** 2) / (k * 8 * z));
    sum += term;
    if (Math.abs(term) < 1e-18) break;
  }
  return sum / Math.sqrt(2 * Math.PI * z);
}

describe('scaled Bessel function I1e', () => {
  const small = [1e-8, 0.01, 0.5, 1, 2.5, 4, 7.999, 8, 8.001, 12, 20, 30];
  const large = [60, 100, 713, 1e3, 1e4, 1e6, 1e10];
  for (const k of [jsKernels, wasmEngine()]) {
    it(`${k.name}: matches the power series to 4e-15 relative on (0, 30]`, () => {
      for (const z of small) expect(Math.abs(k.scaledBesselI1(z) / seriesI1e(z) - 1)).toBeLessThan(4e-15);
    });
    it(`${k.name}: matches the asymptotic expansion to 4e-15 relative on [60, 1e10] (no overflow)`, () => {
      for (const z of large) expect(Math.abs(k.scaledBesselI1(z) / asymptoticI1e(z) - 1)).toBeLessThan(4e-15);
    });
    it(`${k.name}: I1e(0) = 0`, () => expect(k.scaledBesselI1(0)).toBe(0));
  }
});
