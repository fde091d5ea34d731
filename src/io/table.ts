/**
 * Reading a chromatogram CSV (CONFIG.md: header `time,<columns>...`, one row per time, `.` decimal
 * point) into named numeric columns, for plotting files and for the measured data of a report.
 */

export interface CsvColumns {
  /** Column names after `time`. */
  names: string[];
  /** Times (s), strictly ascending. */
  time: Float64Array;
  /** values[k][j]: column names[k] at time[j]. */
  values: Float64Array[];
}

/** Parses a chromatogram CSV; errors name the file, line and column. */
export function readChromatogramTable(text: string, file: string): CsvColumns {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length < 3) throw new Error(`${file}: needs a header row and at least two data rows, got ${lines.length} lines`);
  const header = lines[0].split(',').map((h) => h.trim());
  if (header[0] !== 'time') throw new Error(`${file}: the first column must be "time", got ${JSON.stringify(header[0])}`);
  if (header.length < 2) throw new Error(`${file}: needs at least one column after "time"`);
  const n = lines.length - 1;
  const columns = header.map(() => new Float64Array(n));
  for (let j = 0; j < n; j++) {
    const cells = lines[j + 1].split(',');
    if (cells.length !== header.length) {
      throw new Error(`${file}:${j + 2}: expected ${header.length} values, got ${cells.length}`);
    }
    cells.forEach((c, k) => {
      const v = c.trim() === '' ? NaN : Number(c);
      if (!Number.isFinite(v)) throw new Error(`${file}:${j + 2}: column ${header[k]} is not a finite number: ${JSON.stringify(c)}`);
      columns[k][j] = v;
    });
    if (j > 0 && !(columns[0][j] > columns[0][j - 1])) {
      throw new Error(`${file}:${j + 2}: times must increase, got ${columns[0][j]} after ${columns[0][j - 1]}`);
    }
  }
  return { names: header.slice(1), time: columns[0], values: columns.slice(1) };
}
