/**
 * What a fit is asked (FitOptions) and what it answers (FitResult): the fitted constants of every
 * analyte with their standard errors, the baseline, the hold-up time, the fitted curve, why the
 * optimiser stopped and what the fit cost.
 */
import type { LaplaceKernels } from '../../engine/kernels/index.js';
import type { LeastSquaresStop } from '../leastsquares.js';
import type { SolveCost, Status } from '../status.js';
import type { TimeWindow } from './problem.js';

export interface FitOptions {
  /** Kernels: 'wasm' (default), 'js' (plain-TypeScript twin) or an engine object. */
  engine?: 'wasm' | 'js' | LaplaceKernels;
  /** Overrides `fit.maxIterations`. */
  maxIterations?: number;
  /**
   * Overrides `fit.maxEvaluations`: the work limit in chromatogram evaluations (src/solvers/fit/budget.ts;
   * default 80, at least MIN_MAX_EVALUATIONS).
   */
  maxEvaluations?: number;
}

export interface FitAnalyte {
  name: string;
  /** Adsorption rate constant k_a (1/s); α k_a when the phase ratio is folded (unknown geometry). */
  ka: number;
  /** Desorption rate constant k_d (1/s). */
  kd: number;
  /** Equilibrium constant K = k_a/k_d; αK (the retention factor) when the phase ratio is folded. */
  K: number;
  /** Equilibrium film concentration q_e = K c0 (mol/m3); α q_e when folded. */
  qe: number;
  /** β = K_i/K_1, relative to the first analyte listed (the phase ratio cancels). */
  beta: number;
  /** Retention factor αK (dimensionless). */
  retentionFactor: number;
  /** Mean retention time of the fitted peak t_R = tM (1 + αK) + t1/2 (s). */
  retentionTime: number;
  /** Standard deviation of the fitted peak σ (s). */
  sigma: number;
  /** Peak area A (signal units s). */
  area: number;
  /** Response factor f = A û_L/(c0 t1) by (64) (signal per mol/m3); û_L = 1 when folded. */
  response: number;
  /** Sum of squared residuals over the analyte's window (signal units²). */
  sse: number;
  /** Coefficient of determination 1 − SSE/SST over the analyte's window. */
  r2: number;
  /** Standard errors from the covariance σ̂² (JᵀJ)⁻¹ (delta method); Infinity if not identifiable. */
  standardErrors: { ka: number; kd: number; K: number };
  /** Fit window (s) and number of data points in it that were used. */
  window: TimeWindow;
  points: number;
  /** Where the window came from. */
  windowSource: 'given' | 'expected-retention' | 'detected';
  /** Start values (1/s): from the problem or the measured moments. */
  start: { ka: number; kd: number; source: 'problem' | 'moments' };
  /** Whether the fit was restarted from the measured moments after the problem's start failed. */
  restarted: boolean;
  /** Iterations of the (joint) fit. */
  iterations: number;
  /** Evaluations of this analyte's chromatogram (kernel calls). */
  evaluations: number;
  status: Status;
  /**
   * The analyte's mechanisms (MODEL.md §12.7) when the fit has any (fixed or fitted); absent
   * otherwise. `ka`, `kd`, `K` above are then the fast site's.
   */
  mechanisms?: AnalyteMechanisms;
  /**
   * The saturating film of an analyte fitted with `fit.isotherm` "langmuir" or "anti-langmuir"
   * (MODEL.md §13.6); absent for a linear one. `retentionTime` and `sigma` above are then the
   * moments of the fitted (skewed) peak, and `ka`, `kd`, `K` the film's slopes at zero loading.
   */
  isotherm?: FittedIsotherm;
}

/** A fitted saturating film. */
export interface FittedIsotherm {
  form: 'langmuir' | 'anti-langmuir';
  /** Dimensionless loading λ = K c0/qMax (= αK c0/(α qMax) when folded: the same number), and its standard error. */
  loading: number;
  standardError: number | null;
  /**
   * Saturation capacity qMax = K c0/λ (mol/m3 of film) with a known geometry, and its standard
   * error; null when the phase ratio is folded (only λ is identifiable then).
   */
  qMax: number | null;
  qMaxStandardError: number | null;
  /** Whether λ ran down to its floor (NEGLIGIBLE of its start's parameter): the peak is linear. */
  atBound: boolean;
}

