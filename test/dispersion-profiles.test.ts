/**
 * Profiles c(x, t) with diffusion (MODEL.md §12.1 inside the column, constant velocity): against the
 * 60-digit transform at x = L/2 (scripts/dispersion_reference.py), against the chromatogram at the
 * outlet, against the finite-difference profiles, and the keys that steer or refuse them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chromatogram, fdProfiles, profiles, type Problem } from '../src/index.js';

interface Case {
  name: string; u: number; D: number; alpha: number; ka: number; kd: number; L: number; x: number; pulse: number;
  times: number[]; concentration: number[]; uncertainty: number;
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/dispersion-reference.json', import.meta.url), 'utf8')) as
  { cases: Case[] };
const byName = (name: string) => fixture.cases.find((c) => c.name === name) as Case;

/** The Pe = 300 column of the fixture as a problem (alpha = 2 delta/R = 2e-6/9e-5, the fixture's). */
function strongDiffusion(velocity: 'constant' | 'variable' = 'constant'): Problem {
  const c = byName('peclet-300');
  return {
    column: {
      length: c.L, radius: 9e-5, filmThickness: 1e-6, inletPressure: 2e5, outletPressure: 1e5, inletVelocity: c.u, velocity,
    },
    injection: { duration: c.pulse },
    analytes: [{ name: 'a', ka: c.ka, kd: c.kd, c0: 1, diffusivity: c.D }],
    output: { start: 0, end: 600, count: 601 },
  };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let e = 0;
  for (let j = 0; j < a.length; j++) e = Math.max(e, Math.abs(a[j] - b[j]));
  return e;
}

describe('profiles with diffusion (constant velocity)', () => {
  it('at x = L/2 equal the 60-digit transform to 1e-14 absolute (c0 = 1), wasm and twin, times in any order', () => {
    const c = byName('peclet-300-midpoint');
    expect(c.alpha).toBeCloseTo(2e-6 / 9e-5, 15);
    const times = [...c.times].reverse();
    for (const engine of ['wasm', 'js'] as const) {
      const r = profiles(strongDiffusion(), { times, points: 3, engine, diffusion: true });
      expect(r.diffusion).toBe(true);
      // the inlet face (x = 0) needs more terms than the limit near the pulse's edges, and says so
      expect(r.status.code).toBe('inaccurate');
      expect(r.status.message).toMatch(/the spectrum of a at the inlet face x = 0 needs more than options.maxTerms terms/);
      expect(r.x[1]).toBe(c.L / 2);
      const mid = times.map((_, k) => r.concentrations[k][0][1]).reverse();
      // measured: 7.8e-16 (the kernel's figure at this point)
      expect(maxAbsDiff(mid, c.concentration), engine).toBeLessThan(5e-15);
    }
  });

  it('at the outlet equal the chromatogram with diffusion', () => {
    const times = [100, 150, 200, 250, 300, 400];
    const r = profiles(strongDiffusion(), { times, points: 5, diffusion: true });
    const chrom = chromatogram(strongDiffusion(), { times });
    const outlet = times.map((_, k) => r.concentrations[k][0][4]);
    expect(maxAbsDiff(outlet, chrom.analytes[0].concentration)).toBeLessThan(1e-15);
  });

  it('agree with the finite-difference profiles inside the column to the FD solver\'s own accuracy', () => {
    const times = [60, 150, 300];
    const exact = profiles(strongDiffusion(), { times, points: 101, diffusion: true });
    for (const accuracy of [1e-3, 1e-4]) {
      const fd = fdProfiles(strongDiffusion(), { times, points: 101, accuracy });
      let peak = 0, e = 0;
      times.forEach((_, k) => {
        for (const v of exact.concentrations[k][0]) peak = Math.max(peak, v);
        // x > 0: the inlet face is not resolved by the inversion (above)
        e = Math.max(e, maxAbsDiff(fd.concentrations[k][0].subarray(1), exact.concentrations[k][0].subarray(1)));
      });
      // measured: 1.8e-4 (accuracy 1e-3), 1.8e-5 (1e-4)
      expect(e / peak, String(accuracy)).toBeLessThan(accuracy);
    }
  });

  it('without diffusion (by default, options.diffusion false, or no diffusivity) stay the D = 0 profiles', () => {
    const times = [100, 200];
    const p = strongDiffusion();
    const off = profiles(p, { times, points: 11, diffusion: false });
    expect(off.diffusion).toBeUndefined();
    expect(profiles(p, { times, points: 11 }).concentrations).toEqual(off.concentrations);
    delete p.analytes[0].diffusivity;
    const none = profiles(p, { times, points: 11 });
    expect(off.concentrations).toEqual(none.concentrations);
  });

  it('refuses diffusion at variable velocity and a bad options.diffusion, naming the key', () => {
    expect(() => profiles(strongDiffusion('variable'), { times: [100], diffusion: true }))
      .toThrow(/options.diffusion: profiles with diffusion take constant velocity only/);
    expect(() => profiles(strongDiffusion(), { times: [100], diffusion: 'yes' as unknown as boolean }))
      .toThrow(/options.diffusion: must be true or false, got yes/);
    // by default profiles neglect the diffusivity at either velocity
    expect(profiles(strongDiffusion('variable'), { times: [100] }).diffusion).toBeUndefined();
  });
});
