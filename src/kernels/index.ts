/**
 * The kernel contract shared by the wasm engine and its plain-TypeScript twin, so that every
 * solver can run on either (tests compare them, benchmarks time them).
 */
import { adsorbedFraction, outletConcentration, pointConcentration } from './laplace.js';
import { scaledBesselI1 } from './bessel.js';

export interface LaplaceKernels {
  readonly name: string;
  /** I1e(z) = exp(-z) I1(z). */
  scaledBesselI1(z: number): number;
  /** Quadrature of the whole residence-time density; exact value 1 - e^{-B}. */
  adsorbedFraction(retention: number): number;
  /** c(t_j) at one position for ascending times; returns density evaluations. */
  outletConcentration(
    times: Float64Array, holdup: number, retention: number, kd: number, pulse: number, scale: number,
    out: Float64Array): number;
  /** c at independent points, each with its own hold-up, retention and scale; returns evaluations. */
  pointConcentration(
    times: Float64Array, holdups: Float64Array, retentions: Float64Array, scales: Float64Array,
    kd: number, pulse: number, out: Float64Array): number;
}

/** The plain-TypeScript twin of the wasm kernels. */
export const jsKernels: LaplaceKernels = {
  name: 'js',
  scaledBesselI1,
  adsorbedFraction,
  outletConcentration,
  pointConcentration,
};
