/**
 * The report of a programmed run (src/figures/run-report.ts, `elution report` on a run-form
 * problem): well-formed, the chromatogram beside the program's traces, the peaks with the
 * library's elution temperatures, the finite-difference comparison when given.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildRunReport } from '../src/figures/run-report.js';
import { programmedProblem } from '../src/model/examples.js';
import { parseRunProblem } from '../src/model/run.js';
import { migrationChromatogram } from '../src/solvers/gaussian.js';
import { byClass, elements, parseXml } from './support/xml.js';

const run = parseRunProblem(programmedProblem());
const result = migrationChromatogram(run.conditions);

function rowsOf(doc: ReturnType<typeof parseXml>, caption: string): string[][] {
  const t = elements(doc, 'table').find((e) => elements(e, 'caption')[0]?.textContent === caption)!;
  return elements(elements(t, 'tbody')[0], 'tr').map((r) => elements(r, 'td').map((d) => (d.textContent ?? '').trim()));
}

describe('programmed-run report', () => {
  it('draws the chromatogram over the temperature, hold-up time, pressure and flow, with the peaks table', () => {
    const html = buildRunReport({ conditions: run.conditions, result, program: '40(1)-10-300(2)', source: 'example' });
    const doc = parseXml(html, 'application/xhtml+xml');
    const fig = elements(doc, 'figure').find((f) => f.getAttribute('id') === 'fig1')!;
    const svgs = elements(fig, 'svg');
    expect(svgs).toHaveLength(5);
    expect(svgs.map((s) => byClass(s, 'text', 'y-title')[0].textContent)).toEqual([
      'outlet concentration c (10⁻⁶ mol/m³)', 'oven temperature T (°C)', 'hold-up time tM (s)', 'pressure p (kPa)', 'column flow F (mL/min)',
    ]);
    const peaks = rowsOf(doc, 'Peaks in order of elution');
    expect(peaks.map((r) => r[0])).toEqual(['C9', 'C10', 'C11', 'C12', 'C13', 'C14']);
    result.analytes.forEach((a, i) => {
      expect(Number(peaks[i][1])).toBe(Number(a.moments.mean.toFixed(2)));
      expect(Number(peaks[i][3])).toBe(Number((a.moments.elutionTemperature - 273.15).toFixed(1)));
    });
    expect(html).toContain('Oven program 40(1)-10-300(2).');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    // the flow control's set flow, 1.2 mL/min
    expect(rowsOf(doc, 'Column, carrier and oven').find((r) => r[0].startsWith('column flow'))![1]).toBe('1.200');
  });

  it('adds the finite-difference comparison when given, naming the differences', () => {
    const fd = {
      method: 'fd-program', times: result.times,
      analytes: result.analytes.map((a) => ({
        name: a.name, concentration: a.concentration, mean: a.moments.mean * (1 + 1e-4), sigma: a.moments.sigma, area: a.area,
      })),
      status: { code: 'success', message: '' }, cost: { engine: 'wasm', wallTimeMs: 12 },
    };
    const doc = parseXml(buildRunReport({ conditions: run.conditions, result, fd }), 'application/xhtml+xml');
    const rows = rowsOf(doc, 'Migration against finite differences');
    expect(rows).toHaveLength(6);
    expect(rows[0][3]).toBe('1.0×10⁻⁴');
    expect(elements(doc, 'figure').map((f) => f.getAttribute('id'))).toEqual(['fig1', 'fig2']);
  });

  it('is what `elution report` writes for a run-form problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'elution-run-report-'));
    const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
    const example = fileURLToPath(new URL('../examples/decane-programmed.json', import.meta.url));
    const r = spawnSync(process.execPath, [cli, 'report', example, '--out', dir, '--quiet'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const doc = parseXml(readFileSync(join(dir, 'report.html'), 'utf8'), 'application/xhtml+xml');
    const peaks = rowsOf(doc, 'Peaks in order of elution');
    expect(Number(peaks[3][1])).toBe(Number(result.analytes[3].moments.mean.toFixed(2)));
    const bad = spawnSync(process.execPath, [cli, 'report', example, '--times', '1,2', '--out', dir], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^elution: --times applies to the paper's form/);
    const noFd = spawnSync(process.execPath, [cli, 'report', example, '--no-fd', '--out', dir], { encoding: 'utf8' });
    expect(noFd.status).toBe(2);
    expect(noFd.stderr).toMatch(/^elution: --no-fd applies to the paper's form/);
    // without --fd the finite-difference part is not computed (it takes a minute on this 30 m column)
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).not.toContain('Migration against finite differences');
  });
});
