/**
 * The one module that owns the WebAssembly instance and its linear memory.
 *
 * Memory above the kernels' heap base is managed here as a stack of Float64 arrays:
 * `alloc` pushes, `release(mark)` pops back. The copying API (what the solvers use) pushes its
 * inputs, runs a kernel and pops; callers who keep their data in wasm memory allocate once and
 * call the `*At` kernels with pointers (zero copy). Typed-array views are made afresh after
 * every allocation, because growing the memory detaches the old ones.
 */
import { instantiate, instantiateSync } from '@assemblyscript/loader';
import {
  outletRuleCode, type Detector, type DispersionKernels, type FdKernels, type FdProgramKernels, type LaplaceKernels, type OutletAnalyte, type OutletBatch,
  type OutletRule, type MigrationKernels, type ThomasKernels,
} from './kernels/index.js';
import { ProblemError, ProblemTypeError } from '../model/problem.js';
import { MAX_ANALYTES } from '../model/limits.js';
import { fdLangmuirWork } from './kernels/fd-langmuir.js';
import { ANALYTE_STRIDE, OUT_STRIDE, P_BREAKPOINTS, PLAN_HEADER } from './kernels/migration.js';
import { FRAME_COEFFICIENTS, FRAME_KERNEL_WORK_PER_CELL, FRAME_STATE, FRAME_WORK_PER_CELL } from './kernels/fd-frame.js';
import {
  arrayArgument, arrayArguments, countArgument, dispersionArguments, fdExplicitLengths, fdImplicitLengths, fdLangmuirLengths, fdProgramLengths, finiteArgument, finiteArguments,
  MAX_COUNT, windowArgument, type Lengths,
} from './arguments.js';

interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  scaledBesselI1(z: number): number;
  outletConcentration(
    times: number, n: number, holdup: number, retention: number, kd: number, pulse: number,
    scale: number, out: number): number;
  pointConcentration(
    n: number, times: number, holdups: number, retentions: number, scales: number, kd: number,
    pulse: number, out: number): number;
  adsorbedFraction(retention: number): number;
  supportIntegral(): number;
  trapezoidAndMaximum(times: number, c: number, n: number): number;
  largestIndex(): number;
  addScaled(sum: number, c: number, n: number, factor: number): void;
  setOutletRule(rule: number): void;
  fdImplicitAdvance(
    n: number, lower2: number, lower: number, diag: number, upper: number, alpha: number, ka: number, kd: number,
    c: number, q: number, work: number, steps: number, dts: number, sources: number, outlet: number,
    theta: number, window: number, negligible: number, margin: number): number;
  fdExplicitAdvance(
    n: number, lower: number, diag: number, upper: number, alpha: number, ka: number, kd: number,
    c: number, q: number, scratch: number, steps: number, dts: number, sources: number, outlet: number,
    inletWeight: number, inletCoupling: number): number;
  fdLangmuirAdvance(
    n: number, m: number, h: number, alpha: number, faceU: number, faceG: number, rates: number, inflow: number,
    c: number, q: number, work: number, steps: number, dts: number, sources: number, outlet: number): number;
  migrate(plan: number, analytes: number, n: number, out: number): number;
  dispersiveConcentration(
    times: number, n: number, holdup: number, inversePeclet: number, retention: number, kd: number, pulse: number,
    position: number, scale: number, tolerance: number, maxTerms: number, work: number, out: number): number;
  dispersionError(): number;
  dispersionWindowStart(): number;
  dispersionWindowPeriod(): number;
  setDispersionMechanisms(slowRetention: number, slowKd: number, injection: number, detector: number): void;
  setDispersionColumn(pressureRatio: number): void;
  thomasConcentration(
    times: number, n: number, holdup: number, retention: number, kd: number, kappa: number, pulse: number,
    scale: number, out: number): number;
  fdProgramAdvance(
    n: number, h: number, length: number, alpha: number, c: number, q: number, work: number, steps: number,
    coefficients: number, outlet: number, window: number, negligible: number, margin: number): number;
  fdFrameAdvance(
    m: number, h: number, length: number, alpha: number, c: number, q: number, work: number, steps: number,
    coefficients: number, times: number, count: number, values: number, state: number): number;
}

const PAGE = 65536;
/** The largest wasm32 memory: 65536 pages of 64 KiB. */
const MAX_MEMORY = 65536 * PAGE;

/**
 * The wasm kernels with a copying API (plain Float64Arrays) and a zero-copy API (pointers).
 * Every public call checks its arguments first (src/engine/arguments.ts): a bad one throws a
 * RangeError or TypeError and leaves the engine as it was.
 */
