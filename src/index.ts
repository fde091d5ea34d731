/**
 * elution: gas-chromatography column simulation.
 *
 *   problem (validated data)  ->  solver (method + options)  ->  result (arrays, moments, cost, status)
 */
export {
  parseProblem, ProblemError, ProblemTypeError, MAX_OUTPUT_POINTS, MAX_RETENTION,
  type Problem, type Column, type Analyte, type OutputGrid, type VelocityModel,
} from './problem.js';
export { btexProblem, BTEX_C0 } from './examples.js';
export {
  phaseRatio, reducedPressure, pressure, velocity, velocityRatio, diffusivity, holdupTime,
  poiseuilleViscosity,
} from './flow.js';
export { dimensionlessGroups, type DimensionlessGroups } from './groups.js';
export { peakMoments, resolution, type PeakMoments } from './moments.js';
export {
  chromatogram, profiles, detectorSignal, MAX_PROFILE_POINTS,
  type LaplaceOptions, type ChromatogramOptions, type ChromatogramResult, type AnalyteChromatogram,
  type ProfileOptions, type ProfileResult,
} from './laplace.js';
export { STATUS_MESSAGES, type Status, type StatusCode, type SolveCost } from './status.js';
export { chromatogramCsv, profileCsv } from './csv.js';
export { wasmEngine, loadWasmSync, wasmUrl, WasmEngine } from './wasm.js';
export { jsKernels, type LaplaceKernels } from './kernels/index.js';
export { loadWasm, type WasmSource } from './wasm.js';
export {
  serveSolver, laplaceOperations, solverOperations, type ServeOptions, type SolverOperation, type SolverControl,
  type SolverRequest, type SolverReply, type SolverScope,
} from './worker.js';
export { SolverClient, type RunOptions } from './worker-client.js';
export {
  lineChart, standaloneSvg, linearAxis, escapeXml, analyteColor, ANALYTE_COLORS,
  type ChartSpec, type Series, type AxisSpec, type StyleKey, type LineStyle,
} from './plot.js';
export {
  chromatogramFigure, profileFigure, velocityFigure, pressureFigure, signalFigure, residualFigure,
  type OutletCurves, type CurveLayer, type FigureOptions, type SignalTrace,
} from './figures.js';
export {
  buildReport, reportInputs, figure1Times, BTEX_FIGURE1_TIMES,
  type ReportInputs, type ReportOptions, type ReportSolvers, type Progress, type MeasuredSignal,
  type FitSummary, type FittedAnalyte, type ComparisonResult,
} from './report.js';
export {
  fitChromatogram, parseChromatogramCsv, checkData, DataError, MIN_DATA_POINTS,
  type FitOptions, type FitResult, type FitAnalyte, type FitBaseline, type BaselineSegment,
} from './fit.js';
export { parseFitProblem, type FitProblem, type FitSettings, type FitProblemAnalyte, type TimeWindow } from './fitproblem.js';
export { DEFAULT_MAX_EVALUATIONS, MIN_MAX_EVALUATIONS, SETUP_ALLOWANCE, RESIDUAL_ALLOWANCE, JACOBIAN_ALLOWANCE, FitWork } from './fitbudget.js';
export {
  levenbergMarquardt, type LeastSquaresProblem, type LeastSquaresOptions, type LeastSquaresResult, type LeastSquaresStop, type LeastSquaresBudget,
} from './leastsquares.js';
export {
  fdChromatogram, fdChromatogramAsync, fdProfiles, fdGrid, outletWeight, explicitStableStep,
  FD_MEMORY_LIMIT, FD_WORK_LIMIT, FD_DEFAULT_ACCURACY,
  type FdOptions, type FdChromatogramOptions, type FdProfileOptions, type FdScheme, type FdGridInfo,
  type FdChromatogramResult, type FdProfileResult,
} from './fd.js';
export { jsFdKernels, type FdKernels } from './kernels/index.js';
