/**
 * Carrier gases (MODEL.md §8.1): viscosity against temperature by Blumberg's law and the Fuller
 * diffusion parameters of each gas, and the Fuller-Schettler-Giddings mobile-phase diffusivity.
 *
 * Viscosity eta(T) = eta_st (T/T_st)^(xi0 + xi1 (T - T_st)/T_st), T_st = 273.15 K, with the
 * constants of L. M. Blumberg, Temperature-Programmed Gas Chromatography (Wiley-VCH, 2010), as
 * GasChromatographySimulator.jl uses them. Diffusion volumes and molar masses are those of
 * E. N. Fuller, K. Ensley, J. C. Giddings, J. Phys. Chem. 73 (1969) 3679, again as that package
 * uses them, so the two give the same D_M.
 */
import type { CarrierGas, Viscosity } from './conditions.js';
import { ProblemError } from './problem.js';

/** The carrier gases with published constants. */
export const GAS_NAMES = ['He', 'H2', 'N2', 'Ar'] as const;
export type GasName = (typeof GAS_NAMES)[number];

/** Reference temperature of Blumberg's viscosity law, 0 °C (K). */
export const VISCOSITY_REFERENCE_TEMPERATURE = 273.15;

/** Standard atmosphere (Pa): the pressure of Fuller's correlation and of "atmospheric". */
export const ATMOSPHERE = 101325;

/** Molar gas constant R (J/(mol K)), CODATA 2018 (exact). */
export const GAS_CONSTANT = 8.31446261815324;

/** eta_st (Pa s) at 273.15 K, xi0, xi1 (Blumberg 2010). */
const VISCOSITY: Record<GasName, readonly [number, number, number]> = {
  He: [18.63e-6, 0.6958, -0.0071],
  H2: [8.382e-6, 0.6892, 0.005],
  N2: [16.62e-6, 0.7665, -0.0378],
  Ar: [21.04e-6, 0.8131, -0.0426],
};

/** Molar mass (g/mol) and Fuller diffusion volume of each gas (Fuller et al. 1969). */
const FULLER: Record<GasName, readonly [number, number]> = {
  He: [4, 2.67],
  H2: [2.02, 6.12],
  N2: [28.01, 18.5],
  Ar: [39.95, 16.2],
};

export function isGasName(name: unknown): name is GasName {
  return typeof name === 'string' && (GAS_NAMES as readonly string[]).includes(name);
}

/** Blumberg's viscosity law for a named gas. */
export function gasViscosity(name: GasName): Viscosity {
  const [eta0, xi0, xi1] = VISCOSITY[name];
  return { eta0, T0: VISCOSITY_REFERENCE_TEMPERATURE, xi0, xi1 };
}

/** A named carrier gas: Blumberg viscosity and Fuller parameters. */
export function carrierGas(name: GasName): CarrierGas {
  const [molarMass, diffusionVolume] = FULLER[name];
  return { name, viscosity: gasViscosity(name), molarMass, diffusionVolume };
}

/** A viscosity that does not change with temperature (Pa s); the paper's isothermal model. */
export function constantViscosity(eta: number, T0 = VISCOSITY_REFERENCE_TEMPERATURE): Viscosity {
  return { eta0: eta, T0, xi0: 0, xi1: 0 };
}

/**
 * Coefficient C of the Fuller-Schettler-Giddings diffusivity D_M = C T^1.75 / p (m2/s with T in K,
 * p in Pa) of a solute (molar mass g/mol, diffusion volume) in a gas:
 * C = 1e-7 p_atm sqrt(1/M_a + 1/M_g) / (V_a^(1/3) + V_g^(1/3))^2  (Fuller's 1e-3 cm2/s at 1 atm).
 * GasChromatographySimulator.jl writes 101300 Pa for p_atm; this is 101325 (2.5e-4 larger).
 */
export function fullerCoefficient(molarMass: number, diffusionVolume: number, gasMolarMass: number,
  gasDiffusionVolume: number): number {
  const v = Math.cbrt(diffusionVolume) + Math.cbrt(gasDiffusionVolume);
  return (1e-7 * ATMOSPHERE * Math.sqrt(1 / molarMass + 1 / gasMolarMass)) / (v * v);
}

/** Fuller's exponent of temperature in D_M. */
export const FULLER_EXPONENT = 1.75;

/** Atomic diffusion volumes (Fuller et al. 1969) and standard atomic masses (IUPAC, g/mol). */
const ATOMS: Record<string, readonly [number, number]> = {
  C: [15.9, 12.011],
  H: [2.31, 1.008],
  O: [6.11, 15.999],
  N: [4.54, 14.007],
  S: [22.9, 32.06],
  F: [14.7, 18.998],
  Cl: [21.0, 35.45],
  Br: [21.9, 79.904],
  I: [29.8, 126.904],
};
/** Diffusion-volume increment of an aromatic or heterocyclic ring (Fuller et al. 1969). */
const RING_VOLUME = -18.3;

/**
 * Molar mass (g/mol) and Fuller diffusion volume of a molecular formula such as "C10H22" (elements
 * C, H, O, N, S, F, Cl, Br, I; each symbol followed by an optional count), with `rings` closed rings.
 * Throws a ProblemError (a RangeError) naming `path` for anything else.
 */
export function formulaProperties(formula: string, rings = 0, path = 'formula'): { molarMass: number; diffusionVolume: number } {
  const token = /([A-Z][a-z]?)(\d*)/y;
  let molarMass = 0;
  let volume = 0;
  let i = 0;
  while (i < formula.length) {
    token.lastIndex = i;
    const m = token.exec(formula);
    const atom = m === null ? undefined : ATOMS[m[1]];
    if (m === null || atom === undefined) {
      throw new ProblemError(path, `cannot read ${JSON.stringify(formula)} at character ${i + 1}; a formula is ` +
        `element symbols (${Object.keys(ATOMS).join(', ')}) each followed by an optional count, e.g. "C10H22"`);
    }
    const n = m[2] === '' ? 1 : Number(m[2]);
    volume += n * atom[0];
    molarMass += n * atom[1];
    i = token.lastIndex;
  }
  volume += rings * RING_VOLUME;
  if (!(molarMass > 0) || !(volume > 0)) {
    throw new ProblemError(path, `${JSON.stringify(formula)} with ${rings} rings gives no positive molar mass ` +
      `and diffusion volume (got ${molarMass} g/mol, ${volume})`);
  }
  return { molarMass, diffusionVolume: volume };
}