export class WasmEngine implements LaplaceKernels, FdKernels, FdProgramKernels, MigrationKernels, DispersionKernels, ThomasKernels {
  readonly name = 'wasm';
  private k!: KernelExports;
  private base!: number;
  private top!: number;

  /** `module`, the compiled kernels, lets `reset` instantiate them afresh. */
  constructor(exports: KernelExports, private readonly module?: WebAssembly.Module) {
    this.attach(exports);
  }

  private attach(exports: KernelExports): void {
    this.k = exports;
    this.base = (exports.heapBase() + 15) & ~15;
    this.top = this.base;
  }

  /**
   * Drops the instance with its memory and instantiates the kernels afresh. Wasm memory grows
   * but never shrinks, so this is how the memory of a large request is given back (to the
   * initial size). Every pointer from `alloc` and every view taken before is invalid afterwards.
   */
  reset(): void {
    if (!this.module) throw new TypeError('reset: this engine was made without its compiled module');
    this.attach(instantiateSync<Record<string, unknown>>(this.module, kernelImports()).exports as unknown as KernelExports);
  }

  /** Size of linear memory in bytes. */
  get memoryBytes(): number {
    return this.k.memory.buffer.byteLength;
  }

  /** Reserves `length` f64 in wasm memory and returns its byte offset (pointer). */
  alloc(length: number): number {
    countArgument('alloc', 'length', length, 0, Math.floor((MAX_MEMORY - this.top) / 8));
    const ptr = this.top;
    const end = ptr + 8 * length;
    const have = this.k.memory.buffer.byteLength;
    try {
      if (end > have) this.k.memory.grow(Math.ceil((end - have) / PAGE));
    } catch (err) {
      throw new RangeError(`alloc: cannot grow wasm memory to ${end} bytes for length ${length} (${(err as Error).message})`);
    }
    this.top = end;
    return ptr;
  }

  /** A view of `length` f64 at `ptr` (from `alloc`); take a new one after any `alloc` (memory may have grown). */
  view(ptr: number, length: number): Float64Array {
    this.region('view', 'ptr', ptr, countArgument('view', 'length', length));
    return new Float64Array(this.k.memory.buffer, ptr, length);
  }

  /** Current top of the allocation stack, for `release`. */
  mark(): number {
    return this.top;
  }

  /** Frees everything allocated after `mark` was taken. */
  release(mark: number): void {
    countArgument('release', 'mark', mark, this.base, this.top);
    if ((mark - this.base) % 8 !== 0) throw new RangeError(`release: mark ${mark} is not a live mark`);
    this.top = mark;
  }

  /**
   * `length` f64 at pointer `ptr` lie in memory from `alloc` (between the heap base and the top
   * of the allocation stack, in whole f64 from the base): else a kernel would read or overwrite
   * memory it does not own.
   */
  private region(call: string, name: string, ptr: unknown, length: number): void {
    const p = countArgument(call, name, ptr, this.base, this.top);
    if ((p - this.base) % 8 !== 0 || p + 8 * length > this.top) {
      throw new RangeError(`${call}: ${name} = ${p} with ${length} f64 is not inside memory from alloc ` +
        `(${this.base} to ${this.top}, in steps of 8 bytes)`);
    }
  }

  /** Every pointer of a zero-copy call lies in memory from `alloc`, with the length its kernel uses. */
  private regions(call: string, pointers: Record<string, unknown>, lengths: Lengths): void {
    for (const [name, length] of Object.entries(lengths)) this.region(call, name, pointers[name], length);
  }

  /** One view of all of memory, made afresh only when memory has grown (the copies use it). */
  private heap = new Float64Array(0);

  private memoryF64(): Float64Array {
    if (this.heap.buffer !== this.k.memory.buffer) this.heap = new Float64Array(this.k.memory.buffer);
    return this.heap;
  }

  private copyIn(data: Float64Array): number {
    const ptr = this.alloc(data.length);
    this.memoryF64().set(data, ptr >>> 3);
    return ptr;
  }

  /** Copies out.length f64 from `ptr` into out (element by element when few: no view is made). */
  private copyOut(ptr: number, out: Float64Array): void {
    const heap = this.memoryF64();
    const at = ptr >>> 3;
    if (out.length <= 16) for (let i = 0; i < out.length; i++) out[i] = heap[at + i];
    else out.set(heap.subarray(at, at + out.length));
  }

  scaledBesselI1(z: number): number {
    return this.k.scaledBesselI1(finiteArgument('scaledBesselI1', 'z', z));
  }

