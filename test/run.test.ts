/**
 * Run conditions from problem JSON (src/model/run.ts, retention.ts): the paper's problems keep
 * their meaning, a pressure-driven isothermal run is the paper's model (same chromatogram), the
 * Poiseuille relations against their closed forms, flow <-> pressure round trips, the K-centric,
 * van 't Hoff, Arrhenius and film forms against their definitions, and bad input named by key.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { btexProblem, chromatogram } from '../src/index.js';
import {
  desorptionRateAt, diffusivityAt, holdupTimeAt, inletPressureAt, localDiffusivityAt, pressureAt, retentionFactorAt,
  temperatureAt, velocityAt, viscosityAt, type RunConditions,
} from '../src/model/conditions.js';
import { holdupTime, poiseuilleViscosity, pressure, velocity } from '../src/model/flow.js';
import { carrierGas, fullerCoefficient, formulaProperties, GAS_CONSTANT } from '../src/model/gases.js';
import { kCentricLnK, kCentricRetention, retentionFactor } from '../src/model/retention.js';
import { columnFlowAt, meanVelocityAt, ML_PER_MIN, parseRunProblem, runConditions } from '../src/model/run.js';

const rel = (a: number, b: number) => Math.abs(a / b - 1);

/** The BTEX column and analytes in the run form, pressure-driven at the viscosity Poiseuille implies for u0 = 0.41 m/s. */
function btexRun(changes: Record<string, unknown> = {}) {
  const b = btexProblem();
  const { length, radius, filmThickness, inletPressure, outletPressure } = b.column;
  return {
    column: { length, radius, filmThickness },
    carrier: { viscosity: poiseuilleViscosity(b.column), inletPressure, outletPressure },
    oven: { temperature: 353.15 },
    injection: b.injection,
    analytes: b.analytes,
    detector: b.detector,
    output: b.output,
    ...changes,
  };
}

/** A Leppert-like programmed run: 11.18 m x 0.104 mm x 0.104 µm, H2, C10 by its K-centric parameters. */
function leppertRun(carrier: Record<string, unknown> = { gas: 'H2', inletPressure: 411564, outletPressure: 101300 }) {
  return {
    column: { length: 11.18, radius: 0.052e-3, filmThickness: 0.104e-6 },
    carrier,
    oven: { program: '40(1)-10-300(3)' },
    injection: { duration: 0.1 },
    analytes: [{
      name: 'C10', c0: 1,
      retention: { Tchar: 118.09 + 273.15, thetaChar: 32.24, dCp: 112.49, phi0: 0.001 },
      diffusion: { formula: 'C10H22' }, radialDispersion: true,
    }],
  };
}

