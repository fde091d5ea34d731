/**
 * Finite differences with a saturating film (MODEL.md §14): which analytes are coupled, the
 * faces and rates the kernel (assembly/fd-langmuir.ts) takes, the grid and the step bound that
 * keeps every stage positive. The runner is in src/solvers/fd.ts, beside the linear one.
 */
import { diffusivity, phaseRatio, velocity } from '../model/flow.js';
import { isOverloaded, ProblemError, type Analyte, type Problem } from '../model/problem.js';
import { bandVariance } from './fd-grid.js';

/** A group of analytes stepped together: one overloaded analyte, or the Langmuir analytes sharing sites. */
export interface FilmGroup {
  /** Indices into problem.analytes. */
  members: number[];
  /** The members share sites (competitive Langmuir, MODEL.md §14.1). */
  competitive: boolean;
}

/**
 * Error of the MUSCL + SSP-RK3 scheme as a fraction of the peak height per (h / w)^2, w the band
 * width of bandWidth: the grid rule's constant. Measured against the Thomas solution on the 1 m
 * test column (bench/fd-langmuir.js): 0.8-1.9 at K c0/qMax = 0.01, 1.0-1.2 at 0.3, 0.75-1.0 at 3
 * (Langmuir), 1.1-1.5 at 0.7 (anti-Langmuir); 1 puts the delivered error at 0.4-1.0 of the target.
 */
export const LANGMUIR_ERROR_CONSTANT = 1;
/** Share of the positivity bound (MODEL.md §14.3) the automatic step takes. */
export const LANGMUIR_STEP_SHARE = 0.9;
/** Fewest cells of a grid. */
const MIN_CELLS = 16;

/** Whether the problem asks for the saturating-film scheme (any nonlinear isotherm). */
export function hasFilmIsotherm(problem: Problem): boolean {
  return problem.analytes.some(isOverloaded);
}

/**
 * The groups of overloaded analytes: with `competitive` every Langmuir analyte in one group (their
 * film sites are shared) and each anti-Langmuir one alone; otherwise each alone. Linear analytes
 * are in no group (the linear scheme runs them).
 */
export function filmGroups(problem: Problem): FilmGroup[] {
  const groups: FilmGroup[] = [];
  const shared: number[] = [];
  problem.analytes.forEach((a, i) => {
    if (!isOverloaded(a)) return;
    if (problem.competitive && a.isotherm === 'langmuir') shared.push(i);
    else groups.push({ members: [i], competitive: false });
  });
  if (shared.length > 0) groups.unshift({ members: shared, competitive: shared.length > 1 });
  return groups;
}

/** Kernel rates: (ka, kd, 1/qMax, +1 Langmuir or -1 anti-Langmuir) per member. */
export function filmRates(problem: Problem, group: FilmGroup): Float64Array {
  const rates = new Float64Array(4 * group.members.length);
  group.members.forEach((index, i) => {
    const a = problem.analytes[index];
    rates.set([a.ka, a.kd, 1 / (a.qMax as number), a.isotherm === 'anti-langmuir' ? -1 : 1], 4 * i);
  });
  return rates;
}

/** Face velocities u(x_f) (m/s) and conductances D(x_f)/h (m/s) of n cells, none at the inlet and outlet faces. */
export function filmFaces(problem: Problem, d0: number, n: number): { faceU: Float64Array; faceG: Float64Array; h: number } {
  const col = problem.column;
  const h = col.length / n;
  const faceU = new Float64Array(n + 1);
  const faceG = new Float64Array(n + 1);
  for (let f = 0; f <= n; f++) {
    const x = f === n ? col.length : f * h;
    faceU[f] = velocity(col, x);
    if (f > 0 && f < n) faceG[f] = diffusivity(col, d0, x) / h;
  }
  return { faceU, faceG, h };
}