  adsorbedFraction(retention: number): number {
    return this.k.adsorbedFraction(finiteArgument('adsorbedFraction', 'retention', retention));
  }

  outletConcentration(
    times: Float64Array, holdup: number, retention: number, kd: number, pulse: number, scale: number,
    out: Float64Array,
  ): number {
    const call = 'outletConcentration';
    const n = arrayArgument(call, 'times', times, 0).length;
    arrayArgument(call, 'out', out, n);
    finiteArguments(call, { holdup, retention, kd, pulse, scale });
    const mark = this.top;
    try {
      const t = this.copyIn(times);
      const o = this.alloc(n);
      const evals = this.k.outletConcentration(t, n, holdup, retention, kd, pulse, scale, o);
      this.copyOut(o, out.subarray(0, n));
      return evals;
    } finally {
      this.top = mark;
    }
  }

  /** The Thomas solution at one position (see ThomasKernels); copies times in and c out. */
  thomasConcentration(
    times: Float64Array, holdup: number, retention: number, kd: number, kappa: number, pulse: number, scale: number,
    out: Float64Array,
  ): number {
    const call = 'thomasConcentration';
    const n = arrayArgument(call, 'times', times, 0).length;
    arrayArgument(call, 'out', out, n);
    finiteArguments(call, { holdup, retention, kd, kappa, pulse, scale });
    if (!(retention >= 0)) throw new RangeError(`${call}: retention must be >= 0, got ${retention}`);
    if (!(kd > 0)) throw new RangeError(`${call}: kd must be > 0 (1/s), got ${kd}`);
    if (!(kd + kappa > 0)) throw new RangeError(`${call}: kappa must be above -kd = ${-kd} (1/s), got ${kappa}`);
    const mark = this.top;
    try {
      const t = this.copyIn(times);
      const o = this.alloc(n);
      const evals = this.k.thomasConcentration(t, n, holdup, retention, kd, kappa, pulse, scale, o);
      this.copyOut(o, out.subarray(0, n));
      return evals;
    } finally {
      this.top = mark;
    }
  }

  /** Forces the quadrature rule of outletConcentration (see LaplaceKernels.setOutletRule). */
  setOutletRule(rule: OutletRule): void {
    this.k.setOutletRule(outletRuleCode(rule));
  }

  /**
   * A chromatogram's kernel work on one grid (see LaplaceKernels): the times are copied in once;
   * areas, maxima and the signal are summed in wasm memory while each result is there. The
   * results leave into one new block, of which each returned array is a view (one allocation
   * instead of one per analyte: for small grids the allocations cost more than the copies).
   */
  outletConcentrations(
    times: Float64Array, holdup: number, pulse: number, analytes: readonly OutletAnalyte[], detector?: Detector | null,
  ): OutletBatch {
    const call = 'outletConcentrations';
    arrayArgument(call, 'times', times, 0);
    finiteArguments(call, { holdup, pulse });
    if (!Array.isArray(analytes)) throw new TypeError(`${call}: analytes must be an array`);
    analytes.forEach((a, i) => {
      // the named check (and its message) only when a value is not a finite number
      if (Number.isFinite(a?.retention) && Number.isFinite(a?.kd) && Number.isFinite(a?.scale)) return;
      finiteArguments(call, { [`analytes[${i}].retention`]: a?.retention, [`analytes[${i}].kd`]: a?.kd, [`analytes[${i}].scale`]: a?.scale });
    });
    if (detector) finiteArguments(call, { 'detector.baseline': detector.baseline });
    const mark = this.top;
    try {
      const n = times.length;
      const m = analytes.length;
      const block = new Float64Array(n * (m + (detector ? 1 : 0)));
      const t = this.copyIn(times);
      const o = this.alloc(n);
      const s = detector ? this.alloc(n) : 0;
      if (detector) this.memoryF64().fill(detector.baseline, s >>> 3, (s >>> 3) + n);
      const integrals = new Float64Array(m);
      const areas = new Float64Array(m);
      const peaks: number[] = [];
      let evaluations = 0;
      const concentrations = analytes.map((a, i) => {
        evaluations += this.k.outletConcentration(t, n, holdup, a.retention, a.kd, pulse, a.scale, o);
        const whole = this.k.supportIntegral();
        integrals[i] = whole < 0 ? Number.NaN : whole;
        areas[i] = this.k.trapezoidAndMaximum(t, o, n);
        peaks.push(this.k.largestIndex());
        if (detector) this.k.addScaled(s, o, n, detector.responses[i]);
        const c = block.subarray(i * n, (i + 1) * n);
        this.copyOut(o, c);
        return c;
      });
      let signal: Float64Array | null = null;
      if (detector) {
        signal = block.subarray(m * n, (m + 1) * n);
        this.copyOut(s, signal);
      }
      return { concentrations, integrals, areas, peaks, signal, evaluations };
    } finally {
      this.top = mark;
    }
  }

