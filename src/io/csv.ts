/**
 * CSV writers for the formats of CONFIG.md. Numbers are written in their shortest round-trip
 * form, so a file read back gives the same doubles.
 */
import type { ChromatogramResult, ProfileResult } from '../solvers/laplace.js';
import { checkData, DataError } from '../solvers/fit/data.js';

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

/**
 * Reads a measured chromatogram (CONFIG.md): a header row, then comma-separated numbers.
 * Columns `time` (s) and `signal` by default. Checks every value; see `checkData` for the rules.
 */
export function parseChromatogramCsv(
  text: string, options: { timeColumn?: string; signalColumn?: string } = {},
): { time: Float64Array; signal: Float64Array } {
  const timeColumn = options.timeColumn ?? 'time';
  const signalColumn = options.signalColumn ?? 'signal';
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((s) => s.trim());
  const ti = header.indexOf(timeColumn);
  const si = header.indexOf(signalColumn);
  if (ti < 0 || si < 0) {
    const missing = ti < 0 ? timeColumn : signalColumn;
    throw new DataError('data header', `has no column ${JSON.stringify(missing)}; columns: ${header.join(', ') || '(none)'}`);
  }
  const time: number[] = [];
  const signal: number[] = [];
  for (let r = 1; r < lines.length; r++) {
    const line = lines[r].trim();
    if (line === '') continue;
    const cells = line.split(',');
    const read = (c: number, name: string): number => {
      const cell = (cells[c] ?? '').trim();
      const x = cell === '' ? NaN : Number(cell);
      if (!Number.isFinite(x)) {
        throw new DataError(`data line ${r + 1}`, `${name} must be a finite number, got ${JSON.stringify(cells[c] ?? '')}`);
      }
      return x;
    };
    time.push(read(ti, timeColumn));
    signal.push(read(si, signalColumn));
  }
  const data = { time: Float64Array.from(time), signal: Float64Array.from(signal) };
  checkData(data);
  return data;
}
