/**
 * The BTEX case of the paper (MODEL.md §6): operating conditions of Table 1, fitted constants of
 * Table 3. Analytes in the paper's order, so the first (o-xylene, the "dominant component") sets
 * the dimensionless scales. The p+m-xylene peak is two co-eluting isomers: twice the inlet c0.
 */
import type { Problem } from './problem.js';

/** Inlet concentration of one BTEX analyte, 20 ppb at inlet conditions (mol/m3). */
export const BTEX_C0 = 2.732e-6;

const BTEX: Problem = {
  column: {
    length: 20, radius: 9e-5, filmThickness: 1e-6,
    inletPressure: 4.01e5, outletPressure: 1.013e5, inletVelocity: 0.41,
    viscosity: 2.3e-5, temperature: 353.15,
    velocity: 'variable',
  },
  injection: { duration: 4 },
  analytes: [
    { name: 'o-xylene', ka: 1.0168e4, kd: 14.291, c0: BTEX_C0, diffusivity: 2.067e-6, response: 1.8708e8 },
    { name: 'p+m-xylene', ka: 0.6483e4, kd: 11.057, c0: 2 * BTEX_C0, diffusivity: 2.067e-6, response: 2.5557e8 },
    { name: 'ethylbenzene', ka: 0.9203e4, kd: 16.940, c0: BTEX_C0, diffusivity: 2.385e-6, response: 2.0356e8 },
    { name: 'toluene', ka: 0.2953e4, kd: 11.502, c0: BTEX_C0, diffusivity: 2.607e-6, response: 3.3584e8 },
    { name: 'benzene', ka: 0.0579e4, kd: 5.299, c0: BTEX_C0, diffusivity: 2.894e-6, response: 4.1997e8 },
  ],
  detector: { baseline: 3935.4 },
  output: { start: 0, end: 700, count: 1401 },
};

/** A fresh, mutable copy of the BTEX problem (plain JSON data in the CONFIG.md format). */
export function btexProblem(): Problem {
  return structuredClone(BTEX);
}

/**
 * A temperature-programmed run in the run form (CONFIG.md "Run conditions"), the same as
 * examples/decane-programmed.json: n-alkanes C9 to C14 with the K-centric retention parameters
 * of Leppert et al. (2020) on a 5% phenyl phase, a 30 m x 0.25 mm x 0.25 um column, helium at
 * 1.2 mL/min (flow control), oven 40 °C for 1 min, 10 °C/min to 300 °C, 2 min.
 */
export function programmedProblem(): Record<string, unknown> {
  const alkane = (n: number, Tchar: number, thetaChar: number, dCp: number) => ({
    name: `C${n}`, c0: 1e-5, response: 1e5, retention: { Tchar, thetaChar, dCp, phi0: 0.001 },
    diffusion: { formula: `C${n}H${2 * n + 2}` }, radialDispersion: true,
  });
  return {
    column: { length: 30, radius: 1.25e-4, filmThickness: 2.5e-7 },
    carrier: { gas: 'He', flow: 2e-8 },
    oven: { program: '40(1)-10-300(2)' },
    injection: { duration: 0.5 },
    analytes: [
      alkane(9, 371.19, 30.17, 89.34), alkane(10, 391.24, 32.24, 112.49), alkane(11, 410.22, 33.71, 116.04),
      alkane(12, 427.93, 34.92, 121.44), alkane(13, 444.47, 35.93, 125.62), alkane(14, 459.98, 36.76, 126.76),
    ],
    detector: { baseline: 0 },
  };
}