  /** Zero-copy form of `outletConcentration`: `times` and `out` are pointers from `alloc`. */
  outletConcentrationAt(
    times: number, n: number, holdup: number, retention: number, kd: number, pulse: number,
    scale: number, out: number,
  ): number {
    const call = 'outletConcentrationAt';
    countArgument(call, 'n', n);
    this.regions(call, { times, out }, { times: n, out: n });
    finiteArguments(call, { holdup, retention, kd, pulse, scale });
    return this.k.outletConcentration(times, n, holdup, retention, kd, pulse, scale, out);
  }

  pointConcentration(
    times: Float64Array, holdups: Float64Array, retentions: Float64Array, scales: Float64Array,
    kd: number, pulse: number, out: Float64Array,
  ): number {
    const call = 'pointConcentration';
    const n = arrayArgument(call, 'times', times, 0).length;
    const fits = (a: unknown) => a instanceof Float64Array && a.length >= n;
    // the checks that name the argument only when one is wrong (a peak's location calls this per analyte)
    if (!(fits(holdups) && fits(retentions) && fits(scales) && fits(out) && Number.isFinite(kd) && Number.isFinite(pulse))) {
      arrayArguments(call, { holdups, retentions, scales, out }, { holdups: n, retentions: n, scales: n, out: n });
      finiteArguments(call, { kd, pulse });
    }
    const mark = this.top;
    try {
      const head = (a: Float64Array) => (a.length === n ? a : a.subarray(0, n));
      const t = this.copyIn(times);
      const h = this.copyIn(head(holdups));
      const r = this.copyIn(head(retentions));
      const s = this.copyIn(head(scales));
      const o = this.alloc(n);
      const evals = this.k.pointConcentration(n, t, h, r, s, kd, pulse, o);
      this.copyOut(o, head(out));
      return evals;
    } finally {
      this.top = mark;
    }
  }

  /**
   * Copying form of the TR-BDF2 time-stepping kernel (assembly/fd.ts): copies the operator,
   * state, scratch and schedule in, runs `steps` steps, copies the state, scratch, window and
   * outlet record back. The copies are O(cells) per call; callers run hundreds of steps per call.
   */
  fdImplicitAdvance(
    n: number, lower2: Float64Array, lower: Float64Array, diag: Float64Array, upper: Float64Array, alpha: number,
    ka: number, kd: number, c: Float64Array, q: Float64Array, work: Float64Array, steps: number,
    dts: Float64Array, sources: Float64Array, outlet: Float64Array, theta: number, window: Float64Array,
    negligible: number, margin: number,
  ): number {
    const call = 'fdImplicitAdvance';
    const arrays = { lower2, lower, diag, upper, c, q, work, dts, sources, outlet, window };
    fdImplicitScalars(call, n, steps, margin, { alpha, ka, kd, theta, negligible });
    arrayArguments(call, arrays, fdImplicitLengths(n, steps));
    windowArgument(call, window, n);
    const mark = this.top;
    try {
      const p = Object.values(arrays).map((a) => this.copyIn(a));
      const done = this.k.fdImplicitAdvance(n, p[0], p[1], p[2], p[3], alpha, ka, kd, p[4], p[5], p[6], steps, p[7],
        p[8], p[9], theta, p[10], negligible, margin);
      [c, q, work, outlet, window].forEach((a, i) => this.copyOut(p[[4, 5, 6, 9, 10][i]], a));
      return done;
    } finally {
      this.top = mark;
    }
  }

  /** Zero-copy form of `fdImplicitAdvance`: every array is a pointer from `alloc`. */
  fdImplicitAdvanceAt(
    n: number, lower2: number, lower: number, diag: number, upper: number, alpha: number, ka: number, kd: number,
    c: number, q: number, work: number, steps: number, dts: number, sources: number, outlet: number, theta: number,
    window: number, negligible: number, margin: number,
  ): number {
    const call = 'fdImplicitAdvanceAt';
    fdImplicitScalars(call, n, steps, margin, { alpha, ka, kd, theta, negligible });
    this.regions(call, { lower2, lower, diag, upper, c, q, work, dts, sources, outlet, window }, fdImplicitLengths(n, steps));
    windowArgument(call, new Float64Array(this.k.memory.buffer, window, 4), n);
    return this.k.fdImplicitAdvance(n, lower2, lower, diag, upper, alpha, ka, kd, c, q, work, steps, dts, sources, outlet,
      theta, window, negligible, margin);
  }

