/**
 * Properties of the run conditions over many random columns, gases, temperatures and pressures
 * (a fixed-seed generator, so a failure reproduces): flow <-> inlet pressure round trips, the
 * hold-up time against its closed form and against the integral of 1/u, and the paper's model as
 * the isothermal pressure-driven special case.
 */
import { describe, expect, it } from 'vitest';
import { holdupTimeAt, inletPressureAt, pressureAt, velocityAt, type RunConditions } from '../src/model/conditions.js';
import { holdupTime, velocity } from '../src/model/flow.js';
import { GAS_NAMES } from '../src/model/gases.js';
import { columnFlowAt, parseRunProblem } from '../src/model/run.js';

/** Park-Miller minimal standard generator: uniform in (0, 1). */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 48271) % 2147483647;
    return s / 2147483647;
  };
}

const rel = (a: number, b: number) => Math.abs(a / b - 1);

interface Case {
  problem: Record<string, unknown>;
  T: number;
}

function randomCase(u: () => number, carrier: Record<string, unknown>): Case {
  const T = 173.15 + u() * 550;
  return {
    T,
    problem: {
      column: { length: 1 + u() * 99, radius: (0.05 + u() * 0.3) * 1e-3, filmThickness: (0.05 + u() * 2) * 1e-6 },
      carrier: { gas: GAS_NAMES[Math.floor(u() * 4)], ...carrier },
      oven: { temperature: T },
      injection: { duration: 0.5 },
      analytes: [{ name: 'a', c0: 1, ka: 100 + u() * 1e4, kd: 1 + u() * 100, diffusivity: 1e-6 + u() * 1e-5 }],
    },
  };
}

describe('run conditions over 300 random isothermal columns', () => {
  it('flow -> inlet pressure -> flow returns the flow to 1e-12, at atmosphere and at vacuum', () => {
    const u = random(14);
    let worst = 0;
    for (let i = 0; i < 300; i++) {
      const outletPressure = i % 3 === 0 ? 'vacuum' : 5e4 + u() * 2e5;
      const F = (0.1 + u() * 10) * 1e-6 / 60;
      const { problem } = randomCase(u, { flow: F, outletPressure });
      const byFlow = parseRunProblem(problem).conditions;
      const p0 = inletPressureAt(byFlow, 0);
      const byPressure: RunConditions = {
        ...byFlow,
        control: { kind: 'pressure', inlet: { times: Float64Array.of(0), values: Float64Array.of(p0) },
          outlet: { times: Float64Array.of(0), values: Float64Array.of(outletPressure === 'vacuum' ? 0 : outletPressure) } },
      };
      worst = Math.max(worst, rel(columnFlowAt(byPressure, 0), F), rel(columnFlowAt(byFlow, 0), F));
      worst = Math.max(worst, rel(holdupTimeAt(byPressure, 0), holdupTimeAt(byFlow, 0)));
    }
    expect(worst).toBeLessThan(1e-12);
  });

  it('tM equals the integral of 1/u over the column (Gauss-Legendre in the pressure variable)', () => {
    const u = random(7);
    let worst = 0;
    for (let i = 0; i < 300; i++) {
      const pL = i % 4 === 0 ? 0 : 5e4 + u() * 1e5;
      const p0 = pL + 1e3 + u() * 6e5;
      const { problem } = randomCase(u, { inletPressure: p0, outletPressure: pL });
      const c = parseRunProblem(problem).conditions;
      // x = L (1 - s^2) maps the outlet's sqrt singularity of 1/u (vacuum) onto a smooth integrand in s.
      const nodes = [-0.906179845938664, -0.5384693101056831, 0, 0.5384693101056831, 0.906179845938664];
      const weights = [0.23692688505618908, 0.47862867049936647, 0.5688888888888889, 0.47862867049936647, 0.23692688505618908];
      let integral = 0;
      const panels = 40;
      for (let j = 0; j < panels; j++) {
        for (let q = 0; q < 5; q++) {
          const s = (j + (nodes[q] + 1) / 2) / panels;
          const x = c.length * (1 - s * s);
          integral += (weights[q] / 2 / panels) * (2 * c.length * s) / velocityAt(c, x, 0);
        }
      }
      worst = Math.max(worst, rel(integral, holdupTimeAt(c, 0)));
      expect(pressureAt(c, c.length, 0)).toBeCloseTo(pL, 6);
    }
    expect(worst).toBeLessThan(1e-12);
  });

  it("maps every isothermal pressure-driven run (outlet > 0) onto the paper's model with the same u(x) and tM", () => {
    const u = random(3);
    let worst = 0;
    for (let i = 0; i < 300; i++) {
      const pL = 5e4 + u() * 1e5;
      const p0 = pL * (1.01 + u() * 5);
      const { problem } = randomCase(u, { inletPressure: p0, outletPressure: pL });
      const run = parseRunProblem(problem);
      const paper = run.problem;
      if (paper === undefined) throw new Error(`case ${i}: no paper-form problem`);
      const c = run.conditions;
      worst = Math.max(worst, rel(holdupTime(paper.column, paper.column.length), holdupTimeAt(c, 0)));
      for (const f of [0, 0.37, 1]) {
        worst = Math.max(worst, rel(velocity(paper.column, f * c.length), velocityAt(c, f * c.length, 0)));
      }
    }
    expect(worst).toBeLessThan(1e-13);
  });
});
