/**
 * The report opens in a real browser, offline, without console errors: Debian's headless
 * Chromium loads it with every host name unresolvable, and its console log must stay empty.
 * Skipped where no Chromium is installed, except in CI (CI=true), where a missing browser fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { btexProblem, parseProblem } from '../src/index.js';
import { buildReport, reportInputs } from '../src/figures/report.js';

function findChromium(): string | null {
  const names = ['chromium', 'chromium-browser'];
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const dir of dirs) for (const n of names) if (existsSync(join(dir, n))) return join(dir, n);
  return null;
}

const chromium = findChromium();
const inCi = process.env.CI === 'true';

/** Loads a page in headless Chromium with no network; returns the console lines and the DOM. */
function open(file: string): { console: string[]; dom: string } {
  const profile = mkdtempSync(join(tmpdir(), 'elution-chromium-'));
  const r = spawnSync(chromium!, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--host-resolver-rules=MAP * ~NOTFOUND', `--user-data-dir=${profile}`,
    '--enable-logging=stderr', '--v=0', '--dump-dom', `file://${file}`,
  ], { encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { console: r.stderr.split('\n').filter((l) => l.includes(':CONSOLE')), dom: r.stdout };
}

describe.skipIf(chromium === null && !inCi)('report in headless Chromium', () => {
  it('finds Chromium (required in CI: apt-get install -y chromium)', () => {
    expect(chromium, 'no chromium on PATH').not.toBeNull();
  });

  it('detects console errors (the check can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'elution-browser-'));
    const file = join(dir, 'bad.html');
    writeFileSync(file, '<!DOCTYPE html><html><head><meta charset="utf-8"/><title>x</title></head>' +
      '<body><script>console.error("broken page"); missingFunction();</script></body></html>');
    const { console: lines } = open(file);
    expect(lines.join('\n')).toMatch(/broken page/);
    expect(lines.join('\n')).toMatch(/missingFunction is not defined/);
  });

  it('opens the BTEX report, with every optional part, offline and without console messages', async () => {
    const problem = parseProblem(btexProblem());
    const inputs = await reportInputs(problem);
    const t = inputs.laplace.times;
    const signal = inputs.laplace.signal!;
    const html = buildReport({
      ...inputs,
      fd: { ...inputs.laplace, method: 'fd' },
      data: { time: t, signal: signal.map((s, j) => s + 10 * Math.sin(j)) },
      fit: {
        analytes: problem.analytes.map((a) => ({ name: a.name, ka: a.ka, kd: a.kd, K: a.ka / a.kd, r2: 0.97 })),
        fitted: { time: t, signal },
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'elution-browser-'));
    const file = join(dir, 'report.html');
    writeFileSync(file, html);
    const { console: lines, dom } = open(file);
    expect(lines).toEqual([]);
    // Rendered as HTML with every inline figure: 4 (Fig. 1) + 2 (Fig. 2) + 2 (Fig. 3) + 2 (Fig. 4).
    expect(dom.match(/<svg [^>]*role="img"/g)).toHaveLength(10);
    expect(dom).toMatch(/Table 3\. Fitted constants/);
  });
});