  /**
   * The migration and variance equations under a programme (assembly/migration.ts; layouts in
   * src/engine/kernels/migration.ts): `n` analyte records through the column of `plan`, n result
   * records into `out`. Returns the largest status code. The copies are a few hundred f64; the
   * integration is thousands of right-hand sides.
   */
  migrate(plan: Float64Array, analytes: Float64Array, n: number, out: Float64Array): number {
    const call = 'migrate';
    const nb = migrationPlanArgument(call, plan);
    countArgument(call, 'n', n, 0, MAX_COUNT / ANALYTE_STRIDE);
    arrayArguments(call, { analytes, out }, { analytes: n * ANALYTE_STRIDE, out: n * OUT_STRIDE });
    const mark = this.top;
    try {
      const p = this.copyIn(plan.length === PLAN_HEADER + 4 * nb ? plan : plan.subarray(0, PLAN_HEADER + 4 * nb));
      const a = this.copyIn(analytes.length === n * ANALYTE_STRIDE ? analytes : analytes.subarray(0, n * ANALYTE_STRIDE));
      const o = this.alloc(n * OUT_STRIDE);
      const worst = this.k.migrate(p, a, n, o);
      this.copyOut(o, out.subarray(0, n * OUT_STRIDE));
      return worst;
    } finally {
      this.top = mark;
    }
  }

  /**
   * Copying form of the dispersion kernel (assembly/dispersion.ts; see DispersionKernels): the
   * times in, 2 (maxTerms + 1) f64 of work, the concentrations out.
   */
  dispersiveConcentration(
    times: Float64Array, holdup: number, inversePeclet: number, retention: number, kd: number, pulse: number,
    position: number, scale: number, tolerance: number, maxTerms: number, out: Float64Array,
  ): number {
    const call = 'dispersiveConcentration';
    const n = arrayArgument(call, 'times', times, 0).length;
    arrayArgument(call, 'out', out, n);
    dispersionArguments(call, { holdup, inversePeclet, retention, kd, pulse, position, scale, tolerance, maxTerms });
    const mark = this.top;
    try {
      const t = this.copyIn(times);
      const w = this.alloc(2 * (maxTerms + 1));
      const o = this.alloc(n);
      const evals = this.k.dispersiveConcentration(t, n, holdup, inversePeclet, retention, kd, pulse, position, scale,
        tolerance, maxTerms, w, o);
      this.copyOut(o, out.subarray(0, n));
      return evals;
    } finally {
      this.top = mark;
    }
  }

  /** Zero-copy form of `dispersiveConcentration`: times, work (2 (maxTerms + 1) f64) and out are pointers from `alloc`. */
  dispersiveConcentrationAt(
    times: number, n: number, holdup: number, inversePeclet: number, retention: number, kd: number, pulse: number,
    position: number, scale: number, tolerance: number, maxTerms: number, work: number, out: number,
  ): number {
    const call = 'dispersiveConcentrationAt';
    countArgument(call, 'n', n);
    dispersionArguments(call, { holdup, inversePeclet, retention, kd, pulse, position, scale, tolerance, maxTerms });
    this.regions(call, { times, work, out }, { times: n, work: 2 * (maxTerms + 1), out: n });
    return this.k.dispersiveConcentration(times, n, holdup, inversePeclet, retention, kd, pulse, position, scale,
      tolerance, maxTerms, work, out);
  }

  dispersionError(): number {
    return this.k.dispersionError();
  }

  /** Mechanisms of the next dispersiveConcentration only (see DispersionKernels). */
  setDispersionMechanisms(slowRetention: number, slowKd: number, injection: number, detector: number): void {
    const call = 'setDispersionMechanisms';
    finiteArguments(call, { slowRetention, slowKd, injection, detector });
    if (!(slowRetention >= 0)) throw new RangeError(`${call}: slowRetention must be at least 0, got ${slowRetention}`);
    if (!(slowKd > 0)) throw new RangeError(`${call}: slowKd must be positive, got ${slowKd}`);
    if (!(injection >= 0)) throw new RangeError(`${call}: injection must be at least 0, got ${injection}`);
    if (!(detector >= 0)) throw new RangeError(`${call}: detector must be at least 0, got ${detector}`);
    this.k.setDispersionMechanisms(slowRetention, slowKd, injection, detector);
  }

