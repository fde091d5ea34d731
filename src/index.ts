/**
 * elution: gas-chromatography column simulation.
 *
 *   problem (validated data)  ->  solver (method + options)  ->  result (arrays, moments, cost, status)
 */
export {
  parseProblem, ProblemError, ProblemTypeError, MAX_OUTPUT_POINTS, MAX_RETENTION,
  type Problem, type Column, type Analyte, type OutputGrid, type VelocityModel,
} from './model/problem.js';
export { btexProblem, programmedProblem, BTEX_C0 } from './model/examples.js';
export {
  phaseRatio, reducedPressure, pressure, velocity, velocityRatio, diffusivity, holdupTime,
  poiseuilleViscosity,
} from './model/flow.js';
export { dimensionlessGroups, type DimensionlessGroups } from './model/groups.js';
export { peakMoments, resolution, type PeakMoments } from './model/moments.js';
export {
  scheduleAt, viscosityAt, temperatureAt, inletPressureAt, outletPressureAt, pressureAt, velocityAt, holdupTimeAt,
  retentionFactorAt, diffusivityAt, localDiffusivityAt, desorptionRateAt,
  type RunConditions, type Schedule, type Viscosity, type CarrierGas, type CarrierControl, type Desorption,
  type AnalyteConditions,
} from './model/conditions.js';
export {
  parseRunProblem, isRunForm, runConditions, paperProblem, meanVelocityAt, columnFlowAt, FLOW_REFERENCE, ML_PER_MIN,
  type RunProblem,
} from './model/run.js';
export {
  parseProgram, ovenSchedule, rampSchedule, breakpointSchedule, quantitySchedule, constantSchedule, scheduleEnd,
  MIN_OVEN_TEMPERATURE, MAX_OVEN_TEMPERATURE,
} from './model/program.js';
export {
  GAS_NAMES, carrierGas, gasViscosity, fullerCoefficient, formulaProperties, ATMOSPHERE, GAS_CONSTANT, type GasName,
} from './model/gases.js';
export {
  kCentricRetention, kCentricLnK, vantHoffRetention, arrheniusDesorption, constantDesorption, filmDesorption,
  dimensionlessFilmThickness, FILM_DIFFUSIVITY_RATIO, type KCentric, type VantHoff, type Arrhenius,
} from './model/retention.js';
export {
  chromatogram, profiles, detectorSignal, MAX_PROFILE_POINTS,
  type LaplaceOptions, type ChromatogramOptions, type ChromatogramResult, type AnalyteChromatogram,
  type ProfileOptions, type ProfileResult,
} from './solvers/laplace.js';
export {
  dispersivePeakMoments, DISPERSION_MAX_TERMS, DISPERSION_TOLERANCE, DISPERSION_WORK_LIMIT, type DispersionOptions,
} from './solvers/dispersion.js';
export { STATUS_MESSAGES, type Status, type StatusCode, type SolveCost } from './solvers/status.js';
export {
  chromatogramCsv, chromatogramCsvChunks, profileCsv, profileCsvChunks, columnsCsv, columnsCsvChunks, readCsvTable, readChromatogramColumns, checkCsvOptions,
  type ChromatogramCsvOptions, type CsvDialectOptions, type CheckedCsvOptions, type CsvTable, type CsvRow,
  type ChromatogramColumns, type CsvSeparator, type DecimalMark, type TimeUnit,
} from './io/csv.js';
export { wasmEngine, loadWasmSync, wasmUrl, WasmEngine } from './engine/wasm.js';
export {
  jsKernels, jsThomasKernels, type ThomasKernels, type LaplaceKernels, type OutletAnalyte, type OutletBatch, type OutletRule, type Detector,
} from './engine/kernels/index.js';
export { loadWasm, type WasmSource } from './engine/wasm.js';
export {
  serveSolver, laplaceOperations, solverOperations, programmedRun, type ProgrammedRun, type ServeOptions, type SolverOperation, type SolverControl,
  type SolverRequest, type SolverReply, type SolverScope,
} from './browser/worker.js';
export { SolverClient, type RunOptions } from './browser/worker-client.js';
export {
  lineChart, standaloneSvg, linearAxis, escapeXml, analyteColor, ANALYTE_COLORS, type Band,
  type ChartSpec, type Series, type AxisSpec, type StyleKey, type LineStyle,
} from './figures/plot.js';
export {
  overloadSeries, overloadLoadings, OVERLOAD_AREA_TOLERANCE, MIN_LOADING, MAX_LANGMUIR_LOADING, MAX_LOADINGS,
  type OverloadOptions, type OverloadSeries, type OverloadCurve,
} from './solvers/overload.js';
export {
  overloadFigure, chromatogramFigure, profileFigure, velocityFigure, pressureFigure, signalFigure, residualFigure,
  type OutletCurves, type CurveLayer, type FigureOptions, type SignalTrace,
} from './figures/figures.js';
export {
  buildReport, buildFitReport, fittedOverloadSeries, reportInputs, figure1Times, BTEX_FIGURE1_TIMES, type FitReportInputs,
  type ReportInputs, type ReportOptions, type ReportSolvers, type Progress, type MeasuredSignal,
  type FitSummary, type FittedAnalyte, type ComparisonResult,
} from './figures/report.js';
export {
  fitChromatogram, parseChromatogramCsv, checkData, DataError, MIN_DATA_POINTS,
  type FitOptions, type FitResult, type FitAnalyte, type AnalyteMechanisms, type FittedIsotherm, type RunMechanisms, type FitBaseline, type BaselineSegment,
} from './solvers/fit/fit.js';
export { parseFitProblem, type FitProblem, type FitSettings, type FitProblemAnalyte, type TimeWindow } from './solvers/fit/problem.js';
export { DEFAULT_MAX_EVALUATIONS, MIN_MAX_EVALUATIONS, SETUP_ALLOWANCE, RESIDUAL_ALLOWANCE, JACOBIAN_ALLOWANCE, FitWork } from './solvers/fit/budget.js';
export {
  levenbergMarquardt, type LeastSquaresProblem, type LeastSquaresOptions, type LeastSquaresResult, type LeastSquaresStop, type LeastSquaresBudget,
} from './solvers/leastsquares.js';
export {
  fdChromatogram, fdChromatogramAsync, fdProfiles, fdGrid, outletWeight, explicitStableStep,
  FD_MEMORY_LIMIT, FD_WORK_LIMIT, FD_DEFAULT_ACCURACY,
  type FdOptions, type FdChromatogramOptions, type FdProfileOptions, type FdScheme, type FdGridInfo,
  type FdChromatogramResult, type FdProfileResult,
} from './solvers/fd.js';
export { jsFdKernels, jsFdProgramKernels, type FdKernels, type FdProgramKernels } from './engine/kernels/index.js';
export {
  fdChromatogramUnderProgram, fdChromatogramUnderProgramAsync, bandPath,
  type FdProgramOptions, type FdProgramResult, type FdProgramAnalyte, type FdProgramGrid, type BandPath,
} from './solvers/fd-program.js';
export {
  MAX_ANALYTES, MAX_DATA_POINTS, MAX_INPUT_BYTES, MAX_FIGURE_POINTS, MEMORY_SHARE, availableMemory, memoryBudget,
  type AvailableMemory,
} from './model/limits.js';
export {
  migrate, MIGRATION_DEFAULT_RTOL, MIGRATION_DEFAULT_MAX_STEPS,
  type MigrationOptions, type MigrationResult, type MigrationAnalyte,
} from './solvers/migration.js';
export { jsMigrationKernels, type MigrationKernels } from './engine/kernels/index.js';
export { jsDispersionKernels, type DispersionKernels } from './engine/kernels/index.js';
export {
  parseRetentionDatabase, parseMeasuredRetention, selectRetention,
  type RetentionEntry, type MeasuredRetention, type MeasuredRetentionOptions,
} from './io/retention.js';
export {
  gaussianChromatogram, migrationChromatogram, gridTimes, peakTimes, MAX_GAUSSIAN_POINTS,
  type MigrationChromatogramOptions, type MigrationChromatogramResult,
  type GaussianOptions, type GaussianMoments, type GaussianAnalyte, type GaussianResult,
} from './solvers/gaussian.js';
export {
  programTraces, flowReferenceOf, programmedRunFigures, programSection, temperatureFigure, holdupFigure,
  pressureProgramFigure, flowFigure, type ProgramTraces, type ProgramFigureOptions, type ProgrammedPeak,
} from './figures/program.js';
export {
  fitRetention, withRetention,
  type RetentionRun, type RetentionStart, type RetentionFitOptions, type RetentionFitResult, type FittedRetention,
  type ParameterRule, type Estimate,
} from './solvers/fit/retention.js';
export {
  predictedOverMeasuredFigure, predictedOverMeasuredSection, type PeakPlacement, type PredictedOverMeasuredOptions,
  type PredictedOverMeasured,
} from './figures/programmed.js';