describe("the paper's problems keep their meaning", () => {
  it('maps BTEX onto the velocity control with the same velocity, pressure and hold-up time', () => {
    const b = btexProblem();
    const run = parseRunProblem(b);
    expect(run.form).toBe('paper');
    const c = run.conditions;
    expect(c.control.kind).toBe('velocity');
    for (const x of [0, 3.3, 10, 20]) {
      expect(rel(velocityAt(c, x, 100), velocity(b.column, x))).toBeLessThan(1e-15);
      expect(rel(pressureAt(c, x, 100), pressure(b.column, x))).toBeLessThan(1e-15);
    }
    expect(rel(holdupTimeAt(c, 0), holdupTime(b.column, b.column.length))).toBeLessThan(1e-14);
    const alpha = (2 * b.column.filmThickness) / b.column.radius;
    b.analytes.forEach((a, i) => {
      const ac = c.analytes[i];
      expect(rel(retentionFactorAt(ac, 353.15), (alpha * a.ka) / a.kd)).toBeLessThan(1e-14);
      expect(rel(desorptionRateAt(ac, 353.15, 2e5, 1e-6), a.kd)).toBeLessThan(1e-15);
      expect(rel(localDiffusivityAt(c, ac, 0, 0), a.diffusivity!)).toBeLessThan(1e-15);
      expect(rel(localDiffusivityAt(c, ac, 20, 0), (a.diffusivity! * 4.01e5) / 1.013e5)).toBeLessThan(1e-15);
    });
    // Constant velocity: u = u0 and D = D0 all along.
    const constant = runConditions({ ...b, column: { ...b.column, velocity: 'constant' } });
    expect(velocityAt(constant, 20, 0)).toBe(0.41);
    expect(holdupTimeAt(constant, 0)).toBe(20 / 0.41);
    expect(rel(localDiffusivityAt(constant, constant.analytes[4], 20, 0), 2.894e-6)).toBeLessThan(1e-15);
  });

  it('gives a pressure-driven isothermal run the chromatogram of the paper\'s problem to 1e-12 of the peak', () => {
    const run = parseRunProblem(btexRun());
    expect(run.form).toBe('run');
    expect(run.conditions.control.kind).toBe('pressure');
    expect(run.problem).toBeDefined();
    const p = run.problem!;
    const b = btexProblem();
    expect(rel(p.column.inletVelocity, 0.41)).toBeLessThan(1e-15);
    p.analytes.forEach((a, i) => {
      expect(rel(a.ka, b.analytes[i].ka)).toBeLessThan(1e-14);
      expect(rel(a.kd, b.analytes[i].kd)).toBeLessThan(1e-15);
      expect(rel(a.diffusivity!, b.analytes[i].diffusivity!)).toBeLessThan(1e-15);
    });
    const ours = chromatogram(p);
    const theirs = chromatogram(b);
    let worst = 0;
    ours.analytes.forEach((a, i) => {
      const ref = theirs.analytes[i].concentration;
      const peak = Math.max(...ref);
      a.concentration.forEach((v, j) => { worst = Math.max(worst, Math.abs(v - ref[j]) / peak); });
    });
    expect(worst).toBeLessThan(1e-12);
    // And the run conditions themselves: the Poiseuille velocity equals the paper's u0 p0/p(x).
    const velocityForm = parseRunProblem(b).conditions;
    for (const x of [0, 7, 20]) expect(rel(velocityAt(run.conditions, x, 0), velocityAt(velocityForm, x, 0))).toBeLessThan(1e-14);
    expect(rel(holdupTimeAt(run.conditions, 0), holdupTimeAt(velocityForm, 0))).toBeLessThan(1e-14);
  });

  it('doubling p0 moves the peak mean to tM(2 p0) (1 + k) + t1/2 of the closed form', () => {
    const b = btexProblem();
    const eta = poiseuilleViscosity(b.column);
    const p0 = 2 * b.column.inletPressure;
    const pL = b.column.outletPressure;
    const { length: L, radius: R } = b.column;
    const tM = (32 * eta * L * L * (p0 ** 3 - pL ** 3)) / (3 * R * R * (p0 * p0 - pL * pL) ** 2);
    const run = parseRunProblem(btexRun({ carrier: { viscosity: eta, inletPressure: p0, outletPressure: pL },
      output: { start: 0, end: 400, count: 40001 } }));
    expect(rel(holdupTimeAt(run.conditions, 0), tM)).toBeLessThan(1e-14);
    expect(rel(meanVelocityAt(run.conditions, 0), L / tM)).toBeLessThan(1e-14);
    expect(rel(run.problem!.column.inletVelocity, (R * R * (p0 * p0 - pL * pL)) / (16 * eta * L * p0))).toBeLessThan(1e-15);
    const result = chromatogram(run.problem!);
    const t = result.times;
    const alpha = (2 * b.column.filmThickness) / R;
    result.analytes.forEach((a, i) => {
      let m0 = 0;
      let m1 = 0;
      for (let j = 1; j < t.length; j++) {
        const h = t[j] - t[j - 1];
        m0 += (h * (a.concentration[j] + a.concentration[j - 1])) / 2;
        m1 += (h * (t[j] * a.concentration[j] + t[j - 1] * a.concentration[j - 1])) / 2;
      }
      const k = (alpha * b.analytes[i].ka) / b.analytes[i].kd;
      expect(rel(m1 / m0, tM * (1 + k) + 2)).toBeLessThan(1e-12); // trapezoids of a smooth, decayed peak
    });
  });
});