  /** Pressure ratio pL/p0 of the next dispersiveConcentration only (see DispersionKernels). */
  setDispersionColumn(pressureRatio: number): void {
    const call = 'setDispersionColumn';
    finiteArgument(call, 'pressureRatio', pressureRatio);
    if (!(pressureRatio > 0 && pressureRatio <= 1)) {
      throw new RangeError(`${call}: pressureRatio must be in (0, 1], got ${pressureRatio}`);
    }
    this.k.setDispersionColumn(pressureRatio);
  }

  dispersionWindow(): { start: number; period: number } {
    return { start: this.k.dispersionWindowStart(), period: this.k.dispersionWindowPeriod() };
  }

  /** Copying form of the paper's explicit scheme (assembly/fd.ts). */
  fdExplicitAdvance(
    n: number, lower: Float64Array, diag: Float64Array, upper: Float64Array, alpha: number, ka: number,
    kd: number, c: Float64Array, q: Float64Array, scratch: Float64Array, steps: number, dts: Float64Array,
    sources: Float64Array, outlet: Float64Array, inletWeight: number, inletCoupling: number,
  ): number {
    const call = 'fdExplicitAdvance';
    const arrays = { lower, diag, upper, c, q, scratch, dts, sources, outlet };
    countArgument(call, 'n', n, 2, MAX_COUNT - 1);
    countArgument(call, 'steps', steps);
    finiteArguments(call, { alpha, ka, kd, inletWeight, inletCoupling });
    arrayArguments(call, arrays, fdExplicitLengths(n, steps));
    const mark = this.top;
    try {
      const p = Object.values(arrays).map((a) => this.copyIn(a));
      const done = this.k.fdExplicitAdvance(n, p[0], p[1], p[2], alpha, ka, kd, p[3], p[4], p[5], steps, p[6], p[7],
        p[8], inletWeight, inletCoupling);
      [c, q, outlet].forEach((a, i) => this.copyOut(p[[3, 4, 8][i]], a));
      return done;
    } finally {
      this.top = mark;
    }
  }

  /**
   * Copying form of the saturating-film kernel (assembly/fd-langmuir.ts): copies the faces, rates,
   * state and schedule in, runs `steps` steps, copies the state and outlet record back. The
   * scratch is reserved, not copied (the kernel keeps nothing in it between calls).
   */
  fdLangmuirAdvance(
    n: number, m: number, h: number, alpha: number, faceU: Float64Array, faceG: Float64Array, rates: Float64Array,
    inflow: Float64Array, c: Float64Array, q: Float64Array, work: Float64Array, steps: number, dts: Float64Array,
    sources: Float64Array, outlet: Float64Array,
  ): number {
    const call = 'fdLangmuirAdvance';
    countArgument(call, 'm', m, 1, MAX_ANALYTES);
    countArgument(call, 'n', n, 2, Math.floor(MAX_COUNT / (4 * m)));
    countArgument(call, 'steps', steps, 0, Math.floor(MAX_COUNT / (2 * m)));
    finiteArguments(call, { h, alpha });
    const arrays = { faceU, faceG, rates, inflow, c, q, dts, sources, outlet };
    arrayArguments(call, { ...arrays, work }, fdLangmuirLengths(n, m, steps));
    const mark = this.top;
    try {
      const scratch = this.alloc(fdLangmuirWork(n, m));
      const p = Object.values(arrays).map((a) => this.copyIn(a));
      const done = this.k.fdLangmuirAdvance(n, m, h, alpha, p[0], p[1], p[2], p[3], p[4], p[5], scratch, steps, p[6], p[7], p[8]);
      [c, q, outlet].forEach((a, i) => this.copyOut(p[[4, 5, 8][i]], a));
      return done;
    } finally {
      this.top = mark;
    }
  }

  /**
   * Copying form of the programmed time-stepping kernel (assembly/fd-program.ts): copies the
   * state, scratch and per-step coefficients in, runs `steps` steps, copies the state, scratch,
   * outlet record and window back.
   */
  fdProgramAdvance(
    n: number, h: number, length: number, alpha: number, c: Float64Array, q: Float64Array, work: Float64Array,
    steps: number, coefficients: Float64Array, outlet: Float64Array, window: Float64Array, negligible: number,
    margin: number,
  ): number {
    const call = 'fdProgramAdvance';
    const arrays = { c, q, work, coefficients, outlet, window };
    fdImplicitScalars(call, n, steps, margin, { h, length, alpha, negligible });
    arrayArguments(call, arrays, fdProgramLengths(n, steps));
    windowArgument(call, window, n);
    const mark = this.top;
    try {
      const p = Object.values(arrays).map((a) => this.copyIn(a));
      const done = this.k.fdProgramAdvance(n, h, length, alpha, p[0], p[1], p[2], steps, p[3], p[4], p[5], negligible, margin);
      [c, q, work, outlet, window].forEach((a, i) => this.copyOut(p[[0, 1, 2, 4, 5][i]], a));
      return done;
    } finally {
      this.top = mark;
    }
  }

