/**
 * Run conditions (src/model/conditions.ts) for tests of the programmed solvers: the isothermal
 * conditions that mean exactly what an old problem means (MODEL.md §1), built by hand so that a
 * test can compare a programmed solver with the isothermal one on the same column.
 */
import type { RunConditions } from '../../src/model/conditions.js';
import type { Problem } from '../../src/model/problem.js';

export function schedule(times: number[], values: number[]) {
  return { times: Float64Array.from(times), values: Float64Array.from(values) };
}

/** The isothermal conditions of a problem: velocity control, constant k_a, k_d, D = D0 p0/p(x). */
export function isothermalConditions(p: Problem): RunConditions {
  const col = p.column;
  const alpha = (2 * col.filmThickness) / col.radius;
  return {
    length: col.length,
    radius: col.radius,
    filmThickness: col.filmThickness,
    temperature: schedule([0], [col.temperature ?? 353.15]),
    gas: { name: 'N2', viscosity: { eta0: col.viscosity ?? 2.3e-5, T0: 353.15, xi0: 0, xi1: 0 } },
    control: {
      kind: 'velocity', inletVelocity: col.inletVelocity, inletPressure: col.inletPressure,
      outletPressure: col.outletPressure, profile: col.velocity ?? 'variable',
    },
    injection: { duration: p.injection.duration },
    analytes: p.analytes.map((a) => ({
      name: a.name,
      c0: a.c0,
      response: a.response,
      retention: { a: Math.log((alpha * a.ka) / a.kd), b: 0, c: 0 },
      desorption: { kind: 'arrhenius', a: Math.log(a.kd), b: 0 },
      diffusion: { coefficient: (a.diffusivity as number) * col.inletPressure, exponent: 0 },
      radialDispersion: false,
    })),
  };
}
