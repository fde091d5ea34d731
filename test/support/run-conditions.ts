/**
 * Run conditions built by hand for tests of the solvers that take them: the BTEX case of
 * MODEL.md §6 as the paper's isothermal model, and the same column under a pressure-controlled
 * temperature ramp.
 */
import { btexProblem, phaseRatio } from '../../src/index.js';
import type { RunConditions, Schedule } from '../../src/model/conditions.js';

export function schedule(points: [number, number][]): Schedule {
  return { times: Float64Array.from(points, (p) => p[0]), values: Float64Array.from(points, (p) => p[1]) };
}

/** BTEX as run conditions: constant ln k = ln(alpha ka/kd), constant kd, the velocity control. */
export function btexConditions(profile: 'variable' | 'constant' = 'variable'): RunConditions {
  const p = btexProblem();
  const c = p.column;
  const alpha = phaseRatio(c);
  return {
    length: c.length, radius: c.radius, filmThickness: c.filmThickness,
    temperature: schedule([[0, c.temperature!]]),
    gas: { name: 'N2', viscosity: { eta0: c.viscosity!, T0: c.temperature!, xi0: 0, xi1: 0 } },
    control: { kind: 'velocity', inletVelocity: c.inletVelocity, inletPressure: c.inletPressure, outletPressure: c.outletPressure, profile },
    injection: { duration: p.injection.duration },
    analytes: p.analytes.map((a) => ({
      name: a.name, c0: a.c0, response: a.response,
      retention: { a: Math.log((alpha * a.ka) / a.kd), b: 0, c: 0 },
      desorption: { kind: 'arrhenius', a: Math.log(a.kd), b: 0 },
      radialDispersion: false,
    })),
  };
}

/**
 * The BTEX column under pressure control (inlet 4.01e5 Pa, outlet 1.013e5 Pa, N2 with a
 * Blumberg-type viscosity) and an oven `oven` (breakpoints [t s, T K]); retention from a van 't
 * Hoff law through the BTEX k at 353.15 K with enthalpy `enthalpy` J/mol.
 */
export function rampedConditions(oven: [number, number][], enthalpy = -40e3): RunConditions {
  const base = btexConditions();
  const R = 8.314462618;
  return {
    ...base,
    temperature: schedule(oven),
    gas: { name: 'N2', viscosity: { eta0: 2.3e-5, T0: 353.15, xi0: 0.7, xi1: -0.1 } },
    control: { kind: 'pressure', inlet: schedule([[0, 4.01e5]]), outlet: schedule([[0, 1.013e5]]) },
    analytes: base.analytes.map((a) => ({
      ...a,
      // ln k = ln k(353.15) - (dH/R)(1/T - 1/353.15)
      retention: { a: a.retention.a + enthalpy / (R * 353.15), b: -enthalpy / R, c: 0 },
    })),
  };
}

/** The isothermal conditions of any problem: velocity control, constant k_a, k_d, D = D0 p0/p(x). */
export function isothermalConditions(p: import('../../src/model/problem.js').Problem): RunConditions {
  const col = p.column;
  const alpha = phaseRatio(col);
  return {
    length: col.length, radius: col.radius, filmThickness: col.filmThickness,
    temperature: schedule([[0, col.temperature ?? 353.15]]),
    gas: { name: 'N2', viscosity: { eta0: col.viscosity ?? 2.3e-5, T0: 353.15, xi0: 0, xi1: 0 } },
    control: {
      kind: 'velocity', inletVelocity: col.inletVelocity, inletPressure: col.inletPressure,
      outletPressure: col.outletPressure, profile: col.velocity ?? 'variable',
    },
    injection: { duration: p.injection.duration },
    analytes: p.analytes.map((a) => ({
      name: a.name, c0: a.c0, response: a.response,
      retention: { a: Math.log((alpha * a.ka) / a.kd), b: 0, c: 0 },
      desorption: { kind: 'arrhenius', a: Math.log(a.kd), b: 0 },
      diffusion: { coefficient: (a.diffusivity as number) * col.inletPressure, exponent: 0 },
      radialDispersion: false,
    })),
  };
}
