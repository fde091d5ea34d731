/**
 * Carrier flow along the column (MODEL.md §1.1): pressure, velocity, diffusivity and gas hold-up
 * time at position x (m from the inlet), for the variable (Poiseuille, ideal gas, isothermal) and
 * constant velocity models.
 */
import type { Column } from './problem.js';

/** Phase ratio alpha = 2 delta / R (dimensionless). */
export function phaseRatio(column: Column): number {
  return 2 * column.filmThickness / column.radius;
}

/** 1 - (pL/p0)^2, computed without cancellation as pL -> p0. */
function pressureDrop(column: Column): number {
  const p0 = column.inletPressure;
  const pL = column.outletPressure;
  return ((p0 - pL) / p0) * ((p0 + pL) / p0);
}

/** Reduced pressure p(x)/p0 = sqrt(1 - (1 - (pL/p0)^2) x/L) (Poiseuille flow, ideal gas). */
export function reducedPressure(column: Column, x: number): number {
  return Math.sqrt(1 - pressureDrop(column) * (x / column.length));
}

/** Pressure p(x) (Pa). The same in both velocity models: it is the physical column's. */
export function pressure(column: Column, x: number): number {
  return column.inletPressure * reducedPressure(column, x);
}

/** Velocity ratio u(x)/u0 (dimensionless): p0/p(x) for variable velocity, 1 for constant. */
export function velocityRatio(column: Column, x: number): number {
  return column.velocity === 'constant' ? 1 : 1 / reducedPressure(column, x);
}

/** Carrier velocity u(x) (m/s). */
export function velocity(column: Column, x: number): number {
  return column.inletVelocity * velocityRatio(column, x);
}

/** Axial diffusivity D(x) (m2/s) of an analyte with inlet diffusivity d0 (m2/s): D0 p0/p(x) (62). */
export function diffusivity(column: Column, d0: number, x: number): number {
  return d0 * velocityRatio(column, x);
}

/**
 * Gas hold-up time tM(x) (s): time a non-retained molecule needs to reach x.
 * Variable: 2L (1 - p̄(x)^3) / (3 u0 (1 - p̄L^2)), written with log1p/expm1 so that it stays
 * accurate (and tends to x/u0) as the pressure drop vanishes. Constant: x/u0.
 */
export function holdupTime(column: Column, x: number): number {
  const u0 = column.inletVelocity;
  if (column.velocity === 'constant') return x / u0;
  const eps = pressureDrop(column);
  const s = eps * (x / column.length);
  const oneMinusCube = -Math.expm1(1.5 * Math.log1p(-s));
  return (2 * column.length * oneMinusCube) / (3 * u0 * eps);
}

/**
 * Viscosity (Pa s) that the Poiseuille relation p0^2 - pL^2 = 16 mu u0 p0 L / R^2 implies for the
 * given pressures and inlet velocity; compare with `column.viscosity` to check the inputs agree.
 */
export function poiseuilleViscosity(column: Column): number {
  const { inletPressure: p0, outletPressure: pL, inletVelocity: u0, radius: r, length: l } = column;
  return ((p0 - pL) * (p0 + pL) * r * r) / (16 * u0 * p0 * l);
}
