// Writes examples/leppert-{A,B,C}.json: the temperature programmes A, B and C of Leppert et al.
// (2020) as run-form problems (CONFIG.md, "Run conditions"), with the 22 n-alkanes and their
// K-centric parameters from the MIT-licensed database of GasChromatographySimulator.jl, read from
// ../shared/data/leppert2020b (examples/README.md: source and licence).
//
//   npm run build && node scripts/leppert-examples.mjs [data directory]
//
// Conditions as GasChromatographySimulator.jl sets them up for these runs: column 11.18 m x
// 0.104 mm, film 0.104 um (FS5ms), H2 at 411 564 Pa absolute inlet pressure, 101 300 Pa outlet.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRetentionDatabase } from '../dist/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = process.argv[2] ?? join(root, '..', 'shared', 'data', 'leppert2020b');
const database = parseRetentionDatabase(readFileSync(join(dataDir, 'Database_Leppert2020b.csv'), 'utf8'), { phase: 'FS5ms' });

/** Programmes in GC notation (°C, °C/min, min): 40 °C for 1 min, a ramp to 300 °C, 3 min there. */
const PROGRAMMES = { A: '40(1)-10-300(3)', B: '40(1)-15-300(3)', C: '40(1)-5-300(3)' };

/** Carbon number of an n-alkane named Cn. */
const carbons = (name) => Number(/^C(\d+)$/.exec(name)[1]);

for (const [id, program] of Object.entries(PROGRAMMES)) {
  const problem = {
    column: { length: 11.18, radius: 0.052e-3, filmThickness: 0.104e-6 },
    carrier: { gas: 'H2', inletPressure: 411564, outletPressure: 101300 },
    oven: { program },
    // A short pulse: the measured peaks (sigma 0.3-0.6 s) come from the column, not the injection.
    injection: { duration: 0.05 },
    analytes: database.map((e) => ({
      name: e.name,
      c0: 1e-3,
      retention: { Tchar: round(e.Tchar), thetaChar: e.thetaChar, dCp: e.dCp, phi0: e.phi0 },
      // Fuller diffusivities from the formula; k_d from diffusion in the film (the default).
      diffusion: { formula: `C${carbons(e.name)}H${2 * carbons(e.name) + 2}` },
    })),
  };
  writeFileSync(join(root, 'examples', `leppert-${id}.json`), JSON.stringify(problem, null, 2) + '\n');
}

/** T_char in K, the °C of the file plus 273.15, without the binary tail (118.09 + 273.15 = 391.24000000000001). */
function round(x) {
  return Number(x.toFixed(10));
}