  /**
   * Copying form of the moving-window kernel (assembly/fd-frame.ts). The output times and values
   * are copied whole on every call; callers run many steps per call.
   */
  fdFrameAdvance(
    m: number, h: number, length: number, alpha: number, c: Float64Array, q: Float64Array, work: Float64Array,
    steps: number, coefficients: Float64Array, times: Float64Array, values: Float64Array, state: Float64Array,
  ): number {
    const call = 'fdFrameAdvance';
    countArgument(call, 'm', m, 8, MAX_COUNT / 32);
    countArgument(call, 'steps', steps, 0, MAX_COUNT / 16);
    finiteArguments(call, { h, length, alpha });
    const n = arrayArgument(call, 'times', times, 0).length;
    arrayArguments(call, { c, q, work, coefficients, values, state },
      { c: m, q: m, work: FRAME_WORK_PER_CELL * m, coefficients: FRAME_COEFFICIENTS * steps, values: n, state: FRAME_STATE });
    countArgument(call, 'state[0] (next output)', state[0], 0, n);
    const mark = this.top;
    try {
      // `work` is scratch: reserved, not copied (the kernel uses 14 m of it).
      const scratch = this.alloc(FRAME_KERNEL_WORK_PER_CELL * m);
      const p = [c, q, coefficients, times, values, state].map((a) => this.copyIn(a));
      const done = this.k.fdFrameAdvance(m, h, length, alpha, p[0], p[1], scratch, steps, p[2], p[3], n, p[4], p[5]);
      [c, q, values, state].forEach((a, i) => this.copyOut(p[[0, 1, 4, 5][i]], a));
      return done;
    } finally {
      this.top = mark;
    }
  }
}

/**
 * A migration plan: at least the header, a breakpoint count nb >= 1 in it, and the 4 nb breakpoint
 * values after it (the kernel reads exactly those). Returns nb.
 */
function migrationPlanArgument(call: string, plan: Float64Array): number {
  arrayArgument(call, 'plan', plan, PLAN_HEADER + 4);
  const nb = countArgument(call, 'plan[P_BREAKPOINTS] (breakpoints)', plan[P_BREAKPOINTS], 1, (MAX_COUNT >> 3) - PLAN_HEADER);
  arrayArgument(call, 'plan', plan, PLAN_HEADER + 4 * nb);
  return nb;
}

/**
 * The integer and scalar arguments of fdImplicitAdvance: n >= 2 cells, steps, margin from 2 to n
 * cells; bounded so that the kernel's i32 index arithmetic (6 n scratch rows, 2 steps + 1 outlet
 * values, hi + margin) cannot overflow.
 */
function fdImplicitScalars(call: string, n: number, steps: number, margin: number, scalars: Record<string, unknown>): void {
  countArgument(call, 'n', n, 2, Math.floor(MAX_COUNT / 6));
  countArgument(call, 'steps', steps, 0, Math.floor(MAX_COUNT / 2));
  countArgument(call, 'margin', margin, 2, n);
  finiteArguments(call, scalars);
}

let engine: WasmEngine | undefined;

function kernelImports() {
  return {
    env: {
      abort(): never {
        throw new Error('elution: internal error in a wasm kernel (abort); please report it with the input');
      },
    },
  };
}

/** Instantiates the kernels from a compiled module or the bytes of build/elution.wasm. */
export function loadWasmSync(source: WebAssembly.Module | BufferSource): WasmEngine {
  const { exports, module } = instantiateSync<Record<string, unknown>>(source, kernelImports());
  engine = new WasmEngine(exports as unknown as KernelExports, module);
  return engine;
}

/** What `loadWasm` accepts: where the kernels are (URL), a fetch response, the bytes, or a compiled module. */
export type WasmSource = URL | string | Response | BufferSource | WebAssembly.Module;

/**
 * Instantiates the kernels asynchronously; the way to load them in a browser or a worker.
 * A URL (or string; relative ones resolve against the page, or in Node the working directory) is
 * fetched and compiled while it downloads (`instantiateStreaming`), a `file:` URL read in Node; a
 * `Response` likewise; bytes or a compiled module are instantiated directly. Without a source:
 * in Node the package's build/elution.wasm is read, elsewhere `wasmUrl` is fetched. Servers that
 * send the wasm without `Content-Type: application/wasm` still work (compiled from the bytes).
 */
