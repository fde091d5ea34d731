/**
 * End-to-end tests of the page in a real browser: Debian's chromium driven by playwright-core (no
 * browser download). The page is built with Vite from the built package (dist/) and served from
 * 127.0.0.1. Without /usr/bin/chromium the tests are skipped locally and fail under CI=true.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as elution from '../dist/index.js';
import { EXAMPLE_TRUTH, exampleProblem, measurementCsv } from '../web/src/example.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const onCI = process.env.CI === 'true';

const root = fileURLToPath(new URL('..', import.meta.url));
const webDist = join(root, 'web', 'dist');
const MIME: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm',
  '.json': 'application/json', '.csv': 'text/csv', '.png': 'image/png',
};

/** The launch flags: no GPU, no network chatter of the browser itself, no first-run UI. */
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
}

/** Largest |a - b| relative to the largest |b| (the scale of the curve). */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let scale = 0;
  let err = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  for (let i = 0; i < b.length; i++) err = Math.max(err, Math.abs(a[i] - b[i]));
  return err / scale;
}

if (!haveChromium) {
  const why = `${CHROMIUM} not found (install it with: apt-get update && apt-get install -y chromium)`;
  if (onCI) {
    describe('page in a real browser', () => {
      it('needs Debian chromium under CI=true', () => {
        throw new Error(`browser end-to-end tests cannot run: ${why}`);
      });
    });
  } else {
    console.warn(`skipping the browser end-to-end tests: ${why}`);
    describe.skip(`page in a real browser (skipped: ${why})`, () => {
      it('loads', () => undefined);
    });
  }
} else {
  describe('page in a real browser', () => {
    let server: Server;
    let origin: string;
    let profileDir: string;
    let context: BrowserContext;
    let page: Page;
    const served: string[] = [];
    const foreign: string[] = [];
    let problems: string[] = [];

    beforeAll(async () => {
      execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
        { cwd: root, stdio: 'inherit' });
      server = createServer((req, res) => {
        const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
        served.push(path);
        const file = normalize(join(webDist, path === '/' ? 'index.html' : path));
        if (!file.startsWith(webDist) || !existsSync(file)) {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'max-age=3600' });
        res.end(readFileSync(file));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      profileDir = mkdtempSync(join(tmpdir(), 'elution-chromium-'));
      context = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, headless: true, args: ARGS });
      // Every request must stay on 127.0.0.1 (or be a blob:/data: URL of the page itself).
      await context.route('**/*', (route) => {
        const url = new URL(route.request().url());
        if (url.hostname === '127.0.0.1' || url.protocol === 'blob:' || url.protocol === 'data:') return route.continue();
        foreign.push(url.href);
        return route.abort();
      });
    }, 60_000);

    afterAll(async () => {
      await context?.close();
      await new Promise((resolve) => server?.close(resolve));
      if (profileDir) rmSync(profileDir, { recursive: true, force: true });
    });

    async function open(): Promise<Page> {
      problems = [];
      page = await context.newPage();
      page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'error') problems.push(`worker console: ${m.text()}`); }));
      page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
      await page.goto(`${origin}/`);
      await page.evaluate(() => (window as any).app.ready);
      return page;
    }

    afterEach(async () => {
      await page?.close();
      expect(problems).toEqual([]);
      expect(foreign).toEqual([]);
    });

    /**
     * The 2022 Fusion run of ../shared/data, or the test skipped with the reason (a failure under
     * CI=true, where the data must be there).
     */
    function fusion2022OrSkip(ctx: { skip: () => void }, what: string): string {
      const csv = join(root, '..', 'shared', 'data', 'fusion_moduleA_100C_Cu_20220608.csv');
      if (!existsSync(csv)) {
        const why = `measured data ${csv} is missing (the repository does not ship it; it lies in ../shared/data beside the clone)`;
        if (onCI) throw new Error(why);
        console.warn(`skipping the ${what} in the page: ${why}`);
        ctx.skip();
      }
      return csv;
    }

    const peakTime = (name: string) =>
      page.locator(`#peaks tr[data-analyte="${name}"] td.peak-time`).textContent().then(Number);
    /** Time (s) at which the benzene curve (darkened Okabe–Ito orange, PALETTE[4]) is highest on the drawn canvas. */
    const plottedBenzenePeak = () =>
      page.evaluate(() => {
        const canvas = document.querySelector<HTMLCanvasElement>('#chromatogram')!;
        const { width, height } = canvas;
        const pixels = canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
        const dpr = width / canvas.clientWidth;
        // The legend sits above the frame: only the frame's rows are searched.
        const frameTop = Math.ceil(((window as any).app.chromatogramAxis.top + 1) * dpr);
        // The highest row with orange pixels; the peak is at the middle of that row's orange run.
        const best = { x: -1, y: -1 };
        for (let y = frameTop; y < height && best.y < 0; y++) {
          let sum = 0, count = 0;
          for (let x = 0; x < width; x++) {
            const i = 4 * (y * width + x);
            // The darkened orange #B07800, not the vermillion #D55E00 (p+m-xylene), whose red is 37 above
            // it, nor the green #009E73, whose blue is 115.
            const orange = Math.abs(pixels[i] - 0xb0) < 30 && Math.abs(pixels[i + 1] - 0x78) < 30 && pixels[i + 2] < 40;
            if (orange) { sum += x; count++; }
          }
          if (count > 0) { best.x = sum / count; best.y = y; }
        }
        // Plot area: 72 CSS px from the left, 12 from the right; x axis from 0 to output.end.
        const left = 72 * dpr;
        const plotWidth = width - (72 + 12) * dpr;
        const end = (window as any).app.result.times.at(-1);
        return ((best.x - left) / plotWidth) * end;
      });
    /** Moves a slider the way a user does: set its value, fire `input`. */
    const slide = (forPath: string, value: number) =>
      page.evaluate(([path, v]) => {
        const el = document.querySelector<HTMLInputElement>(`input[data-for="${path}"]`)!;
        el.value = String(v);
        el.dispatchEvent(new Event('input', { bubbles: true }));
      }, [forPath, value] as const);

    it('draws BTEX, moves the peaks the right way, and validates in place with the library messages', async () => {
      await open();
      const names = elution.btexProblem().analytes.map((a) => a.name);
      const before = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await peakTime(n)] as const)));
      // The page's peaks are the library's (Node) peaks.
      const node = elution.chromatogram(elution.btexProblem());
      for (const a of node.analytes) expect(before[a.name]).toBeCloseTo(a.peak.time, 3);
      // Stronger adsorption of benzene (ka up 2x) retains it longer; nothing else moves.
      const drawnBefore = await plottedBenzenePeak();
      expect(Math.abs(drawnBefore - before.benzene)).toBeLessThan(2); // within ~2 px of the table
      await slide('analytes[4].ka', Math.log10(2 * 579));
      expect(await peakTime('benzene')).toBeGreaterThan(before.benzene + 20);
      const drawnAfter = await plottedBenzenePeak();
      expect(Math.abs(drawnAfter - (await peakTime('benzene')))).toBeLessThan(2);
      expect(drawnAfter).toBeGreaterThan(drawnBefore + 20);
      console.info(`benzene peak drawn at ${drawnBefore.toFixed(1)} s, then ${drawnAfter.toFixed(1)} s (table: ${before.benzene}, ${await peakTime("benzene")})`);
      for (const n of names.slice(0, 4)) expect(await peakTime(n)).toBe(before[n]);
      // A faster carrier elutes every peak earlier.
      const slow = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await peakTime(n)] as const)));
      await slide('column.inletVelocity', 0.6);
      for (const n of names) expect(await peakTime(n)).toBeLessThan(slow[n]);
      // A bad value is flagged beside its field with the library's own message.
      const field = page.locator('input[name="column.radius"]');
      await field.fill('-1');
      const expected = (() => {
        const p = elution.btexProblem();
        p.column.radius = -1;
        try { elution.parseProblem(p); } catch (err) { return (err as Error).message; }
        return 'no error';
      })();
      await expect.poll(() => page.locator('[data-path="column.radius"] .error').textContent()).toBe(expected);
      await expect.poll(() => page.locator('[data-path="column.radius"]').getAttribute('class')).toContain('invalid');
    });

    it('computes the same numbers as Node (wasm, main thread and worker)', async () => {
      await open();
      const inPage = await page.evaluate(async () => {
        const { elution, app } = window as any;
        const problem = elution.btexProblem();
        const main = elution.chromatogram(problem);
        const worker = await app.solver.chromatogram(problem);
        const profile = elution.profiles(problem, { times: [150], points: 201 });
        return {
          engine: main.cost.engine,
          main: main.analytes.map((a: any) => Array.from(a.concentration)),
          worker: worker.analytes.map((a: any) => Array.from(a.concentration)),
          peaks: main.analytes.map((a: any) => a.peak.height),
          profile: profile.concentrations[0].map((c: Float64Array) => Array.from(c)),
          example: app.exampleCsv(),
        };
      });
      expect(inPage.engine).toBe('wasm');
      const problem = elution.btexProblem();
      const node = elution.chromatogram(problem);
      const nodeProfile = elution.profiles(problem, { times: [150], points: 201 });
      let worst = 0;
      node.analytes.forEach((a, i) => {
        worst = Math.max(worst, relativeError(inPage.main[i], a.concentration), relativeError(inPage.worker[i], a.concentration),
          relativeError(inPage.profile[i], nodeProfile.concentrations[0][i]),
          Math.abs(inPage.peaks[i] - a.peak.height) / a.peak.height);
      });
      console.info(`browser vs Node: largest relative difference ${worst}`);
      expect(worst).toBeLessThanOrEqual(1e-12);
      const example = elution.chromatogram(exampleProblem(elution.btexProblem()));
      expect(inPage.example).toBe(measurementCsv(example.times, example.signal!));
    });

    it('redraws the 5-analyte chromatogram within one frame (16 ms) of compute', async () => {
      await open();
      // A round is 300 slider moves; its first 20 warm up. On a 2-core machine another process
      // (a test file, the compiler) can take the core for a few ms and lift the p95 of a round
      // that the page itself would meet: up to three rounds are timed and the quietest must hold.
      const rounds: { median: number; p95: number }[] = [];
      for (let round = 0; round < 3; round++) {
        const timings: number[] = await page.evaluate(() => {
          const { app } = window as any;
          const slider = document.querySelector<HTMLInputElement>('input[data-for="analytes[0].kd"]')!;
          const start = app.timings.length;
          for (let i = 0; i < 300; i++) {
            slider.value = String(1 + 0.3 * Math.sin(i / 10));
            slider.dispatchEvent(new Event('input', { bubbles: true }));
          }
          return app.timings.slice(start);
        });
        expect(timings.length).toBe(300);
        const steady = timings.slice(20);
        rounds.push({ median: median(steady), p95: quantile(steady, 0.95) });
        if (rounds[round].p95 < 16) break;
      }
      const best = rounds.reduce((a, b) => (b.p95 < a.p95 ? b : a));
      console.info(`slider redraw (validate + chromatogram 5 x 1401 + profile 5 x 801 + draw), 280 redraws per round: ` +
        rounds.map((r) => `median ${r.median.toFixed(2)} ms, p95 ${r.p95.toFixed(2)} ms`).join('; '));
      expect(best.median).toBeLessThan(16);
      expect(best.p95).toBeLessThan(16);
    });

    it('works offline once loaded, stays responsive during a long worker run, and contacts only 127.0.0.1', async () => {
      await open();
      const before = served.length;
      await context.setOffline(true);
      try {
        // A long run in the worker: the BTEX finite-difference solve.
        const report = await page.evaluate(async () => {
          const { elution, app } = window as any;
          const gaps: number[] = [];
          let last = performance.now();
          const tick = setInterval(() => { const now = performance.now(); gaps.push(now - last); last = now; }, 10);
          const started = performance.now();
          const job = app.solver.run('fd', [elution.btexProblem(), {}]);
          // Slider redraws on the main thread while the worker computes.
          const redraws: number[] = [];
          const slider = document.querySelector<HTMLInputElement>('input[data-for="column.length"]')!;
          for (let i = 0; i < 20; i++) {
            await new Promise((r) => setTimeout(r, 15));
            const t = performance.now();
            slider.value = String(15 + i / 4);
            slider.dispatchEvent(new Event('input', { bubbles: true }));
            redraws.push(performance.now() - t);
          }
          const result = await job;
          const runMs = performance.now() - started;
          clearInterval(tick);
          document.querySelector<HTMLButtonElement>('#load-example')!.click();
          return { runMs, maxGap: Math.max(...gaps.slice(1)), redraws, points: result.times.length, measured: document.querySelector('#data-info')!.textContent };
        });
        console.info(`during a ${report.runMs.toFixed(0)} ms finite-difference run in the worker (${report.points} times): ` +
          `largest main-thread gap ${report.maxGap.toFixed(1)} ms (10 ms timer), slider redraw median ${median(report.redraws).toFixed(2)} ms`);
        expect(report.runMs).toBeGreaterThan(200);
        // A solve on the main thread would stall it for about the whole run; on a loaded machine the
        // scheduler alone can pause it for over 100 ms, so the bound grows with the (slowed) run.
        expect(report.maxGap).toBeLessThan(Math.max(150, 0.5 * report.runMs));
        expect(report.measured).toContain('1401 points');
        expect(served.length).toBe(before);
      } finally {
        await context.setOffline(false);
      }
      expect(served.every((p) => !p.includes('..'))).toBe(true);
    });

    it('opens a dropped CSV and a picked problem JSON, and exports the CSV, PNG and JSON the library would write', async () => {
      await open();
      // Drop: a chromatogram CSV, then one with a bad row (the reader's message is shown).
      const drop = (name: string, text: string) => page.evaluate(([n, t]) => {
        const data = new DataTransfer();
        data.items.add(new File([t], n, { type: 'text/csv' }));
        document.querySelector('#drop')!.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
      }, [name, text] as const);
      const example = elution.chromatogram(exampleProblem(elution.btexProblem()));
      await drop('example.csv', measurementCsv(example.times, example.signal!));
      await expect.poll(() => page.locator('#data-info').textContent()).toBe('example.csv: 1401 points, t = 0 … 700 s.');
      await drop('bad.csv', 'time,signal\n0,1\n1,x\n2,1\n');
      await expect.poll(() => page.locator('#data-info').textContent()).toContain('bad.csv: ');
      // Pick: a problem file in the CONFIG.md format replaces the form.
      const dir = mkdtempSync(join(tmpdir(), 'elution-json-'));
      try {
        const problem = elution.btexProblem();
        problem.column.length = 30;
        writeFileSync(join(dir, 'longer.json'), JSON.stringify(problem));
        await page.locator('#file').setInputFiles(join(dir, 'longer.json'));
        await expect.poll(() => page.locator('input[name="column.length"]').inputValue()).toBe('30');
        const save = async (button: string) => {
          const [download] = await Promise.all([page.waitForEvent('download'), page.locator(button).click()]);
          return readFileSync((await download.path())!);
        };
        expect((await save('#export-csv')).toString()).toBe(elution.chromatogramCsv(elution.chromatogram(problem)));
        expect(JSON.parse((await save('#export-json')).toString())).toEqual(elution.parseProblem(problem));
        expect([...(await save('#export-png')).subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('shows any analyte name as text (commas, quotes, markup) and reads an instrument export', async () => {
      await open();
      const names = ['p,m-xylene', '"quoted"', '<img src=x onerror="window.injected=1">', "it's & <b>bold</b>", 'benzène'];
      const problem = elution.btexProblem();
      problem.analytes.forEach((a, i) => { a.name = names[i]; });
      const dir = mkdtempSync(join(tmpdir(), 'elution-names-'));
      try {
        writeFileSync(join(dir, 'named.json'), JSON.stringify(problem));
        await page.locator('#file').setInputFiles(join(dir, 'named.json'));
        await expect.poll(() => page.locator('#peaks tbody tr').count()).toBe(5);
        const shown = await page.evaluate(() => ({
          cells: [...document.querySelectorAll('#peaks tbody tr')].map((tr) => tr.querySelector('td')!.textContent),
          keys: [...document.querySelectorAll('#peaks tbody tr')].map((tr) => tr.getAttribute('data-analyte')),
          fields: [...document.querySelectorAll<HTMLInputElement>('input[name$=".name"]')].map((i) => i.value),
          images: document.querySelectorAll('img, b').length,
          injected: (window as any).injected,
        }));
        const byElution = elution.chromatogram(problem).analytes.map((a) => a.name);
        expect(shown).toEqual({ cells: byElution, keys: byElution, fields: names, images: 0, injected: undefined });
        // The page's CSV export is the library's, quoted where needed, and reads back to the names.
        const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-csv').click()]);
        const text = readFileSync((await download.path())!).toString();
        expect(text).toBe(elution.chromatogramCsv(elution.chromatogram(problem)));
        expect(elution.readChromatogramColumns(text).names).toEqual([...names, 'signal']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      // A semicolon export with decimal commas below metadata lines is read as its plain twin.
      const example = elution.chromatogram(exampleProblem(elution.btexProblem()));
      const plain = measurementCsv(example.times, example.signal!);
      const instrument = 'Sample: example\r\nDetector;TCD\r\n\r\n' + plain.replace(/,/g, ';').replace(/\./g, ',').replace(/\n/g, '\r\n');
      await page.evaluate(([t]) => {
        const data = new DataTransfer();
        data.items.add(new File([t], 'export.csv', { type: 'text/csv' }));
        document.querySelector('#drop')!.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
      }, [instrument] as const);
      await expect.poll(() => page.locator('#data-info').textContent()).toBe('export.csv: 1401 points, t = 0 … 700 s.');
      const read = await page.evaluate(() => {
        const m = (window as any).app.measurement;
        return { time: Array.from(m.time as Float64Array), signal: Array.from(m.signal as Float64Array) };
      });
      expect(read.time).toEqual(Array.from(example.times));
      expect(read.signal).toEqual(Array.from(example.signal!));
    });

    it('programmed mode: the program editor by keyboard, errors tied to their fields, the worker\'s numbers equal to Node\'s', async () => {
      await open();
      // To the programmed run by keyboard: arrow keys move between the run radios.
      await page.locator('input[name="run-mode"][value="isothermal"]').focus();
      await page.keyboard.press('ArrowDown');
      await page.waitForFunction(() => (window as any).app.programmed !== null);
      expect(await page.evaluate(() => (window as any).app.mode)).toBe('programmed');
      await expect.poll(() => page.locator('#program-text').textContent()).toBe('40(1)-10-300(2)');
      // Every control has an accessible name.
      for (const name of ['Initial temperature (°C)', 'Initial hold (min)', 'Ramp 1 rate (°C/min)', 'Ramp 1 target (°C)',
        'Ramp 1 hold (min)', 'Column flow (mL/min at 25 °C, 1 atm)']) {
        await expect.poll(() => page.getByRole('textbox', { name, exact: true }).count(), name).toBe(1);
      }
      expect(await page.getByRole('combobox', { name: 'Carrier gas' }).count()).toBe(1);
      // The worker's retention times are Node's to the last bit (the migration runs in wasm); the
      // Gaussian samples to rounding (Math.exp and Math.pow of this Chromium's V8 and Node's; measured 3e-16).
      const node = elution.programmedRun(elution.programmedProblem());
      const inPage = await page.evaluate(() => {
        const r = (window as any).app.programmed.result;
        return { means: r.analytes.map((a: any) => a.moments.mean), c: Array.from(r.analytes[3].concentration as Float64Array),
          T0: (window as any).app.programmed.traces.temperature[0] };
      });
      expect(inPage.means).toEqual(node.result.analytes.map((a) => a.moments.mean));
      expect(relativeError(inPage.c, node.result.analytes[3].concentration)).toBeLessThan(2e-15);
      expect(inPage.T0).toBe(313.15);
      const rowText = await page.locator('#run-peaks tr[data-analyte="C12"] td').allTextContents();
      expect(Number(rowText[1])).toBe(Number(node.result.analytes[3].moments.mean.toFixed(2)));
      // Add a ramp by keyboard: the new row's rate field gets the focus, its prefilled value selected.
      await page.locator('#add-ramp').focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('pf-ramp-1-rate');
      await page.keyboard.type('5');
      await page.locator('#pf-ramp-1-target').fill('320');
      await expect.poll(() => page.locator('#program-text').textContent()).toBe('40(1)-10-300(2)-5-320');
      // A target above 450 °C: the library's message, on that field, tied by aria-describedby.
      await page.locator('#pf-ramp-1-target').fill('460');
      const expected = (() => {
        try { elution.parseProgram('40(1)-10-300(2)-5-460'); } catch (err) { return (err as Error).message; }
        return 'no error';
      })();
      await expect.poll(() => page.locator('#pf-ramp-1-target').getAttribute('aria-invalid')).toBe('true');
      const describedBy = await page.locator('#pf-ramp-1-target').getAttribute('aria-describedby');
      expect(await page.locator(`#${describedBy}`).textContent()).toBe(expected);
      expect(expected).toMatch(/^oven\.program: step 3: target .*above 450 °C/);
      await page.locator('#pf-ramp-1-target').fill('320');
      await expect.poll(() => page.locator('#pf-ramp-1-target').getAttribute('aria-invalid')).toBe(null);
      // A field the page reads itself: a rate that is not a number.
      await page.locator('#pf-ramp-0-rate').fill('ten');
      await expect.poll(() => page.locator('#pf-ramp-0-rate-error').textContent()).toBe('Ramp 1 rate must be a number, got "ten"');
      await page.locator('#pf-ramp-0-rate').fill('10');
      // Remove the second ramp by keyboard: focus stays in the table.
      await page.locator('[data-remove-ramp="1"]').focus();
      await page.keyboard.press('Space');
      await expect.poll(() => page.locator('#ramps tbody tr[data-ramp]').count()).toBe(1);
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-remove-ramp'))).toBe('0');
      // Pressure control, 60 psi gauge, hydrogen: the run the library computes from the same keys.
      await page.getByRole('radio', { name: 'inlet pressure', exact: true }).check();
      await page.locator('#pf-pressure-unit').selectOption('psi');
      await page.locator('#pf-pressure-scale').selectOption('gauge');
      await page.locator('#pf-pressure').fill('60');
      await page.getByRole('combobox', { name: 'Carrier gas' }).selectOption('H2');
      const carrier = { gas: 'H2', inletPressure: 60 * 6894.757293168361, pressureScale: 'gauge' };
      await expect.poll(() => page.evaluate(() => JSON.stringify((window as any).app.runState?.carrier))).toBe(JSON.stringify(carrier));
      const h2 = elution.programmedRun({ ...elution.programmedProblem(), carrier });
      await expect.poll(() => page.evaluate(() => (window as any).app.programmed.result.analytes[0].moments.mean))
        .toBe(h2.result.analytes[0].moments.mean);
      const shot = join(tmpdir(), 'elution-programmed-page.png');
      await page.screenshot({ path: shot, fullPage: true });
      console.info(`programmed mode: C9 t_R ${h2.result.analytes[0].moments.mean.toFixed(2)} s with H2 at 60 psig; screenshot ${shot}`);
    });

    it('works at phone width and from the keyboard: labels, errors tied to fields, no serious axe-core violations', async () => {
      await open();
      await page.setViewportSize({ width: 390, height: 844 });
      await page.evaluate(() => (window as any).app.redraw());
      // No horizontal scroll at 390 px: wide tables scroll inside their own box.
      const [scrollWidth, clientWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
      // The legend stands above the plot's frame, every entry inside the canvas: it covers no peak.
      const frame = await page.evaluate(() => ({ ...(window as any).app.chromatogramAxis,
        canvas: document.querySelector<HTMLCanvasElement>('#chromatogram')!.clientWidth }));
      expect(frame.legend).toHaveLength(5);
      for (const [x, y, w, h] of frame.legend) {
        expect(y + h).toBeLessThanOrEqual(frame.top);
        expect(x + w).toBeLessThanOrEqual(frame.canvas);
      }
      console.info(`at 390 px: legend in ${new Set(frame.legend.map((b: number[]) => b[1])).size} rows above a frame ${frame.width.toFixed(0)} x ${frame.height.toFixed(0)} px`);
      // Every control has a name a screen reader reads; the file picker is reachable by keyboard.
      const unnamed = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('input, select, button')]
        .filter((e) => !e.closest('[hidden]'))
        .filter((e) => !(e.getAttribute('aria-label') || (e as HTMLInputElement).labels?.length || (e.tagName === 'BUTTON' && e.textContent!.trim())))
        .map((e) => e.outerHTML.slice(0, 80)));
      expect(unnamed).toEqual([]);
      await page.locator('#file').focus();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('file');
      expect(await page.locator('[data-remove="4"]').getAttribute('aria-label')).toBe('Remove analyte benzene');
      // One palette with the report: the analytes' swatches are the package's Okabe–Ito colours.
      const swatches = await page.locator('.analyte .swatch').evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
      const rgb = (hex: string) => `rgb(${[1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16)).join(', ')})`;
      expect(swatches).toEqual(elution.ANALYTE_COLORS.slice(0, 5).map(rgb));
      // A bad typed number: the message quotes the text, is tied to its field, and the exports are off.
      const radius = page.locator('input[name="column.radius"]');
      await radius.fill('9e-5x');
      await expect.poll(() => page.locator('[data-path="column.radius"] .error').textContent()).toContain('got "9e-5x"');
      expect(await radius.getAttribute('aria-invalid')).toBe('true');
      const describedBy = (await radius.getAttribute('aria-describedby'))!;
      expect(await page.locator(`#${describedBy}`).textContent()).toContain('got "9e-5x"');
      for (const id of ['#export-csv', '#export-png', '#export-svg', '#export-json']) expect(await page.locator(id).isDisabled()).toBe(true);
      await radius.fill('9e-5');
      await expect.poll(() => page.locator('#export-json').isDisabled()).toBe(false);
      expect(await radius.getAttribute('aria-invalid')).toBeNull();
      // Exports: a 2x PNG of the chromatogram as drawn, and an SVG with one line per analyte.
      const save = async (button: string) => {
        const [download] = await Promise.all([page.waitForEvent('download'), page.locator(button).click()]);
        return readFileSync((await download.path())!);
      };
      const png = await save('#export-png');
      const cssWidth = await page.locator('#chromatogram').evaluate((c) => c.clientWidth);
      expect(png.readUInt32BE(16)).toBe(2 * cssWidth);
      const svg = (await save('#export-svg')).toString();
      expect(svg.startsWith('<?xml')).toBe(true);
      expect(svg.match(/class="series"/g)).toHaveLength(5);
      // A window that holds no peak: the table says so and the y axis keeps its floor (no noise drawn as a peak).
      await page.locator('input[name="output.end"]').fill('50');
      await expect.poll(() => page.locator('#peaks tr[data-analyte="toluene"] td.peak-time').textContent()).toBe('outside the output window');
      expect(await page.locator('#status').textContent()).toContain('off-grid');
      const axis = await page.evaluate(() => (window as any).app.chromatogramAxis as { y0: number; y1: number });
      const node = elution.chromatogram(elution.btexProblem());
      const tallest = Math.max(...node.analytes.map((a) => a.peak.height));
      expect(axis.y1 - axis.y0).toBeGreaterThan(1e-4 * tallest);
      await page.locator('input[name="output.end"]').fill('700');
      // axe-core in the page: no serious or critical violations.
      await page.addScriptTag({ path: join(root, 'node_modules/axe-core/axe.min.js') });
      const violations = await page.evaluate(async () => {
        const r = await (window as any).axe.run(document, { resultTypes: ['violations'] });
        return (r.violations as { id: string; impact: string; nodes: { target: string[] }[] }[])
          .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
      });
      console.info(`axe-core: ${violations.length} violations: ${JSON.stringify(violations)}`);
      expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    });

    it('fits a measured run with a fitting problem of unknown geometry: the constants of elution fit', async (ctx) => {
      const csv = fusion2022OrSkip(ctx, 'measured-run fit');
      await open();
      const json = join(root, 'examples', 'fusion-2022.json');
      await page.locator('#file').setInputFiles(csv);
      await expect.poll(() => page.locator('#data-info').textContent()).toContain('fusion_moduleA_100C_Cu_20220608.csv: 8000 points');
      await page.locator('#file').setInputFiles(json);
      await expect.poll(() => page.locator('#fit-problem-info').textContent()).toContain('geometry unknown');
      await page.locator('#fit').click();
      await expect.poll(() => page.evaluate(() => (window as any).app.fit !== null), { timeout: 20_000 }).toBe(true);
      const inPage = await page.evaluate(() => (window as any).app.fit.analytes.map((a: any) => ({ name: a.name, ka: a.ka, kd: a.kd })));
      // The page's main thread computes the worker's fit bit for bit (same engine, same Math).
      const mainThread = await page.evaluate(() => {
        const w = window as any;
        return w.elution.fitChromatogram(w.app.fitProblem, w.app.measurement).analytes.map((a: any) => [a.ka, a.kd]);
      });
      expect(mainThread).toEqual(inPage.map((a: { ka: number; kd: number }) => [a.ka, a.kd]));
      const problem = JSON.parse(readFileSync(json, 'utf8'));
      const node = elution.fitChromatogram(problem, elution.parseChromatogramCsv(readFileSync(csv, 'utf8')));
      // Node's V8 and Chromium's differ in the last bit of Math.exp and Math.log (and sin, cosh, pow), and the fitted
      // hold-up time lies along a flat direction that spreads such bits to 1e-5 of the constants; the fit
      // therefore computes exp and log itself (portable-math.ts), the same double in every engine.
      let worst = 0;
      node.analytes.forEach((a, i) => {
        expect(inPage[i].name).toBe(a.name);
        worst = Math.max(worst, Math.abs(inPage[i].ka / a.ka - 1), Math.abs(inPage[i].kd / a.kd - 1));
      });
      console.info(`Fusion 2022 fitted in the page's worker: largest relative difference from Node's fit ${worst.toExponential(2)}`);
      expect(worst).toBeLessThanOrEqual(1e-9);
      expect(await page.locator('#fit-table tr[data-analyte="CO"] td.r2').textContent()).toBe(String(Number(node.analytes[3].r2.toPrecision(6))));
      expect(await page.locator('#fit-plot').isVisible()).toBe(true);
      // The fitting problem exported reads back in elution fit.
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-fit-json').click()]);
      expect(JSON.parse(readFileSync((await download.path())!, 'utf8'))).toEqual(problem);
    });

    it('fits the 2022 run without a problem file: crop and windows dragged on the plot, peaks named by clicking them', async (ctx) => {
      const csv = fusion2022OrSkip(ctx, 'dragged-window fit');
      await open();
      const data = elution.parseChromatogramCsv(readFileSync(csv, 'utf8'));
      await page.locator('#file').setInputFiles(csv);
      await expect.poll(() => page.locator('#data-info').textContent()).toContain('8000 points');
      await page.locator('#fit-pulse').fill('0.125');
      /** Where time t lies on the window plot, in page coordinates (the frame as last drawn). */
      const at = (t: number) => page.evaluate((time) => {
        const f = (window as any).app.windowEditor.plotFrame;
        const box = document.querySelector('#window-plot')!.getBoundingClientRect();
        return { x: box.left + f.left + ((time - f.x0) / (f.x1 - f.x0)) * f.width, y: box.top + f.top + 0.6 * f.height };
      }, t);
      const drag = async (from: number, to: number) => {
        const [a, b] = [await at(from), await at(to)];
        await page.mouse.move(a.x, a.y);
        await page.mouse.down();
        await page.mouse.move(b.x, b.y, { steps: 8 });
        await page.mouse.up();
      };
      await page.locator('#window-plot').scrollIntoViewIfNeeded();
      // The crop, dragged on the whole run (the valve transient before 40 s left out).
      await drag(40, 159.9);
      const crop = await page.evaluate(() => (window as any).app.windowEditor.crop);
      expect(Math.abs(crop.start - 40)).toBeLessThan(0.3);
      expect(Math.abs(crop.end - 159.9)).toBeLessThan(0.3);
      // The view now spans the crop; the peak windows are dragged there, then each peak clicked and named.
      await page.locator('input[name="drag-target"][value="window"]').check();
      const wanted = [['H2', 50.62, 54.58], ['O2', 59.16, 61.7], ['N2', 66.84, 70.58], ['CO', 94.32, 98.12]] as const;
      // H2, O2 and N2 windows dragged; CO's made by clicking its peak (no window there yet).
      for (const [name, start, end] of wanted) if (name !== 'CO') await drag(start, end);
      for (const [name, start, end] of wanted) {
        let apex = -1;
        data.time.forEach((t, j) => { if (t >= start && t <= end && (apex < 0 || data.signal[j] > data.signal[apex])) apex = j; });
        const p = await at(data.time[apex]);
        await page.mouse.click(p.x, p.y);
        await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-window-field'))).toBe('name');
        await page.keyboard.type(name);
      }
      const made = await page.evaluate(() => (window as any).app.windowEditor.windows.find((w: { name: string }) => w.name === 'CO'));
      console.info(`CO's window made by a click on its peak: ${made.start}–${made.end} s (the example file's: 94.32–98.12 s)`);
      expect(Math.abs(made.start - 94.32)).toBeLessThan(1.5);
      expect(Math.abs(made.end - 98.12)).toBeLessThan(1.5);
      // A window's edge dragged moves that edge only; the typed time takes it back.
      const coWindow = () => page.evaluate(() => (window as any).app.windowEditor.windows.find((w: { name: string }) => w.name === 'CO'));
      const before = await coWindow();
      await drag(before.end, 99.5);
      const moved = await coWindow();
      expect(moved.start).toBe(before.start);
      expect(Math.abs(moved.end - 99.5)).toBeLessThan(0.3);
      await page.getByRole('textbox', { name: 'End of the window of CO (s)' }).fill(String(before.end));
      expect((await coWindow()).end).toBe(before.end);
      await expect.poll(() => page.evaluate(() => (window as any).app.fitProblem !== null)).toBe(true);
      await page.locator('#fit').click();
      await expect.poll(() => page.evaluate(() => (window as any).app.fit !== null), { timeout: 20_000 }).toBe(true);
      const inPage = await page.evaluate(() => (window as any).app.fit.analytes.map((a: any) => ({ name: a.name, ka: a.ka, kd: a.kd, r2: a.r2 })));
      // The problem the page made, as exported: the windows dragged (to 0.01 s), named as clicked.
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-fit-json').click()]);
      const exported = JSON.parse(readFileSync((await download.path())!, 'utf8'));
      expect(exported.column).toBeUndefined();
      expect(exported.injection.duration).toBe(0.125);
      expect(exported.analytes.map((a: { name: string }) => a.name)).toEqual(wanted.map((w) => w[0]));
      let drift = 0;
      for (const [name, start, end] of wanted.slice(0, 3)) {
        drift = Math.max(drift, Math.abs(exported.fit.windows[name].start - start), Math.abs(exported.fit.windows[name].end - end));
      }
      expect(exported.fit.windows.CO).toEqual({ start: made.start, end: made.end });
      expect(drift).toBeLessThan(0.3);
      // elution fit with that problem: the same constants.
      const node = elution.fitChromatogram(exported, data);
      let worst = 0;
      node.analytes.forEach((a, i) => {
        expect(inPage[i].name).toBe(a.name);
        worst = Math.max(worst, Math.abs(inPage[i].ka / a.ka - 1), Math.abs(inPage[i].kd / a.kd - 1));
      });
      const example = elution.fitChromatogram(JSON.parse(readFileSync(join(root, 'examples', 'fusion-2022.json'), 'utf8')), data);
      const fromExample = Math.max(...example.analytes.map((a, i) => Math.max(Math.abs(node.analytes[i].ka / a.ka - 1), Math.abs(node.analytes[i].kd / a.kd - 1))));
      console.info(`Fusion 2022 with dragged windows (within ${drift.toFixed(2)} s of the example's): largest relative difference ` +
        `from elution fit ${worst.toExponential(2)}; constants within ${(100 * fromExample).toFixed(2)} % of the example file's fit; ` +
        `R² ${inPage.map((a: { r2: number }) => a.r2.toFixed(4)).join(', ')}`);
      expect(worst).toBeLessThanOrEqual(1e-9);
      // The editor, its table and the fit's results pass axe-core too, and fit a phone's width.
      await page.addScriptTag({ path: join(root, 'node_modules/axe-core/axe.min.js') });
      const serious = await page.evaluate(async () => {
        const r = await (window as any).axe.run(document, { resultTypes: ['violations'] });
        return (r.violations as { id: string; impact: string }[]).filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
      });
      expect(serious).toEqual([]);
      await page.setViewportSize({ width: 390, height: 844 });
      await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    });

    it('drives the column by pressure as a GC does: doubling p0 shortens every t_R as Poiseuille says; u0 given keeps the paper\'s BTEX', async () => {
      await open();
      // The paper's problem (u0 given) computes what the library computes, to the last bit.
      const paper = elution.chromatogram(elution.btexProblem());
      const shown = await page.evaluate(() => (window as any).app.result.analytes.map((a: any) => [a.moments.mean, a.peak.time, a.peak.height]));
      expect(shown).toEqual(paper.analytes.map((a) => [a.moments.mean, a.peak.time, a.peak.height]));
      // Every practical field explains itself on hover (title) and on focus (a hint it is described by).
      const unexplained = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('#conditions input, #conditions select')]
        .filter((e) => {
          const hint = (e.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join('');
          const title = e.title || e.closest<HTMLElement>('[title]')?.title || '';
          return hint.trim().length < 20 || title.length < 20;
        }).map((e) => e.id || e.outerHTML.slice(0, 60)));
      expect(unexplained).toEqual([]);
      await page.locator('#cond-inlet').focus();
      expect(await page.locator('#cond-inlet-hint').isVisible()).toBe(true);
      // A GC user's run: 30 m x 0.25 mm x 0.25 um, helium at 100 °C, 100 kPa gauge into the atmosphere.
      await page.locator('#cond-preset').selectOption({ label: '30 m × 0.25 mm × 0.25 µm' });
      // The fields change with the choice (the form is drawn anew), so the radio is clicked, then read.
      await page.getByRole('radio', { name: 'pressure (Poiseuille)' }).click();
      await expect.poll(() => page.getByRole('radio', { name: 'pressure (Poiseuille)' }).isChecked()).toBe(true);
      await page.locator('#cond-gas').selectOption('He');
      await page.locator('#cond-temperature').fill('100');
      await page.locator('#cond-scale').selectOption('gauge');
      await page.locator('#cond-inlet').fill('100');
      await page.locator('#cond-outlet').fill('0');
      await expect.poll(() => page.evaluate(() => (window as any).app.state.column.inletPressure)).toBe(201325);
      expect(await page.locator('#status').textContent()).not.toContain('Invalid');
      const means = () => page.evaluate(() => (window as any).app.result.analytes.map((a: any) => a.moments.mean) as number[]);
      const one = await means();
      // The library's run form of the same run: its u0 and hold-up time, flow and mean velocity as shown.
      const run = elution.parseRunProblem({
        column: { length: 30, radius: 0.125e-3, filmThickness: 0.25e-6 }, carrier: { gas: 'He', inletPressure: 201325, outletPressure: 101325 },
        oven: { temperature: 373.15 }, injection: { duration: 4 }, analytes: [{ name: 'stand-in', ka: 1, kd: 1, c0: 1 }],
      });
      const u0 = await page.evaluate(() => (window as any).app.state.column.inletVelocity);
      expect(Math.abs(u0 / run.problem!.column.inletVelocity - 1)).toBeLessThan(1e-14);
      const tM = elution.holdupTimeAt(run.conditions, 0);
      const flow = elution.columnFlowAt(run.conditions, 0, elution.FLOW_REFERENCE) / elution.ML_PER_MIN;
      const derived = (await page.locator('#cond-derived').textContent())!;
      expect(derived).toContain(`${flow.toPrecision(3)} mL/min`);
      expect(derived).toContain(`t_M ${(tM / 60).toPrecision(4)} min (${tM.toPrecision(4)} s)`);
      expect(derived).toContain(`ū ${(100 * elution.meanVelocityAt(run.conditions, 0)).toPrecision(4)} cm/s`);
      // Twice the absolute inlet pressure: the unit change keeps the pressure, then it is doubled.
      await page.locator('#cond-scale').selectOption('absolute');
      expect(await page.locator('#cond-inlet').inputValue()).toBe('201.325');
      await page.locator('#cond-inlet').fill('402.65');
      await expect.poll(() => page.evaluate(() => (window as any).app.state.column.inletPressure)).toBe(402650);
      const two = await means();
      // MODEL.md §1.1: tM = 32 η L² (p0³ − pL³) / (3 R² (p0² − pL²)²); t_R − t1/2 = tM (1 + αK).
      const holdup = (p0: number, pL: number) => (p0 ** 3 - pL ** 3) / (p0 * p0 - pL * pL) ** 2;
      const ratio = holdup(402650, 101325) / holdup(201325, 101325);
      let worst = 0;
      one.forEach((m, i) => {
        expect(two[i]).toBeLessThan(m);
        worst = Math.max(worst, Math.abs((two[i] - 2) / (m - 2) / ratio - 1));
      });
      console.info(`pressure drive: He at 100 °C, 30 m x 0.25 mm, 100 kPa gauge: t_M ${tM.toFixed(2)} s, flow ${flow.toFixed(3)} mL/min; ` +
        `doubling p0 scales t_R - t1/2 by ${ratio.toFixed(6)} (Poiseuille), the page's peaks within ${worst.toExponential(2)} of it`);
      expect(worst).toBeLessThan(1e-12);
      // u0 given again (the paper's way): 41 cm/s is the state's 0.41 m/s.
      // The fields change with the choice (the form is drawn anew), so the radio is clicked, then read.
      await page.getByRole('radio', { name: 'inlet velocity u₀ (the paper)' }).click();
      await expect.poll(() => page.getByRole('radio', { name: 'inlet velocity u₀ (the paper)' }).isChecked()).toBe(true);
      await page.locator('#cond-velocity').fill('41');
      await expect.poll(() => page.evaluate(() => (window as any).app.state.column.inletVelocity)).toBe(0.41);
      expect(await page.locator('input[name="column.inletVelocity"]').isDisabled()).toBe(false);
    });

    it('overloaded peaks: isotherm and q_max per analyte, the Thomas chromatogram of elution simulate, the overload series, fit.isotherm in the worker', async () => {
      await open();
      const dir = mkdtempSync(join(tmpdir(), 'elution-overload-'));
      try {
        await page.locator('#velocity').selectOption('constant');
        const iso = page.locator('select[name="analytes[4].isotherm"]');
        // explained on hover and focus, like the page's other fields: the hint shows and describes the control
        await iso.focus();
        expect(await page.locator('[data-path="analytes[4].isotherm"] .hint').isVisible()).toBe(true);
        const description = (selector: string) => page.locator(selector).evaluate((e) =>
          (e.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' '));
        expect(await description('select[name="analytes[4].isotherm"]')).toContain('Thomas solution');
        await iso.selectOption('anti-langmuir');
        const qMax = page.locator('input[name="analytes[4].qMax"]');
        await expect.poll(() => qMax.inputValue()).not.toBe('');
        expect(await description('input[name="analytes[4].qMax"]')).toContain('loading K c0/qmax');
        // errors tied to the field: a q_max below K c0 for anti-Langmuir, a negative one
        const benzene = elution.btexProblem().analytes[4];
        const K = benzene.ka / benzene.kd;
        for (const [typed, message] of [[String(0.5 * K * benzene.c0), 'must be above K c0'], ['-1', 'analytes[4].qMax']] as const) {
          await qMax.fill(typed);
          await expect.poll(() => qMax.getAttribute('aria-invalid')).toBe('true');
          expect(await description('input[name="analytes[4].qMax"]')).toContain(message);
        }
        // a saturating film at variable velocity: the library's message on the velocity model
        await iso.selectOption('langmuir');
        await qMax.fill(String(K * benzene.c0 / 0.5));
        await page.locator('#velocity').selectOption('variable');
        await expect.poll(() => page.locator('[data-path="column.velocity"] .error').textContent()).toContain('must be "constant"');
        await page.locator('#velocity').selectOption('constant');
        await expect.poll(() => page.locator('#status').textContent()).toContain('Thomas solution');
        // the page's chromatogram is elution simulate's for the exported problem
        const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-json').click()]);
        const exported = join(dir, 'problem.json');
        writeFileSync(exported, readFileSync((await download.path())!));
        expect(JSON.parse(readFileSync(exported, 'utf8')).analytes[4]).toMatchObject({ isotherm: 'langmuir', qMax: K * benzene.c0 / 0.5 });
        const out = join(dir, 'simulated.json');
        execFileSync(process.execPath, [join(root, 'dist/cli/main.js'), 'simulate', exported, '--diffusion', 'off', '--out', out], { stdio: 'pipe' });
        const cli = JSON.parse(readFileSync(out, 'utf8'));
        const inPage = () => page.evaluate(() => (window as any).app.result.analytes.map((a: any) => Array.from(a.concentration as Float64Array)));
        const first = await inPage();
        let worst = 0;
        cli.analytes.forEach((a: { concentration: number[] }, i: number) => {
          // o-xylene leaves after the 700-s window: all its samples are 0 on both sides
          if (a.concentration.every((v) => v === 0)) expect(first[i].every((v: number) => v === 0)).toBe(true);
          else worst = Math.max(worst, relativeError(first[i], a.concentration));
        });
        console.info(`BTEX with benzene Langmuir (K c0/qmax 0.5): page against elution simulate, largest difference ${worst.toExponential(2)} of the peak`);
        expect(worst).toBeLessThanOrEqual(1e-12);
        // the overload series panel: benzene's around its loading, as the library computes it
        expect(await page.locator('#overload-panel').isVisible()).toBe(true);
        const series = await page.evaluate(() => {
          const s = (window as any).app.overload;
          return { loadings: s.curves.map((c: any) => c.loading), first: Array.from(s.curves[0].concentration as Float64Array) };
        });
        const node = elution.overloadSeries(JSON.parse(readFileSync(exported, 'utf8')), 'benzene', { diffusion: false });
        expect(series.loadings).toEqual(node.curves.map((c) => c.loading));
        expect(relativeError(series.first, node.curves[0].concentration)).toBeLessThanOrEqual(1e-12);
        expect(await page.locator('#overload-note').textContent()).toMatch(/front sharpens and comes earlier.*keeps the area t₁ = 4 s/);
        expect(await page.locator('#profile').isVisible()).toBe(false);
        expect(await page.locator('#profile-note').textContent()).toContain('Thomas solution');
        await page.locator('#overload-panel').screenshot({ path: join(tmpdir(), 'elution-overload-panel.png') });
        // the exported problem reads back into the page: same isotherm, q_max and chromatogram
        await page.locator('#reset').click();
        await expect.poll(() => page.locator('#overload-panel').isVisible()).toBe(false);
        await page.locator('#file').setInputFiles(exported);
        await expect.poll(() => iso.inputValue()).toBe('langmuir');
        expect(Number(await qMax.inputValue())).toBe(K * benzene.c0 / 0.5);
        expect(await inPage()).toEqual(first);
        // axe-core with the new controls, and no horizontal scroll at 390 px
        await page.setViewportSize({ width: 390, height: 844 });
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
        await page.addScriptTag({ path: join(root, 'node_modules/axe-core/axe.min.js') });
        const violations = await page.evaluate(async () => {
          const r = await (window as any).axe.run(document, { resultTypes: ['violations'] });
          return (r.violations as { id: string; impact: string; nodes: { target: string[] }[] }[])
            .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
        });
        console.info(`axe-core with the isotherm fields and the overload panel: ${violations.length} violations: ${JSON.stringify(violations)}`);
        expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
        await page.setViewportSize({ width: 1280, height: 900 });

        // a fitting problem with fit.isotherm fits in the worker; its table shows the loading and q_max
        const truth = elution.btexProblem();
        truth.column.velocity = 'constant';
        truth.analytes = [truth.analytes[4], truth.analytes[3]];
        for (const a of truth.analytes) delete a.diffusivity;
        truth.analytes[0].isotherm = 'langmuir';
        truth.analytes[0].qMax = K * benzene.c0;
        truth.detector = { baseline: 0 };
        truth.output = { start: 0, end: 400, count: 1601 };
        const sim = elution.chromatogram(truth, { diffusion: false });
        const csv = join(dir, 'overloaded.csv');
        writeFileSync(csv, measurementCsv(sim.times, sim.signal!));
        const fitting = structuredClone(truth) as any;
        for (const a of fitting.analytes) { delete a.ka; delete a.kd; delete a.isotherm; delete a.qMax; }
        delete fitting.output;
        fitting.fit = { isotherm: { benzene: 'langmuir' } };
        writeFileSync(join(dir, 'fitting.json'), JSON.stringify(fitting));
        await page.locator('#file').setInputFiles(csv);
        await expect.poll(() => page.locator('#data-info').textContent()).toContain('overloaded.csv: 1601 points');
        await page.locator('#file').setInputFiles(join(dir, 'fitting.json'));
        await expect.poll(() => page.locator('#fit-problem-info').textContent()).toContain('Fitting problem loaded');
        await page.locator('#fit').click();
        await expect.poll(() => page.evaluate(() => (window as any).app.fit !== null), { timeout: 30_000 }).toBe(true);
        const fitted = elution.fitChromatogram(fitting, elution.parseChromatogramCsv(readFileSync(csv, 'utf8')));
        const cell = (cls: string) => page.locator(`#fit-table tr[data-analyte="benzene"] td.${cls}`).textContent();
        const fmt = (v: number) => String(Number(v.toPrecision(6)));
        expect(await cell('isotherm')).toBe('langmuir');
        expect(await cell('loading')).toBe(fmt(fitted.analytes[0].isotherm!.loading));
        expect(await cell('qmax')).toBe(fmt(fitted.analytes[0].isotherm!.qMax!));
        expect(await page.locator('#fit-table tr[data-analyte="toluene"] td.isotherm').textContent()).toBe('linear');
        // the fitted loading is the truth's (noise-free data)
        expect(Math.abs(fitted.analytes[0].isotherm!.loading - 1)).toBeLessThan(1e-4);
        console.info(`fit.isotherm in the page's worker: benzene K c0/qmax ${await cell('loading')}, qmax ${await cell('qmax')} mol/m³`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('fits a picked CSV (synthetic BTEX from the library) and recovers the constants', async () => {
      await open();
      const truth = elution.chromatogram(exampleProblem(elution.btexProblem()));
      const dir = mkdtempSync(join(tmpdir(), 'elution-csv-'));
      const csv = join(dir, 'synthetic-btex.csv');
      writeFileSync(csv, measurementCsv(truth.times, truth.signal!));
      try {
        await page.locator('#file').setInputFiles(csv);
        await expect.poll(() => page.locator('#data-info').textContent()).toContain('1401 points');
        await page.locator('#fit').click();
        await page.locator('#fit-table').waitFor({ state: 'visible', timeout: 30_000 });
        const fitted = await page.evaluate(() => (window as any).app.fit.analytes.map((a: any) => ({ name: a.name, ka: a.ka, kd: a.kd, r2: a.r2 })));
        for (const t of EXAMPLE_TRUTH) {
          const f = fitted.find((a: { name: string }) => a.name === t.name);
          expect(f, t.name).toBeDefined();
          expect(Math.abs(f.ka / t.ka - 1), `${t.name} ka`).toBeLessThan(1e-6);
          expect(Math.abs(f.kd / t.kd - 1), `${t.name} kd`).toBeLessThan(1e-6);
          expect(f.r2).toBeGreaterThan(0.999999);
        }
        expect(await page.locator('#fit-table tr[data-analyte="benzene"] td.ka').textContent()).toBe(String(Number(fitted[4].ka.toPrecision(6))));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
