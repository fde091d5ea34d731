// Run conditions (src/model/conditions.ts) of Leppert et al. 2020's programme A for the alkanes of
// ../shared/data/leppert2020b/Database_Leppert2020b.csv (conditions in that folder's README):
// column 11.18 m x 0.104 mm, film 0.104 um, H2, inlet 411564 Pa abs, outlet 101300 Pa,
// 40 C for 60 s, 10 C/min to 300 C, hold 180 s. Retention from Blumberg's K-centric parameters
// (ln k = (Tchar/thetachar + dCp/R)(Tchar/T - 1) + (dCp/R) ln(T/Tchar), the column's phase
// ratio being the data's phi0), diffusion by Fuller-Schettler-Giddings in H2, film desorption,
// Golay's radial term. Used by the benchmark and the tests of the programmed FD solver.
import { readFileSync } from 'node:fs';

const R = 8.31446261815324;
/** Blumberg's viscosity of H2 (eta0 at 273.15 K, xi0, xi1). */
const H2 = { eta0: 8.382e-6, T0: 273.15, xi0: 0.6892, xi1: 0.005 };
/** Fuller diffusion volumes: C, H, and H2; molar masses (g/mol). */
const V_C = 15.9;
const V_H = 2.31;
const V_H2 = 6.12;
const M_H2 = 2.016;

/** Fuller-Schettler-Giddings: D = coefficient T^1.75 / p (m2/s, K, Pa) of CnH2n+2 in H2. */
function fullerCoefficient(carbons) {
  const m = 12.011 * carbons + 1.008 * (2 * carbons + 2);
  const v = V_C * carbons + V_H * (2 * carbons + 2);
  const s = Math.cbrt(v) + Math.cbrt(V_H2);
  // 1e-3 T^1.75 sqrt(1/Ma + 1/Mb) / (p[atm] s^2) cm2/s
  return (1e-7 * 101325 * Math.sqrt(1 / m + 1 / M_H2)) / (s * s);
}

function schedule(times, values) {
  return { times: Float64Array.from(times), values: Float64Array.from(values) };
}

/** The alkanes of the database: name, carbons, Tchar (K), thetachar (K), dCp (J/mol/K). */
export function leppertAlkanes(csvPath) {
  const lines = readFileSync(csvPath, 'utf8').trim().split(/\r?\n/);
  const head = lines[0].split(',');
  const col = (name) => head.indexOf(name);
  return lines.slice(1).map((l) => l.split(',')).filter((f) => f[col('Cat_1')] === 'alkane').map((f) => ({
    name: f[col('Name')],
    carbons: Number(f[col('Name')].slice(1)),
    Tchar: Number(f[col('Tchar')]) + 273.15,
    thetaChar: Number(f[col('thetachar')]),
    dCp: Number(f[col('DeltaCp')]),
  }));
}

/** ln k = a + b/T + c ln T of the K-centric model at the data's phase ratio. */
export function kCentric(Tchar, thetaChar, dCp) {
  const c = dCp / R;
  const A = Tchar / thetaChar + c;
  return { a: -A - c * Math.log(Tchar), b: A * Tchar, c };
}

/** Programme A (or another of the README's, as breakpoints in s and C). */
export function leppertConditions(alkanes, { program = [[0, 40], [60, 40], [1620, 300], [1800, 300]], pulse = 0.5 } = {}) {
  return {
    length: 11.18,
    radius: 0.104e-3 / 2,
    filmThickness: 0.104e-6,
    temperature: schedule(program.map((p) => p[0]), program.map((p) => p[1] + 273.15)),
    gas: { name: 'H2', viscosity: H2, molarMass: M_H2, diffusionVolume: V_H2 },
    control: { kind: 'pressure', inlet: schedule([0], [411564]), outlet: schedule([0], [101300]) },
    injection: { duration: pulse },
    analytes: alkanes.map((s) => ({
      name: s.name,
      c0: 1,
      retention: kCentric(s.Tchar, s.thetaChar, s.dCp),
      desorption: { kind: 'film', ratio: 1e4 },
      diffusion: { coefficient: fullerCoefficient(s.carbons), exponent: 1.75 },
      radialDispersion: true,
    })),
  };
}
