/**
 * CSV writers for the formats of CONFIG.md. Numbers are written in their shortest round-trip
 * form, so a file read back gives the same doubles.
 */
import type { ChromatogramResult, ProfileResult } from '../solvers/laplace.js';

function rows(header: string[], columns: ArrayLike<number>[]): string {
  const n = columns[0]?.length ?? 0;
  const out: string[] = [header.join(',')];
  for (let j = 0; j < n; j++) {
    let line = String(columns[0][j]);
    for (let c = 1; c < columns.length; c++) line += ',' + String(columns[c][j]);
    out.push(line);
  }
  return out.join('\n') + '\n';
}

/** `time,<analyte 1>,...[,signal]`: outlet concentrations (mol/m3) and the detector signal. */
export function chromatogramCsv(result: ChromatogramResult): string {
  const header = ['time', ...result.analytes.map((a) => a.name)];
  const columns: ArrayLike<number>[] = [result.times, ...result.analytes.map((a) => a.concentration)];
  if (result.signal) {
    header.push('signal');
    columns.push(result.signal);
  }
  return rows(header, columns);
}

/** `x,<analyte 1>,...`: concentrations (mol/m3) along the column at times[index]. */
export function profileCsv(result: ProfileResult, index = 0): string {
  return rows(['x', ...result.analyteNames], [result.x, ...result.concentrations[index]]);
}
