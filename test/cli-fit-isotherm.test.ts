/**
 * `elution fit` and `elution report` with a saturating film (fit.isotherm, MODEL.md §13.6): the
 * table shows the isotherm, the fitted loading K c0/qMax and qMax per analyte, the report's Table 3
 * the same and its chromatogram is drawn with the fitted film; a linear fit prints the table it
 * printed before (no isotherm columns).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { btexProblem, chromatogram } from '../src/index.js';
import { fittingProblemOf } from './helpers.js';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

describe('CLI fit and report with fit.isotherm', () => {
  const dir = mkdtempSync(join(tmpdir(), 'elution-fit-isotherm-'));
  // benzene and toluene on the constant-velocity BTEX column: benzene Langmuir (K c0/qMax = 1), toluene linear
  const truth = btexProblem();
  truth.column.velocity = 'constant';
  truth.analytes = [truth.analytes[4], truth.analytes[3]];
  for (const a of truth.analytes) delete a.diffusivity;
  const benzene = truth.analytes[0];
  benzene.isotherm = 'langmuir';
  benzene.qMax = (benzene.ka / benzene.kd) * benzene.c0;
  truth.detector = { baseline: 0 };
  truth.output = { start: 0, end: 400, count: 1601 };
  const sim = chromatogram(truth, { diffusion: false });
  const csv = join(dir, 'data.csv');
  writeFileSync(csv, 'time,signal\n' + Array.from(sim.times, (t, j) => `${t},${(sim.signal as Float64Array)[j]}`).join('\n') + '\n');
  const problem = fittingProblemOf(truth);
  const linear = join(dir, 'linear.json');
  writeFileSync(linear, JSON.stringify(problem));
  problem.fit = { isotherm: { benzene: 'langmuir' } };
  const saturating = join(dir, 'saturating.json');
  writeFileSync(saturating, JSON.stringify(problem));

  it('elution fit prints the isotherm, the loading and qMax per analyte', () => {
    const r = spawnSync(process.execPath, [CLI, 'fit', saturating, csv, '--out', join(dir, 'fit.json')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.find((l) => l.startsWith('analyte'))).toMatch(/isotherm\s+K c0\/qMax\s+qMax \(mol\/m3\)/);
    // benzene: loading 1 (noise-free data), qMax = K c0
    const row = lines.find((l) => l.startsWith('benzene'))!;
    expect(row).toMatch(/langmuir\s+1\.000 ± /);
    expect(lines.find((l) => l.startsWith('toluene'))).toMatch(/\slinear\s+-\s+-\s/);
    const json = JSON.parse(readFileSync(join(dir, 'fit.json'), 'utf8'));
    expect(json.analytes[0].isotherm.form).toBe('langmuir');
    expect(Math.abs(json.analytes[0].isotherm.qMax / benzene.qMax! - 1)).toBeLessThan(1e-6);
    expect(json.analytes[1].isotherm).toBeUndefined();
  });

  it('a linear fit prints the table without isotherm columns, as before', () => {
    const r = spawnSync(process.execPath, [CLI, 'fit', linear, csv, '--out', join(dir, 'linear-fit.json')], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').find((l) => l.startsWith('analyte'))).not.toMatch(/isotherm|qMax/);
    const json = JSON.parse(readFileSync(join(dir, 'linear-fit.json'), 'utf8'));
    expect(json.analytes[0].isotherm).toBeUndefined();
  });

  it('elution report: Table 3 shows the isotherm and loading, the chromatogram is drawn with the fitted film', () => {
    const out = join(dir, 'report');
    const r = spawnSync(process.execPath, [CLI, 'report', saturating, csv, '--out', out, '--quiet'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/<th[^>]*>isotherm<\/th><th[^>]*>loading K c<sub>0<\/sub>\/q<sub>max<\/sub><\/th><th[^>]*>q<sub>max<\/sub> \(mol\/m³\)<\/th>/);
    expect(html).toMatch(/<td class="num">langmuir<\/td><td class="num">1\.000 ± /);
    expect(html).not.toMatch(/NaN|undefined/);
    // the other velocity model is left out, saying why: the Thomas solution is constant-velocity only
    expect(html).toMatch(/Not shown: the variable-velocity chromatogram: benzene has a langmuir film/);
    expect(html).toMatch(/Not shown: the profiles along the column \(Fig. 1\): benzene/);
    // Fig. 5: benzene's overload series around its fitted loading 1 (toluene is linear: none)
    expect(html).toContain('<h2>Peak against injected amount</h2>');
    expect(html).toMatch(/<b>Fig\. 5\.<\/b> benzene: the outlet peak divided by c<sub>0<\/sub> at the loadings K c<sub>0<\/sub>\/q<sub>max<\/sub> = 0\.1, 0\.333, 1 \(fitted\), 3,/);
    expect(html).toMatch(/the Langmuir film saturates: the front sharpens towards a shock and comes earlier/);
    expect(html).not.toMatch(/Fig\. 5[^<]*<\/b> toluene/);
    for (const l of ['0.1', '0.333', '1 (fitted)', '3']) expect(html).toContain(`K c0/qMax = ${l}<`);
  });
});
