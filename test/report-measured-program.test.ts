/**
 * `elution report` of a programmed run with its measured chromatogram (Leppert programme A): the
 * predicted chromatogram drawn over the measured trace, apex against apex, as a user runs it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeWithSharedData, sharedDataPath } from './support/shared-data.js';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const PROBLEM = fileURLToPath(new URL('../examples/leppert-A.json', import.meta.url));
const TRACE = 'leppert2020b/Leppert2020b_measured_Chrom_progA.csv';
const RETENTION = 'leppert2020b/Leppert2020b_measured_RT_progA.csv';

describeWithSharedData('report: programme A predicted over measured', [TRACE, RETENTION], () => {
  it('draws every alkane in measured order, each predicted apex within 7 s of its measured one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'elution-report-measured-'));
    const r = spawnSync(process.execPath, [CLI, 'report', PROBLEM, sharedDataPath(TRACE), '--time-column', 'time_s',
      '--signal-column', 'ordinate_values', '--out', dir, '--quiet'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    const section = html.slice(html.indexOf('<section class="measured-program">'));
    expect(section).toContain('<h2>Predicted over measured</h2>');
    const rows = [...section.matchAll(/<tr><td>([^<]+)<\/td><td>([-\d.]+)<\/td><td>([-\d.]+)<\/td>/g)]
      .map((m) => ({ name: m[1], predicted: Number(m[2]), measured: Number(m[3]) }));
    // the measured retention times (minutes from injection) name the peaks independently of the report
    const measuredRt = new Map(readFileSync(sharedDataPath(RETENTION), 'utf8').trim().split(/\r?\n/).slice(1)
      .map((l) => l.split(',')).map((c) => [c[0], 60 * Number(c[1])] as const));
    expect(rows.length).toBe(22);
    for (const row of rows) {
      expect(Math.abs(row.predicted - row.measured)).toBeLessThan(7);
      // the apex the report found in the trace is the peak the data set names
      expect(Math.abs(row.measured - measuredRt.get(row.name)!)).toBeLessThan(0.5);
    }
    const byPredicted = rows.map((r) => r.name);
    const byMeasured = [...rows].sort((a, b) => a.measured - b.measured).map((r) => r.name);
    expect(byPredicted).toEqual(byMeasured);
  });
});
