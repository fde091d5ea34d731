import { describe, expect, it } from 'vitest';
import { btexProblem, chromatogram } from '../src/index.js';

describe('BTEX chromatogram', () => {
  it('puts the benzene peak where MODEL.md §6 says', () => {
    const r = chromatogram(btexProblem());
    const benzene = r.analytes.find((a) => a.name === 'benzene')!;
    expect(benzene.moments.mean).toBeCloseTo(119.16, 2);
    expect(benzene.peak.height / 2.732e-6).toBeCloseTo(0.0706, 4);
  });
});