/** Diffusion and the slow site of one analyte in a fit with mechanisms. */
export interface AnalyteMechanisms {
  /** Inverse Peclet number D/(u L) (0: none); `diffusivity` D = u0 L/Pe (m2/s) with a known column, else null. */
  inversePeclet: number;
  diffusivity: number | null;
  /** Slow site: α k_a2 (folded) or k_a2 (1/s), k_d2 (1/s), αK2; 0, 0, 0 without one. */
  slowKa: number;
  slowKd: number;
  slowRetentionFactor: number;
  /** Which of them the fit fitted (the others are the problem's). */
  fitted: { diffusion: boolean; slowSite: boolean };
  /** Standard errors (delta method) of the fitted ones; null where fixed or held at a floor. */
  standardErrors: { inversePeclet: number | null; slowKa: number | null; slowKd: number | null };
  /**
   * Fitted parameters that ran down to their floor (mechanisms.ts MECHANISM_FLOORS) and were held
   * there: 'inversePeclet' (the data ask for no diffusion), 'slowRetentionFactor' (no slow site).
   */
  atBound: string[];
}

/** The inlet's and the detector's time constants in a fit with mechanisms. */
export interface RunMechanisms {
  /** τ_i, τ_d (s): fitted, or the problem's (0: none). */
  injectionTime: number;
  detectorTime: number;
  fitted: { injectionTime: boolean; detectorTime: boolean };
  standardErrors: { injectionTime: number | null; detectorTime: number | null };
  /** 'injectionTime' or 'detectorTime' when fitted and held at its floor. */
  atBound: string[];
}

export interface BaselineSegment {
  /** Interval (s) the line serves: a group of overlapping peak windows. */
  start: number;
  end: number;
  /** b(t) = offset + slope (t − referenceTime): reference (s), offset (signal units), slope (per s). */
  referenceTime: number;
  offset: number;
  slope: number;
  standardErrors: { offset: number; slope: number };
}

export interface FitBaseline {
  mode: 'given' | 'estimate' | 'fit';
  drift: 'constant' | 'linear';
  /** 'run': one line for the whole run; 'window': one fitted line per group of windows (`segments`). */
  scope: 'run' | 'window';
  /** Per-window lines when scope is 'window' (the run-wide line below then holds outside them). */
  segments: BaselineSegment[];
  /** b(t) = offset + slope (t − referenceTime): offset (signal units). */
  offset: number;
  /** Slope (signal units per s). */
  slope: number;
  /** Reference time (s). */
  referenceTime: number;
  /** Standard errors of offset and slope when fitted; null otherwise. */
  standardErrors: { offset: number; slope: number } | null;
}

export interface FitResult {
  analytes: FitAnalyte[];
  /** The model over the (cropped) measured times (s; signal units). */
  fitted: { time: Float64Array; signal: Float64Array; baseline: Float64Array; measured: Float64Array };
  baseline: FitBaseline;
  /** Gas hold-up time tM (s): from the column, given, or fitted with its standard error. */
  holdupTime: { value: number; mode: 'column' | 'given' | 'fitted'; standardError: number | null };
  /** Phase ratio α = 2δ/R, or null when the geometry is unknown (then folded into k_a, K, q_e). */
  phaseRatio: number | null;
  phaseRatioFolded: boolean;
  /** Estimated noise standard deviation of the data (signal units), from first differences. */
  noise: number;
  /** Points and parameters of the least-squares problem; SSE and R² over all fitted points. */
  points: number;
  parameters: number;
  sse: number;
  r2: number;
  iterations: number;
  /** Why the optimiser stopped (LeastSquaresStop). */
  stop: LeastSquaresStop;
  status: Status;
  /** The inlet's and detector's time constants when the fit has mechanisms; absent otherwise. */
  mechanisms?: RunMechanisms;
  /**
   * Work: `chromatogramEvaluations` is the counted work in evaluations of the whole model on the
   * grid (src/solvers/fit/budget.ts: kernel calls / analytes plus allowances), never above
   * `maxEvaluations`; `kernelCalls` the chromatogram kernel calls (one analyte each), in
   * `residualEvaluations` evaluations of the model and `jacobianEvaluations` Jacobians;
   * `evaluations` the density evaluations inside the kernel calls.
   */
  cost: SolveCost & {
    chromatogramEvaluations: number; maxEvaluations: number; kernelCalls: number;
    residualEvaluations: number; jacobianEvaluations: number;
  };
}
