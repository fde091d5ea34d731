/**
 * The package exports the page looks for at run time (see adapter.ts); the end-to-end tests read
 * the same names to know which parts to expect. Change a name here if the package's differs.
 */
export const SOLVER_EXPORTS = {
  /** fitChromatogram(problem, {time, signal}, options?) -> { analytes, fitted, status, cost }. */
  fit: 'fitChromatogram',
  /** parseChromatogramCsv(text, {timeColumn?, signalColumn?}) -> {time, signal}. */
  parseCsv: 'parseChromatogramCsv',
  /** Like chromatogram(problem, options) with options.onProgress / options.signal; method 'fd'. */
  fd: 'fdChromatogram',
} as const;
