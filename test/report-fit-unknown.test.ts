/**
 * `elution report` of a fitting problem with the column's geometry unknown (the 2022 Fusion run):
 * it exits 0, leaves out the figures that need a column and says so, and Fig. 4 shows the fitted
 * range only, the windows shaded, the peaks named, the measured points drawn and the residual on
 * its own scale.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeWithSharedData, sharedDataPath } from './support/shared-data.js';
import { byClass, elements, parseXml } from './support/xml.js';
import type { Element } from '@xmldom/xmldom';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const PROBLEM = fileURLToPath(new URL('../examples/fusion-2022.json', import.meta.url));
const DATA = 'fusion_moduleA_100C_Cu_20220608.csv';

const ticks = (svg: Element, axis: 'x' | 'y') => byClass(svg, 'text', `${axis}-tick`).map((t) => Number((t.textContent ?? '').replace('−', '-')));

describeWithSharedData('report: a fit with the geometry unknown (Fusion 2022)', [DATA], () => {
  const dir = mkdtempSync(join(tmpdir(), 'elution-report-fusion-'));
  const r = spawnSync(process.execPath, [CLI, 'report', PROBLEM, sharedDataPath(DATA), '--out', dir, '--quiet'], { encoding: 'utf8' });
  const html = r.status === 0 ? readFileSync(join(dir, 'report.html'), 'utf8') : '';
  const doc = parseXml(html, 'application/xhtml+xml');
  const svgOf = (id: string) => elements(doc, 'svg').find((s) => byClass(s, 'rect', 'frame').length > 0 &&
    (s.getElementsByTagName('clipPath')[0]?.getAttribute('id') ?? '') === `${id}-plot`)!;

  it('exits 0 and says which figures it leaves out for want of a column', () => {
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(html).toMatch(/column’s geometry is unknown/);
    expect(html).toMatch(/Left out for that reason: the profiles along the column \(Fig\. 1\)/);
    for (const id of ['fig1', 'fig2a', 'fig3']) expect(html).not.toContain(`<figure id="${id}"`);
    expect(html).not.toMatch(/NaN|undefined|Infinity/);
    // Table 1 from the fit: H2's fitted mean retention time (README: 52.165 s)
    expect(html).toMatch(/<td>H2<\/td><td class="num">52\.1\d\d<\/td>/);
  });

  it('Fig. 4 lies within the crop (40–160 s), windows shaded, peaks named, points and residuals drawn', () => {
    const signal = svgOf('fig4a');
    const x = ticks(signal, 'x');
    expect(x.length).toBeGreaterThan(3);
    for (const t of x) {
      expect(t).toBeGreaterThanOrEqual(40);
      expect(t).toBeLessThanOrEqual(160);
    }
    expect(byClass(signal, 'rect', 'band')).toHaveLength(4);
    expect(byClass(signal, 'text', 'annotation').map((a) => a.textContent)).toEqual(['H2', 'O2', 'N2', 'CO']);
    const [points] = byClass(signal, 'path', 'series');
    expect(points.getAttribute('data-label')).toBe('measured');
    // one dot per sample of the crop (50 Hz, 40–160 s), less repeats of a pixel
    expect((points.getAttribute('d') ?? '').match(/h0/g)!.length).toBeGreaterThan(1000);
    const residual = svgOf('fig4b');
    const yr = ticks(residual, 'y');
    const ys = ticks(signal, 'y');
    // its own scale: residuals span a few hundred counts, the signal about 7000
    expect(Math.max(...yr) - Math.min(...yr)).toBeLessThan(0.3 * (Math.max(...ys) - Math.min(...ys)));
    for (const t of ticks(residual, 'x')) expect(t).toBeGreaterThanOrEqual(40);
    // one zoomed panel per window
    expect(html).toContain('<figure id="fig4c"');
  });
});