export async function loadWasm(source?: WasmSource): Promise<WasmEngine> {
  let input: WebAssembly.Module | BufferSource | Response;
  if (source === undefined) {
    input = nodeFs() && wasmUrl.protocol === 'file:' ? readDefaultWasm() as BufferSource : await fetchWasm(wasmUrl);
  } else if (typeof source === 'string' || source instanceof URL) {
    const url = new URL(source, baseUrl());
    const fs = url.protocol === 'file:' ? nodeFs() : undefined;
    input = fs ? readWasmFile(fs, url) : await fetchWasm(url);
  } else {
    input = source;
  }
  const { exports, module } = await instantiateWithFallback(input);
  engine = new WasmEngine(exports as unknown as KernelExports, module);
  return engine;
}

/** What a relative location is relative to: the page (browser, worker) or the working directory (Node). */
function baseUrl(): string {
  const here = (globalThis as { location?: { href: string } }).location?.href;
  if (here) return here;
  const proc = (globalThis as { process?: { cwd?: () => string; getBuiltinModule?: (id: string) => unknown } }).process;
  const url = proc?.getBuiltinModule?.('node:url') as typeof import('node:url') | undefined;
  return url && proc?.cwd ? url.pathToFileURL(proc.cwd() + '/').href : wasmUrl.href;
}

async function fetchWasm(url: URL): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`elution: cannot fetch the wasm kernels at ${url.href} (HTTP ${response.status})`);
  }
  return response;
}

async function instantiateWithFallback(input: WebAssembly.Module | BufferSource | Response) {
  if (typeof Response === 'undefined' || !(input instanceof Response)) return instantiate(input, kernelImports());
  const spare = input.clone();
  try {
    return await instantiate(input, kernelImports());
  } catch (err) {
    // instantiateStreaming refuses a wrong MIME type; compile from the bytes instead.
    if (!(err instanceof TypeError)) throw err;
    return instantiate(await spare.arrayBuffer(), kernelImports());
  }
}

function readWasmFile(fs: typeof import('node:fs'), url: URL): BufferSource {
  try {
    return fs.readFileSync(url) as BufferSource;
  } catch (err) {
    throw new Error(`elution: cannot read the wasm kernels at ${url.pathname} (${(err as Error).message})`);
  }
}

/** node:fs when running in Node, looked up at run time so browser bundles carry no Node built-in. */
function nodeFs(): typeof import('node:fs') | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.('node:fs') as typeof import('node:fs') | undefined;
}

/** Where the package's wasm binary lives, relative to this module (dist/engine/ -> build/). */
export const wasmUrl: URL = new URL('../../build/elution.wasm', import.meta.url);

function readDefaultWasm(): Uint8Array {
  const fs = nodeFs();
  if (!fs) {
    throw new Error('elution: the wasm kernels are not loaded; call loadWasm(url or bytes) first');
  }
  try {
    return fs.readFileSync(wasmUrl);
  } catch (err) {
    throw new Error(
      `elution: cannot read the wasm kernels at ${wasmUrl.pathname} (${(err as Error).message}); ` +
        'run `npm run build` to make them');
  }
}

/** The shared engine, instantiated on first use (in Node from build/elution.wasm). */
export function wasmEngine(): WasmEngine {
  return engine ?? loadWasmSync(readDefaultWasm() as BufferSource);
}

/**
 * The kernels a solver runs on, from its `engine` option: 'wasm' (default), 'js' (the given
 * plain-TypeScript twin) or a kernel object supplied by the caller.
 */
export function selectKernels<K extends object>(engine: 'wasm' | 'js' | K | undefined, twin: K): K | WasmEngine {
  if (engine === undefined || engine === 'wasm') return wasmEngine();
  if (engine === 'js') return twin;
  if (typeof engine === 'object' && engine !== null) {
    // every kernel the twin has (but the optional batched one) must be a function of the object
    const missing = Object.keys(twin).filter((key) => key !== 'outletConcentrations' &&
      typeof (twin as Record<string, unknown>)[key] === 'function' && typeof (engine as Record<string, unknown>)[key] !== 'function');
    if (missing.length > 0) {
      throw new ProblemTypeError('options.engine', `a kernel object must have the functions ${missing.join(', ')}`);
    }
    return engine;
  }
  throw new ProblemError('options.engine', `must be "wasm", "js" or a kernel object, got ${String(engine)}`);
}
