/**
 * The two quadrature rules of the outlet kernel (assembly/laplace.ts, assembly/chebyshev.ts and
 * their twins): the event rule (Gauss–Legendre between successive events) and the panel rule
 * (the density sampled at 12 Chebyshev points per panel of width <= 1/2, its antiderivative
 * evaluated by Clenshaw's sum). Each is held to the accuracy contract on its own, they agree with
 * each other across the parameter range, and the automatic choice takes the cheaper one.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  btexProblem, chromatogram, holdupTime, jsKernels, parseProblem, phaseRatio, wasmEngine, type OutletRule,
} from '../src/index.js';

/** An outlet case of the fixture (the fields used here; scripts/gen_reference.py writes more). */
type Case = {
  name: string; kind: 'outlet' | 'profile'; column: Record<string, number>; velocity: 'variable' | 'constant'; pulse: number;
  analytes: { name: string; ka: number; kd: number; c0: number }[]; times?: number[]; concentration: Record<string, number[]>;
};

const fixture = JSON.parse(readFileSync(new URL('./fixtures/reference.json', import.meta.url), 'utf8')) as { cases: Case[] };

function setRule(rule: OutletRule): void {
  wasmEngine().setOutletRule(rule);
  jsKernels.setOutletRule!(rule);
}

/** Deterministic uniform numbers in [0, 1) (an LCG). */
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

afterEach(() => setRule('auto'));

describe('each rule alone against the high-precision reference', () => {
  for (const rule of ['events', 'panels'] as const) {
    for (const c of fixture.cases.filter((k) => k.kind === 'outlet')) {
      it(`${c.name}, ${rule} rule (wasm and twin): every point within 1e-13 of the peak height`, () => {
        setRule(rule);
        const problem = parseProblem({ column: { ...c.column, velocity: c.velocity }, injection: { duration: c.pulse }, analytes: c.analytes });
        const tM = holdupTime(problem.column, problem.column.length);
        const step = c.times![1] - c.times![0];
        for (const engine of ['wasm', 'js'] as const) {
          const r = chromatogram(problem, { times: c.times!, engine });
          c.analytes.forEach((a, i) => {
            const ref = c.concentration[a.name];
            const peak = Math.max(...ref, r.analytes[i].peak.height);
            let worst = 0;
            ref.forEach((v, j) => {
              const tau = c.times![j] - tM;
              // the plug's jumps: a rounded time may fall on either side (as in reference.test.ts)
              if (Math.abs(tau) <= step || Math.abs(tau - c.pulse) <= step) return;
              worst = Math.max(worst, Math.abs(r.analytes[i].concentration[j] - v) / peak);
            });
            expect(worst, `${a.name}`).toBeLessThanOrEqual(1e-13);
          });
        }
      });
    }
  }
});

describe('the rules agree', () => {
  it('to 1e-14 of the injected amount on 300 random analytes and grids (B 0.01..2e6), wasm = twin bit for bit', () => {
    const r = random(4242);
    const wasm = wasmEngine();
    const logUniform = (lo: number, hi: number) => Math.exp(Math.log(lo) + r() * Math.log(hi / lo));
    let worst = 0;
    for (let k = 0; k < 300; k++) {
      const B = logUniform(0.01, 2e6);
      const kd = logUniform(0.05, 50);
      const pulse = logUniform(0.01, 10);
      const holdup = 50 * r();
      const n = 200 + Math.floor(3000 * r());
      const span = (holdup + pulse + (B + 10 * Math.sqrt(B) + 50) / kd) * (0.5 + r());
      const times = Float64Array.from({ length: n }, (_, j) => (j * span) / (n - 1));
      const out = (rule: OutletRule, engine: 'wasm' | 'js') => {
        setRule(rule);
        const c = new Float64Array(n);
        (engine === 'wasm' ? wasm : jsKernels).outletConcentration(times, holdup, B, kd, pulse, 1, c);
        return c;
      };
      const events = out('events', 'wasm');
      const panels = out('panels', 'wasm');
      const twin = out('panels', 'js');
      expect(panels.every((v, j) => Object.is(v, twin[j]))).toBe(true);
      for (let j = 0; j < n; j++) worst = Math.max(worst, Math.abs(panels[j] - events[j]));
    }
    expect(worst).toBeLessThan(1e-14); // measured 6e-15
  });
});

describe('pulse a multiple of the output spacing', () => {
  it('the kernel reuses G at a-events for the b-events that coincide with them, and still equals its twin bit for bit', () => {
    const problem = parseProblem(btexProblem());
    const tM = holdupTime(problem.column, problem.column.length);
    setRule('panels');
    for (const [count, pulse] of [[1401, 4], [2801, 4], [1401, 0.5], [7001, 0.1], [1400, 4]] as const) {
      const times = Float64Array.from({ length: count }, (_, j) => (700 * j) / (count - 1));
      for (const a of problem.analytes) {
        const B = phaseRatio(problem.column) * a.ka * tM;
        const w = new Float64Array(count);
        const j = new Float64Array(count);
        wasmEngine().outletConcentration(times, tM, B, a.kd, pulse, 1, w);
        jsKernels.outletConcentration(times, tM, B, a.kd, pulse, 1, j);
        expect(w.every((v, k) => Object.is(v, j[k])), `${count} points, t1 = ${pulse}, ${a.name}`).toBe(true);
      }
    }
  });
});

describe('automatic choice', () => {
  it('takes the panel rule on dense grids and the event rule on sparse ones (by their density evaluations)', () => {
    const problem = parseProblem(btexProblem());
    const tM = holdupTime(problem.column, problem.column.length);
    const B = phaseRatio(problem.column) * problem.analytes[0].ka * tM; // o-xylene
    const evaluations = (count: number, rule: OutletRule) => {
      setRule(rule);
      const times = Float64Array.from({ length: count }, (_, j) => (700 * j) / (count - 1));
      return wasmEngine().outletConcentration(times, tM, B, problem.analytes[0].kd, 4, 1, new Float64Array(count));
    };
    // dense: the panel rule's fixed sampling (a multiple of 12) is what the automatic choice pays
    expect(evaluations(20001, 'auto')).toBe(evaluations(20001, 'panels'));
    expect(evaluations(20001, 'panels')).toBeLessThan(evaluations(20001, 'events') / 10);
    // sparse: 30 points, of which a handful fall on the peak
    expect(evaluations(30, 'auto')).toBe(evaluations(30, 'events'));
    expect(evaluations(30, 'events')).toBeLessThan(evaluations(30, 'panels'));
  });
});