describe('CONFIG.md', () => {
  it('reads the run-form example of the documentation, with k(Tchar) = 1 on the Leppert column', () => {
    const text = readFileSync(join(__dirname, '..', 'docs', 'CONFIG.md'), 'utf8');
    const block = /The\s+run form of programme A[\s\S]*?```json\n([\s\S]*?)```/.exec(text);
    expect(block).not.toBeNull();
    const run = parseRunProblem(JSON.parse(block![1]));
    expect(run.form).toBe('run');
    expect(run.problem).toBeUndefined();
    expect(Array.from(run.conditions.temperature.times)).toEqual([0, 60, 1620, 1800]);
    expect(rel(retentionFactorAt(run.conditions.analytes[0], 391.24), 1)).toBeLessThan(1e-13);
    expect(run.conditions.analytes[0].radialDispersion).toBe(true); // the default with `diffusion`
  });

  it("defaults radialDispersion to Golay's plate height with diffusion, to the paper's model with diffusivity", () => {
    const analyte = (extra: Record<string, unknown>) => ({ name: 'solute', c0: 1, ka: 500, kd: 10, ...extra });
    const paper = parseRunProblem(btexRun({ analytes: [analyte({ diffusivity: 2e-6 })] }));
    expect(paper.conditions.analytes[0].radialDispersion).toBe(false);
    expect(paper.problem).toBeDefined();
    const golay = parseRunProblem(btexRun({ analytes: [analyte({ diffusion: { coefficient: 1e-4 } })] }));
    expect(golay.conditions.analytes[0].radialDispersion).toBe(true);
    expect(golay.problem).toBeUndefined(); // the paper's model has no radial term
    const off = parseRunProblem(btexRun({ analytes: [analyte({ diffusion: { coefficient: 1e-4 }, radialDispersion: false })] }));
    expect(off.problem).toBeDefined();
    expect(rel(off.problem!.analytes[0].diffusivity!, (1e-4 * 353.15 ** 1.75) / 4.01e5)).toBeLessThan(1e-15);
  });
});

const GCS_CASE = {
  column: { length: 10, radius: 0.125e-3, filmThickness: 0.25e-6 },
  carrier: {
    gas: 'He', pressureScale: 'gauge', ambientPressure: 101300, outletPressure: 'vacuum',
    inletPressure: [[0, 200e3], [60, 200e3], [660, 300e3], [960, 300e3]],
  },
  oven: { breakpoints: [[0, 313.15], [60, 313.15], [660, 573.15], [960, 573.15]] },
  injection: { duration: 0.01 },
  analytes: [
    { name: 'C10', c0: 1, retention: { Tchar: 106.44 + 273.15, thetaChar: 28.588, dCp: 76.602, phi0: 0.001 }, diffusion: { formula: 'C10H22' }, radialDispersion: true },
    { name: 'C11', c0: 1, retention: { Tchar: 124.75 + 273.15, thetaChar: 29.628, dCp: 83.819, phi0: 0.001 }, diffusion: { formula: 'C11H24' }, radialDispersion: true },
  ],
};

