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
});
