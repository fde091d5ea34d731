/**
 * Plain-TypeScript twin of assembly/chebyshev.ts: the panel-Chebyshev rule of the cumulative
 * quadrature. Phase one samples the density at N = 20 Chebyshev points per panel and maps the
 * samples to the Chebyshev coefficients of the interpolant's antiderivative (CHEB_ANTIDERIVATIVE,
 * scaled by the half width); phase two evaluates G(u) = int_origin^u F by Clenshaw's sum in u's
 * panel. Same tables and operation order as the kernel, so the two agree bit for bit.
 */
import { scaledBesselI1 } from './bessel.js';
import { CHEB_ANTIDERIVATIVE, CHEB_NODES } from './tables.js';

/** Samples per panel. */
export const CHEB = 12;
/** Coefficients per panel, b_0..b_N padded to an even count (the kernel's f64x2 pairs). */
const STRIDE = CHEB + 2;
/** Widest panel (in u). */
export const CHEB_WIDTH = 0.5;
/** Most panels (see the kernel). */
export const MAX_PANELS = 32;

const coefficients = new Float64Array(MAX_PANELS * STRIDE);
const cumulative = new Float64Array(MAX_PANELS + 1);
const samples = new Float64Array(CHEB);
let origin = 0;
let width = 1;
let built = 0;

/** Phase one: `count` panels of width w from a, for the density of sqrt(B); returns evaluations. */
export function buildPanels(a: number, w: number, count: number, sqrtB: number): number {
  origin = a;
  width = w;
  built = count;
  const half = 0.5 * w;
  let total = 0;
  cumulative[0] = 0;
  for (let p = 0; p < count; p++) {
    const mid = a + p * w + half;
    for (let k = 0; k < CHEB; k++) {
      const u = mid + half * CHEB_NODES[k];
      const d = u - sqrtB;
      samples[k] = 2 * sqrtB * Math.exp(-d * d) * scaledBesselI1(2 * sqrtB * u);
    }
    const pc = p * STRIDE;
    for (let j = 0; j < STRIDE; j++) {
      let s = 0;
      for (let k = 0; k < CHEB; k++) s += CHEB_ANTIDERIVATIVE[k * STRIDE + j] * samples[k];
      coefficients[pc + j] = half * s;
    }
    let panel = 0;
    for (let j = 0; j <= CHEB; j++) panel += coefficients[pc + j];
    total += panel;
    cumulative[p + 1] = total;
  }
  return count * CHEB;
}

/** Integral of F over the built panels. */
export function builtIntegral(): number {
  return cumulative[built];
}

/** Phase two: G(u) for origin <= u <= origin + built w. */
export function cumulativeAt(u: number): number {
  const offset = u - origin;
  let p = Math.floor(offset / width);
  if (p >= built) p = built - 1;
  const x = (offset - p * width) / (0.5 * width) - 1;
  const x2 = 2 * x;
  const pc = p * STRIDE;
  let y1 = 0;
  let y2 = 0;
  for (let j = CHEB; j >= 1; j--) {
    const y = (coefficients[pc + j] - y2) + x2 * y1;
    y2 = y1;
    y1 = y;
  }
  return cumulative[p] + ((coefficients[pc] - y2) + x * y1);
}
