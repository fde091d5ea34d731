/**
 * The work budget of a fit, counted in chromatogram evaluations: one evaluation of the problem's
 * whole model (every analyte, one kernel call each) on the measured time grid. A fit must never
 * cost more than 100 of them; it stops at `DEFAULT_MAX_EVALUATIONS` (status `max-evaluations`,
 * best parameters so far), which leaves a margin for what the count below cannot see (timer
 * noise, garbage collection).
 *
 * What is counted, so that the count bounds the wall time of the fit divided by that of one
 * evaluation:
 * - each kernel call (one analyte's chromatogram) is 1/n_analytes evaluation. The calls of the
 *   fit run on the fitted points only, a subset of the grid, so this over-counts them (on the
 *   real runs a fit's call costs about 0.4 of a call on the whole grid);
 * - work outside the kernels is charged by allowances: a fixed one per fit (crop, robust
 *   baseline, peak windows, moments, covariance, statistics), one per residual evaluation
 *   (assembly of Σ A_i h_i + baseline) and one per Jacobian evaluation (its exact columns, the
 *   normal equations and the damped solves of an iteration). They were measured on the cases of
 *   bench/fit.js (1 to 5 analytes, 401 to 8000 points) as (fit time − time inside the kernels) /
 *   evaluation time, medians on a shared machine: 2.5 to 6 per fit and about 0.2 per residual or
 *   Jacobian evaluation; the constants round these up by about 1.5 to 2.
 *
 * The count is deterministic (kernel calls, not time), so a result does not depend on the load of
 * the machine, and the tests check it.
 */

/** Default work limit of a fit (chromatogram evaluations). */
export const DEFAULT_MAX_EVALUATIONS = 80;

/**
 * Fixed allowance per fit (chromatogram evaluations): setup, covariance and statistics (the final
 * evaluation of the model on the whole grid is counted by its kernel calls, and reserved).
 */
export const SETUP_ALLOWANCE = 8;

/** Allowance per residual evaluation beyond its kernel calls (chromatogram evaluations). */
export const RESIDUAL_ALLOWANCE = 0.4;

/** Allowance per Jacobian evaluation beyond its kernel calls (chromatogram evaluations). */
export const JACOBIAN_ALLOWANCE = 0.4;

/**
 * The smallest accepted limit: the fixed allowance, the start's residual (its kernel calls once,
 * its assembly twice: the domain check before the fit and the optimiser's first residual, which
 * reuses the shapes), one Jacobian with a hold-up column (2 + 1 kernel calls per analyte) and the
 * final evaluation on the whole grid, which every fit does.
 */
export const MIN_MAX_EVALUATIONS = SETUP_ALLOWANCE + (1 + 2 * RESIDUAL_ALLOWANCE) + (3 + JACOBIAN_ALLOWANCE) + 1;

/**
 * Allowances per residual and per Jacobian evaluation of a fit with mechanisms (mechanisms.ts), in
 * evaluations of its own chromatogram (the inversion of MODEL.md §12, cheap where the peaks are
 * narrow: 0.16-0.23 ms for the real runs' 6000 points): its work outside the kernels per residual
 * or Jacobian, measured on the real runs with diffusion and slow sites on N2 and CO as (fit time −
 * kernel calls / analytes − 8) / (residuals + Jacobians) in such evaluations, was 1.9-3.3 (load
 * average 5-7 on 2 cores); rounded up.
 */
export const MECHANISM_ALLOWANCE = { residual: 4, jacobian: 4 };

/**
 * Default work limit of a fit with a saturating film (`fit.isotherm`, MODEL.md §13.6): the whole
 * 100. Its chromatogram evaluation includes the Thomas kernel, about 50 times the linear one per
 * time (MODEL.md §13.4), while the allowances above, measured in evaluations of the linear
 * chromatogram, are unchanged: counted in the dearer unit they are over-counted by that ratio,
 * and that over-count is the margin the plain fit's 80 keeps.
 */
export const DEFAULT_MAX_EVALUATIONS_ISOTHERM = 100;

/** Counts the work of one fit in chromatogram evaluations. */
export class FitWork {
  /** Kernel calls (one analyte's chromatogram each). */
  kernelCalls = 0;
  /** Residual evaluations (of the whole model on the fitted points). */
  residuals = 0;
  /** Jacobian evaluations. */
  jacobians = 0;

  /**
   * `analytes`: number of analytes of the problem (kernel calls per chromatogram evaluation);
   * `allowance`: per residual and per Jacobian evaluation (a fit with mechanisms has its own,
   * MECHANISM_ALLOWANCE).
   */
  constructor(readonly analytes: number, readonly allowance = { residual: RESIDUAL_ALLOWANCE, jacobian: JACOBIAN_ALLOWANCE }) {}

  /** Work so far (chromatogram evaluations), the fixed allowance included. */
  get evaluations(): number {
    return SETUP_ALLOWANCE + this.kernelCalls / this.analytes
      + this.allowance.residual * this.residuals + this.allowance.jacobian * this.jacobians;
  }

  /** Upper bound of the work of one residual evaluation (chromatogram evaluations). */
  get residualCost(): number {
    return 1 + this.allowance.residual;
  }

  /** Upper bound of the work of one Jacobian with `perAnalyte` kernel calls per analyte. */
  jacobianCost(perAnalyte: number): number {
    return perAnalyte + this.allowance.jacobian;
  }
}
