import { expect, it } from 'vitest';
import { fdChromatogramUnderProgram, migrate } from '../src/index.js';
import type { RunConditions } from '../src/model/conditions.js';
import { describeWithSharedData, sharedDataPath } from './support/shared-data.js';
// @ts-expect-error: plain JavaScript shared with the benchmark
import { leppertAlkanes, leppertConditions } from '../bench/leppert-conditions.js';

const DATABASE = 'leppert2020b/Database_Leppert2020b.csv';

describeWithSharedData('finite differences under Leppert programme A', [DATABASE], () => {
  it('peak means agree with the migration-equation retention times to 1e-3 for five alkanes', () => {
    const names = ['C10', 'C12', 'C14', 'C16', 'C18'];
    // a 0.1 s pulse: the peak mean is the arrival of the band injected near t1/2 (within 0.05 s of it)
    const conditions: RunConditions = leppertConditions(
      leppertAlkanes(sharedDataPath(DATABASE)).filter((a: { name: string }) => names.includes(a.name)), { pulse: 0.1 });
    const fd = fdChromatogramUnderProgram(conditions, { accuracy: 3e-2 });
    const mig = migrate(conditions);
    expect(fd.status.code).toBe('success');
    names.forEach((name, i) => {
      const tR = mig.analytes[i].retentionTime;
      expect(Math.abs(fd.analytes[i].mean - 0.05 - tR) / tR).toBeLessThan(1e-3);
    });
  });

  it('delivers the requested accuracy, with its steps or with a given number of cells (C10 against a run at 1e-3)', () => {
    const conditions: RunConditions = leppertConditions(
      leppertAlkanes(sharedDataPath(DATABASE)).filter((a: { name: string }) => a.name === 'C10'));
    const reference = fdChromatogramUnderProgram(conditions, { accuracy: 1e-3 }).analytes[0].concentration;
    const error = (c: Float64Array) => {
      let peak = 0;
      let e = 0;
      for (let j = 0; j < reference.length; j++) {
        peak = Math.max(peak, reference[j]);
        e = Math.max(e, Math.abs(c[j] - reference[j]));
      }
      return e / peak;
    };
    const auto = fdChromatogramUnderProgram(conditions, { accuracy: 1e-2 });
    expect(error(auto.analytes[0].concentration)).toBeLessThan(1e-2);
    expect(error(auto.analytes[0].concentration)).toBeGreaterThan(1e-2 / 30); // not wastefully fine
    // steps follow the band's time scale, not the outlet peak's width: on average longer than a
    // third of the outlet deviation (a step of 0.18 deviations throughout took 4244 steps)
    expect(auto.grids[0].steps).toBeLessThan((3 * auto.analytes[0].path.retentionTime) / auto.analytes[0].path.sigma);
    // given cells: the window still merges pairs as the band widens
    const given = fdChromatogramUnderProgram(conditions, { cells: 600, accuracy: 1e-2 });
    expect(given.grids[0].merges).toBeGreaterThan(3);
    expect(error(given.analytes[0].concentration)).toBeLessThan(1e-2);
  });
});
