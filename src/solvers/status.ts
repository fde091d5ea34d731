/** Solver status codes and their meaning, in one table (as SciPy's integrators do). */

export type StatusCode = 'success' | 'inaccurate' | 'converged' | 'max-iterations' | 'no-descent'
  | 'holdup-at-bound' | 'max-evaluations' | 'non-finite' | 'off-grid'
  | 'eluted' | 'eluted-after-program' | 'step-limit' | 'not-eluted';

export const STATUS_MESSAGES: Readonly<Record<StatusCode, string>> = {
  success: 'solved; the quadrature reproduces every peak area to better than 1e-12 of the injected amount',
  inaccurate: 'solved, but the solver\'s own accuracy check failed (without diffusion: the quadrature of the peak ' +
    'area missed by more than 1e-12 of the injected amount; with diffusion: the estimate exceeds 1e-8 of a peak height)',
  'off-grid': 'solved, but a peak lies outside the output times or between too few of them (see the warnings): ' +
    'the located height and the area of those analytes are not their peak\'s; widen or refine output',
  'non-finite': 'the solution holds a non-finite number (NaN or Infinity), so it is not one; please report it with the input',
  converged: 'fit converged: the step, the cost change or the gradient fell below its tolerance',
  'max-iterations': 'fit stopped at the iteration limit before converging; raise fit.maxIterations or start closer',
  'max-evaluations': 'fit stopped at its work limit (fit.maxEvaluations chromatogram evaluations) before converging; ' +
    'the parameters are the best reached, with their R²; raise fit.maxEvaluations or start closer',
  'holdup-at-bound': 'fit converged with the hold-up time held at its lower bound (1e-3 of the first travel time): ' +
    'the peaks are more symmetric than the kinetic model allows (a fronting peak?); give fit.holdupTime',
  eluted: 'reached the outlet within the programme, each step of the migration equations held to the relative tolerance',
  'eluted-after-program': 'reached the outlet after the programme\'s last breakpoint, with the last temperature, ' +
    'pressure or flow held from then on',
  'step-limit': 'stopped at the step limit (options.maxSteps) before the outlet; the time and width are those at the position reached',
  'not-eluted': 'did not reach the outlet: past options.maxTime, or the retention factor or the velocity left the ' +
    'range of numbers; the time and width are those at the position reached',
  'no-descent': 'fit stopped: no step lowers the cost even with the largest damping (a poor start or a model that cannot match the data)',
};

export interface Status {
  code: StatusCode;
  message: string;
}

/** The status of a code, its message followed by `detail` (what and where) when given. */
export function status(code: StatusCode, detail?: string): Status {
  return { code, message: STATUS_MESSAGES[code] + (detail ? `: ${detail}` : '') };
}

/** What a solve cost. */
export interface SolveCost {
  /** Which kernels ran: 'wasm' or the plain-TypeScript twin 'js'. */
  engine: string;
  /** Evaluations of the integrand (the residence-time density). */
  evaluations: number;
  /** Wall-clock time of the solve (ms). */
  wallTimeMs: number;
}