describe("GasChromatographySimulator.jl's first conventional test case in the run form", () => {
  // L = 10 m, d = 0.25 mm, df = 0.25 µm, He; 40 °C 60 s, to 300 °C in 600 s, 300 s; inlet 200 -> 300 kPa
  // gauge (ambient 101300 Pa) on the same steps; vacuum outlet; C10 and C11 on SLB5ms (its test database).
  it('gives t_R(C10) = 87.40 s by the migration equation dt/dx = (1 + k)/u (its assertion: 87.41 ± 0.01 s)', () => {
    const c = parseRunProblem(GCS_CASE).conditions;
    // Classical RK4 in x on t(x); 1/u -> 0 like sqrt(1 - x/L) at the vacuum outlet, so the last
    // step loses order, but halving the step changes t_R by less than 1e-5 s.
    const rate = (x: number, t: number) => (1 + retentionFactorAt(c.analytes[0], temperatureAt(c, t))) / velocityAt(c, x, t);
    const retentionTime = (n: number) => {
      const h = c.length / n;
      let t = 0;
      for (let i = 0; i < n; i++) {
        const x = i * h;
        const k1 = rate(x, t);
        const k2 = rate(x + h / 2, t + (h / 2) * k1);
        const k3 = rate(x + h / 2, t + (h / 2) * k2);
        const k4 = rate(x + h, t + h * k3);
        t += (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
      }
      return t;
    };
    const t = retentionTime(20000);
    expect(Math.abs(t - retentionTime(10000))).toBeLessThan(1e-5); // converged in the step
    // Its assertion is at a loose solver tolerance (converged values differ by up to 0.05 s).
    expect(Math.abs(t - 87.41)).toBeLessThan(0.02);
  });
});

describe("GasChromatographySimulator.jl's peak width from the film and radial terms", () => {
  it('gives sigma(C11) = 0.590 s by its variance equation with the run conditions (its assertion: 0.590 ± 0.001 s)', () => {
    const c = parseRunProblem(GCS_CASE).conditions;
    const a = c.analytes[1];
    // r = (1 + k)/u, H = 2 D_eff/u + 2 k u/((1 + k)^2 k_d) with D_eff the run conditions' (radial term
    // included) and k_d the film option's; d tau^2/dz = H r^2 + 2 tau^2 dr/dt (its peakode).
    const state = (x: number, t: number) => {
      const T = temperatureAt(c, t);
      const u = velocityAt(c, x, t);
      const k = retentionFactorAt(a, T);
      const D = localDiffusivityAt(c, a, x, t);
      const kd = desorptionRateAt(a, T, pressureAt(c, x, t), c.filmThickness);
      const radial = ((c.radius * c.radius) / 48) * ((1 + 6 * k + 11 * k * k) / (1 + k) ** 2) * (u * u) / D;
      return { r: (1 + k) / u, H: (2 * (D + radial)) / u + (2 * k * u) / ((1 + k) ** 2 * kd) };
    };
    const f = (x: number, [t, s2]: number[]) => {
      const { r, H } = state(x, t);
      const h = 1e-3;
      const drdt = (state(x, t + h).r - state(x, t - h).r) / (2 * h);
      return [r, H * r * r + 2 * s2 * drdt];
    };
    // Stop short of the vacuum outlet, where u and D_M are infinite (H r^2 tends to 0 there).
    const n = 4000;
    const dz = (c.length * (1 - 1e-12)) / n;
    let y = [0, 0];
    for (let i = 0; i < n; i++) {
      const x = i * dz;
      const k1 = f(x, y);
      const k2 = f(x + dz / 2, y.map((v, j) => v + (dz / 2) * k1[j]));
      const k3 = f(x + dz / 2, y.map((v, j) => v + (dz / 2) * k2[j]));
      const k4 = f(x + dz, y.map((v, j) => v + dz * k3[j]));
      y = y.map((v, j) => v + (dz / 6) * (k1[j] + 2 * k2[j] + 2 * k3[j] + k4[j]));
    }
    expect(Math.abs(Math.sqrt(y[1]) - 0.59)).toBeLessThan(0.001);
  });
});

describe('carrier flow and pressure against time', () => {
  it('has the closed-form hold-up time, mean velocity and flow of Poiseuille flow under a program', () => {
    const c = parseRunProblem(leppertRun()).conditions;
    const L = 11.18;
    const R = 0.052e-3;
    for (const t of [0, 60, 700, 1620, 1800, 5000]) {
      const T = temperatureAt(c, t);
      const eta = viscosityAt(carrierGas('H2').viscosity, T);
      const [p0, pL] = [411564, 101300];
      const tM = (32 * eta * L * L * (p0 ** 3 - pL ** 3)) / (3 * R * R * (p0 ** 2 - pL ** 2) ** 2);
      expect(rel(holdupTimeAt(c, t), tM)).toBeLessThan(1e-14);
      expect(rel(meanVelocityAt(c, t), L / tM)).toBeLessThan(1e-14);
      // GasChromatographySimulator.jl's flow: pi/256 Tn/pn d^4/L (pin^2 - pout^2)/(eta T), here with pn = 101325.
      const d = 2 * R;
      const F = ((Math.PI / 256) * (298.15 / 101325) * d ** 4 * (p0 ** 2 - pL ** 2)) / (L * eta * T);
      expect(rel(columnFlowAt(c, t), F)).toBeLessThan(1e-14);
    }
    // 40 °C to 300 °C: H2 viscosity rises, so the flow at constant pressure falls.
    expect(columnFlowAt(c, 1620)).toBeLessThan(columnFlowAt(c, 0) / 1.5);
  });

  it('solves the inlet pressure from the flow and back to 1e-12 under a program, at atmosphere or vacuum', () => {
    for (const outletPressure of ['atmospheric', 'vacuum']) {
      const flow = [[0, 1 * ML_PER_MIN], [600, 1 * ML_PER_MIN], [1200, 2 * ML_PER_MIN]];
      const byFlow = parseRunProblem(leppertRun({ gas: 'He', flow, outletPressure })).conditions;
      for (const t of [0, 300, 900, 1620, 3000]) {
        const p0 = inletPressureAt(byFlow, t);
        const pL = outletPressure === 'vacuum' ? 0 : 101325;
        const byPressure = parseRunProblem(leppertRun({ gas: 'He', inletPressure: [[0, p0]], outletPressure: pL })).conditions;
        const F = t >= 1200 ? 2 * ML_PER_MIN : t <= 600 ? ML_PER_MIN : ML_PER_MIN * (1 + (t - 600) / 600);
        // The pressure-driven run at that p0 and the oven temperature of time t carries the same flow.
        const frozen: RunConditions = { ...byPressure, temperature: { times: Float64Array.of(0), values: Float64Array.of(temperatureAt(byFlow, t)) } };
        expect(rel(columnFlowAt(frozen, 0), F)).toBeLessThan(1e-12);
        expect(rel(columnFlowAt(byFlow, t), F)).toBeLessThan(1e-12);
        expect(rel(holdupTimeAt(frozen, 0), holdupTimeAt(byFlow, t))).toBeLessThan(1e-12);
      }
    }
  });

  it('converts gauge pressures with the ambient pressure', () => {
    const gauge = parseRunProblem(leppertRun({ gas: 'H2', inletPressure: 310264, pressureScale: 'gauge', ambientPressure: 101300 })).conditions;
    const absolute = parseRunProblem(leppertRun({ gas: 'H2', inletPressure: 411564, outletPressure: 101300 })).conditions;
    expect(inletPressureAt(gauge, 0)).toBe(411564);
    expect(holdupTimeAt(gauge, 500)).toBe(holdupTimeAt(absolute, 500));
  });
});

describe('retention from thermodynamics', () => {
  const c10 = { Tchar: 118.09 + 273.15, thetaChar: 32.24, dCp: 112.49, phi0: 0.001 };

  it('K-centric: k(Tchar) = phi/phi0, and k(T) equals the form of GasChromatographySimulator.jl', () => {
    for (const phi of [0.001, 0.0025, 0.0004]) {
      const r = kCentricRetention(c10, phi);
      expect(rel(retentionFactor(r, c10.Tchar), phi / 0.001)).toBeLessThan(1e-13);
      for (const T of [313.15, 350, 400, 500, 573.15]) {
        expect(rel(retentionFactor(r, T), Math.exp(kCentricLnK(c10, phi, T)))).toBeLessThan(1e-12);
      }
    }
    // d ln k / d(1/T) at Tchar is -(Tchar^2/thetaChar) (Blumberg's definition of thetaChar): the ΔCp terms cancel there.
    const r = kCentricRetention(c10, 0.001);
    const h = 1e-7;
    const slope = (Math.log(retentionFactor(r, 1 / (1 / c10.Tchar + h))) - Math.log(retentionFactor(r, 1 / (1 / c10.Tchar - h)))) / (2 * h);
    expect(rel(slope, (c10.Tchar * c10.Tchar) / c10.thetaChar)).toBeLessThan(1e-6);
    // In a run: the Leppert column has phi = 0.104 µm / 0.104 mm = phi0, so k(Tchar) = 1.
    const a = parseRunProblem(leppertRun()).conditions.analytes[0];
    expect(rel(retentionFactorAt(a, c10.Tchar), 1)).toBeLessThan(1e-13);
  });

  it("van 't Hoff for K and Arrhenius for k_d", () => {
    const run = parseRunProblem(btexRun({
      oven: { program: '60(1)-10-200' },
      analytes: [{
        name: 'solute', c0: 1,
        retention: { K: 500, referenceTemperature: 353.15, enthalpy: -40e3 },
        desorption: { kd: 10, referenceTemperature: 353.15, activationEnergy: 30e3 },
      }],
    }));
    const a = run.conditions.analytes[0];
    const alpha = (2 * 1e-6) / 9e-5;
    expect(rel(retentionFactorAt(a, 353.15), alpha * 500)).toBeLessThan(1e-14);
    expect(rel(retentionFactorAt(a, 400), alpha * 500 * Math.exp((40e3 / GAS_CONSTANT) * (1 / 400 - 1 / 353.15)))).toBeLessThan(1e-13);
    expect(rel(desorptionRateAt(a, 353.15, 1e5, 1e-6), 10)).toBeLessThan(1e-14);
    expect(rel(desorptionRateAt(a, 450, 1e5, 1e-6), 10 * Math.exp((-30e3 / GAS_CONSTANT) * (1 / 450 - 1 / 353.15)))).toBeLessThan(1e-13);
    expect(run.problem).toBeUndefined(); // programmed: not the paper's model
  });

  it('film: k_d = 3 D_M/(1e4 delta^2), whose kinetic term is the film term of GasChromatographySimulator.jl', () => {
    const run = parseRunProblem(leppertRun());
    const c = run.conditions;
    const a = c.analytes[0];
    expect(a.desorption).toEqual({ kind: 'film', ratio: 1e4 });
    const g = carrierGas('H2');
    const { molarMass, diffusionVolume } = formulaProperties('C10H22');
    expect(a.diffusion).toEqual({ coefficient: fullerCoefficient(molarMass, diffusionVolume, g.molarMass!, g.diffusionVolume!), exponent: 1.75 });
    const T = 400;
    const p = 2e5;
    const df = 0.104e-6;
    const DM = diffusivityAt(a, T, p);
    const kd = desorptionRateAt(a, T, p, df);
    expect(rel(kd, (3 * DM) / (1e4 * df * df))).toBeLessThan(1e-15);
    const k = retentionFactorAt(a, T);
    const u = 0.5;
    const mu = 1 / (1 + k);
    const ours = (2 * k * u) / ((1 + k) ** 2 * kd);
    const golay = ((2 / 3) * df * df * mu * (1 - mu) * u) / (DM / 1e4);
    expect(rel(ours, golay)).toBeLessThan(1e-14);
  });
});

describe('bad run problems name the key, the value and the rule', () => {
  const BAD: [string, Record<string, unknown>, RegExp][] = [
    ['unknown gas', { carrier: { gas: 'Xe', inletPressure: 2e5 } }, /^carrier\.gas: must be one of "He", "H2", "N2", "Ar", got "Xe"$/],
    ['no gas', { carrier: { inletPressure: 2e5 } }, /^carrier\.gas: is required/],
    ['pressure and flow', { carrier: { gas: 'He', inletPressure: 2e5, flow: 1e-8 } }, /^carrier: has both inletPressure and flow/],
    ['neither', { carrier: { gas: 'He' } }, /^carrier: needs inletPressure \(pressure control\) or flow/],
    ['inlet below outlet', { carrier: { gas: 'He', inletPressure: [[0, 2e5], [100, 0.5e5]] } },
      /^carrier\.inletPressure: is 50000 Pa \(absolute\) at t = 100 s, not above the outlet pressure 101325 Pa/],
    ['zero flow', { carrier: { gas: 'He', flow: [[0, 1e-8], [10, 0]] } }, /^carrier\.flow\[1\]\[1\]: value 0 m3\/s must be > 0$/],
    ['bad outlet', { carrier: { gas: 'He', inletPressure: 2e5, outletPressure: 'ambient' } },
      /^carrier\.outletPressure: must be "atmospheric", "vacuum", a pressure \(Pa\) or a program, got "ambient"$/],
    ['bad scale', { carrier: { gas: 'He', inletPressure: 2e5, pressureScale: 'psi' } }, /^carrier\.pressureScale: must be "absolute" or "gauge", got "psi"$/],
    ['flowReference with pressure', { carrier: { gas: 'He', inletPressure: 2e5, flowReference: { temperature: 273.15 } } },
      /^carrier\.flowReference: applies to flow control only/],
    ['paper key with carrier', { column: { length: 20, radius: 9e-5, filmThickness: 1e-6, inletVelocity: 0.41 } },
      /^column\.inletVelocity: belongs to the paper's form/],
    ['hot program', { oven: { program: '40-10-500' } }, /^oven\.program: step 2: target 773\.15 K \(500 °C\) is above 450 °C/],
    ['ka with retention', { analytes: [{ name: 'solute', c0: 1, ka: 1, kd: 1, retention: { K: 3 } }] }, /^analytes\[0\]\.retention: cannot be given with ka and kd/],
    ['no retention', { analytes: [{ name: 'solute', c0: 1 }] }, /^analytes\[0\]\.retention: is required$/],
    ['odd retention', { analytes: [{ name: 'solute', c0: 1, retention: { k: 3 } }] }, /^analytes\[0\]\.retention: needs the K-centric parameters/],
    ['film without diffusion', { analytes: [{ name: 'solute', c0: 1, retention: { K: 3 } }] }, /^analytes\[0\]\.desorption: is required without diffusion/],
    ['Fuller without a gas', { carrier: { viscosity: 2e-5, inletPressure: 2e5 }, analytes: [{ name: 'solute', c0: 1, retention: { K: 3 }, diffusion: { formula: 'C6H6', rings: 1 } }] },
      /^analytes\[0\]\.diffusion: Fuller's correlation needs carrier\.gas/],
    ['bad formula', { analytes: [{ name: 'solute', c0: 1, retention: { K: 3 }, diffusion: { formula: 'C6H6Q' } }] },
      /^analytes\[0\]\.diffusion\.formula: cannot read "C6H6Q" at character 5/],
    ['K-centric phi0', { analytes: [{ name: 'solute', c0: 1, retention: { Tchar: 400, thetaChar: 30, dCp: 100, phi0: 0 }, diffusion: { coefficient: 1e-4 } }] },
      /^analytes\[0\]\.retention\.phi0: must be a finite number > 0 < 0\.5/],
    ['k that overflows', { analytes: [{ name: 'solute', c0: 1, retention: { Tchar: 700, thetaChar: 0.5, dCp: 0, phi0: 1e-3 }, diffusion: { coefficient: 1e-4 } }] },
      /^analytes\[0\]\.retention: gives a retention factor k = e\^.* within the oven's 353\.15-353\.15 K; ln k must stay <= 700$/],
    ['enthalpy without reference', { analytes: [{ name: 'solute', c0: 1, retention: { K: 3, enthalpy: -1e4 }, desorption: { kd: 1 } }] },
      /^analytes\[0\]\.retention\.referenceTemperature: is required$/],
    ['radial without diffusion', { analytes: [{ name: 'solute', c0: 1, retention: { K: 3 }, desorption: { kd: 2 }, radialDispersion: true }] },
      /^analytes\[0\]\.radialDispersion: needs diffusion/],
    ['radial not boolean', { analytes: [{ name: 'solute', c0: 1, ka: 1, kd: 1, radialDispersion: 'yes' }] },
      /^analytes\[0\]\.radialDispersion: must be true or false, got "yes"$/],
    ['a flow that overflows', { column: { length: 20, radius: 1e-80, filmThickness: 1e-90 }, carrier: { gas: 'He', flow: 1e-8 } },
      /^carrier\.flow: gives at t = 0 s \(T = 353\.15 K\) an inlet pressure Infinity Pa and a hold-up time .* s; both must be finite/],
    ['an area that overflows', { analytes: [{ name: 'solute', c0: 1e308, ka: 1, kd: 1 }] }, /^analytes\[0\]\.c0: gives a peak area c0\*duration that overflows/],
    ['duplicate names', { analytes: [{ name: 'solute', c0: 1, ka: 1, kd: 1 }, { name: 'solute', c0: 1, ka: 1, kd: 1 }] }, /^analytes\[1\]\.name: duplicate name "solute"$/],
  ];
  for (const [name, changes, message] of BAD) {
    it(`refuses ${name}`, () => {
      const input = btexRun(changes) as Record<string, unknown>;
      if ((changes.carrier as Record<string, unknown> | undefined)?.gas !== undefined || name === 'no gas') delete input.detector;
      expect(() => parseRunProblem(input)).toThrow(message);
    });
  }

  it('accepts flow control with a vacuum outlet (closed form p0^2 = 16 eta L (T/Tref) pref F/(pi R^4))', () => {
    const c = parseRunProblem(leppertRun({ gas: 'He', flow: 1 * ML_PER_MIN, outletPressure: 'vacuum' })).conditions;
    const T = 313.15;
    const eta = viscosityAt(carrierGas('He').viscosity, T);
    const R = 0.052e-3;
    const p0 = Math.sqrt((16 * eta * 11.18 * (T / 298.15) * 101325 * ML_PER_MIN) / (Math.PI * R ** 4));
    expect(rel(inletPressureAt(c, 0), p0)).toBeLessThan(1e-15);
    expect(Number.isFinite(holdupTimeAt(c, 0))).toBe(true);
  });
});