/**
 * Largest film loading q/qMax (sum over a shared group) the step bound allows for: 1 for
 * Langmuir films (the bound keeps theta <= 1), for an anti-Langmuir one twice its plateau
 * value lambda/(1 - lambda), lambda = K c0/qMax < 1.
 */
function loadingBound(a: Analyte): number {
  if (a.isotherm !== 'anti-langmuir') return 0;
  const lambda = (a.ka / a.kd) * a.c0 / (a.qMax as number);
  return (2 * lambda) / (1 - lambda);
}

/**
 * Largest step (s) for which one forward-Euler stage keeps c >= 0 and q >= 0 (and theta <= 1 for
 * Langmuir films) for the members of a group on faces (MODEL.md §14.3): per cell the outflow
 * (limited face values are at most twice the cell's value), the diffusive exchange and the film
 * uptake together at most the cell's content; the film's release at most its content; the
 * saturation rate sum_i ka_i c_i/qMax_i at most 1 per step, with c_i up to twice the group's
 * summed c0 (a displaced analyte rises above its own c0).
 */
export function filmStepBound(problem: Problem, group: FilmGroup, faceU: Float64Array, faceG: Float64Array, h: number): number {
  const n = faceU.length - 1;
  let transport = 0;
  for (let j = 0; j < n; j++) transport = Math.max(transport, (2 * faceU[j + 1] + faceG[j] + faceG[j + 1]) / h);
  const alpha = phaseRatio(problem.column);
  const members = group.members.map((i) => problem.analytes[i]);
  const sumC0 = members.reduce((s, a) => s + a.c0, 0);
  let rate = 0;
  let saturation = 0;
  for (const a of members) {
    rate = Math.max(rate, transport + alpha * a.ka * (1 + loadingBound(a)), a.kd);
    if (a.isotherm === 'langmuir') saturation += (a.ka * 2 * sumC0) / (a.qMax as number);
  }
  return 1 / Math.max(rate, saturation);
}

/** Width of the narrowest band of the group at the outlet (m): the linear band's sigma, narrowed by the loading. */
function bandWidth(problem: Problem, a: Analyte): number {
  const col = problem.column;
  const k = (phaseRatio(col) * a.ka) / a.kd;
  const uL = velocity(col, col.length);
  const sigma = (Math.sqrt(bandVariance(problem, a)) * uL) / (1 + k);
  // the self-sharpening front (or rear) of an overloaded band is narrower by about 1 + K c0/qMax
  const lambda = (a.ka / a.kd) * a.c0 / (a.qMax ?? Infinity);
  return sigma / (1 + lambda);
}

/** Cells of the automatic grid for a group: (h/sigma)^2 LANGMUIR_ERROR_CONSTANT <= accuracy for its narrowest band. */
export function filmCells(problem: Problem, group: FilmGroup, accuracy: number): number {
  const width = Math.min(...group.members.map((i) => bandWidth(problem, problem.analytes[i])));
  const h = width * Math.sqrt(accuracy / LANGMUIR_ERROR_CONSTANT);
  return Math.max(MIN_CELLS, Math.ceil(problem.column.length / h));
}

/** The rule's error for a group on n cells (fraction of the peak height). */
export function filmGridError(problem: Problem, group: FilmGroup, n: number): number {
  const width = Math.min(...group.members.map((i) => bandWidth(problem, problem.analytes[i])));
  const h = problem.column.length / n;
  return LANGMUIR_ERROR_CONSTANT * (h / width) ** 2;
}

/** Refuses what the saturating-film scheme does not take, naming the key. */
export function checkFilmProblem(problem: Problem, scheme: unknown): void {
  const i = problem.analytes.findIndex(isOverloaded);
  if (i < 0) return;
  if (scheme === 'explicit') {
    throw new ProblemError('options.scheme', `"explicit" is the paper's linear scheme; analytes[${i}].isotherm ` +
      `"${problem.analytes[i].isotherm}" is solved by the saturating-film scheme (MODEL.md §14): omit the scheme or use "implicit"`);
  }
}
