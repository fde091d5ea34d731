/**
 * The paper's dimensionless groups (MODEL.md §2.1), scaled on the first analyte (the paper's
 * "dominant component", o-xylene in the BTEX example).
 */
import { phaseRatio } from './flow.js';
import type { Problem } from './problem.js';

export interface DimensionlessGroups {
  /** Phase ratio alpha = 2 delta / R. */
  phaseRatio: number;
  /** Time scale tau = 1/kd_1 (s). */
  timeScale: number;
  /** Length scale Ls = u0 R / (2 delta ka_1) (m). */
  lengthScale: number;
  /** Damköhler number Da = Ls/(u0 tau) = 1/(alpha K_1). */
  damkohler: number;
  /** Column length L/Ls. */
  length: number;
  /** Pulse length t1/tau. */
  pulse: number;
  /** Outlet-to-inlet pressure ratio pL/p0. */
  outletPressure: number;
  analytes: {
    name: string;
    /** Inverse Péclet number D0/(u0 Ls); null without a diffusivity. */
    inversePeclet: number | null;
    /** beta_i = K_i/K_1. */
    beta: number;
    /** Scaled rate constants K_a,i = K_d,i = kd_i tau. */
    rate: number;
  }[];
}

export function dimensionlessGroups(problem: Problem): DimensionlessGroups {
  const c = problem.column;
  const first = problem.analytes[0];
  const alpha = phaseRatio(c);
  const timeScale = 1 / first.kd;
  const lengthScale = (c.inletVelocity * c.radius) / (2 * c.filmThickness * first.ka);
  const k1 = first.ka / first.kd;
  return {
    phaseRatio: alpha,
    timeScale,
    lengthScale,
    damkohler: lengthScale / (c.inletVelocity * timeScale),
    length: c.length / lengthScale,
    pulse: problem.injection.duration / timeScale,
    outletPressure: c.outletPressure / c.inletPressure,
    analytes: problem.analytes.map((a) => ({
      name: a.name,
      inversePeclet: a.diffusivity === undefined ? null : a.diffusivity / (c.inletVelocity * lengthScale),
      beta: a.ka / a.kd / k1,
      rate: a.kd * timeScale,
    })),
  };
}
