/** Never a silent NaN or Infinity: derived quantities checked before a solve, outputs after. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { btexProblem, chromatogram, fdChromatogram, jsKernels, ProblemError, parseProblem, profiles, type LaplaceKernels } from '../src/index.js';
import { btexWith } from './helpers.js';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'elution-derived-'));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const everyAnalyte = (key: 'kd' | 'c0', value: number) => btexWith((p) => p.analytes.forEach((a) => { a[key] = value; }));

describe('derived quantities that overflow are refused, naming the key', () => {
  it.each([
    ['kd 1e-308', everyAnalyte('kd', 1e-308), /^analytes\[0\]\.kd: gives a retention time .* = Infinity s .* kd = 1e-308 1\/s is too small/],
    ['injection.duration 1e308', btexWith((p) => { p.injection.duration = 1e308; }), /^injection\.duration: .*must be below 1\.341e\+154 s, got 1e\+308/],
    ['c0 1e308', everyAnalyte('c0', 1e308), /^analytes\[0\]\.c0: gives a peak area c0\*duration that overflows, got 1e\+308/],
    ['column.radius 1e308', btexWith((p) => { p.column.radius = 1e308; }), /^column\.radius: gives a phase ratio .*2\.000e-314/],
    ['column.length 1e308', btexWith((p) => { p.column.length = 1e308; }), /^column\.length: gives a hold-up time .* = Infinity s/],
    ['kd 1e308 (kd*duration)', everyAnalyte('kd', 1e308), /^analytes\[0\]\.kd: gives a scaled pulse length kd\*duration that overflows, got 1e\+308/],
    ['diffusivity 1e308 (inverse Peclet number)', btexWith((p) => { p.analytes[2].diffusivity = 1e308; }),
      /^analytes\[2\]\.diffusivity: gives an inverse Peclet number .* overflows, got 1e\+308/],
    ['column.length 5e-324 with a diffusivity (column inverse Peclet number; fuzz seed 1003, case 7925)',
      btexWith((p) => { p.column.length = 5e-324; p.analytes[0].diffusivity = 5e-5; }),
      /^analytes\[0\]\.diffusivity: gives a column inverse Peclet number .* overflows \(diffusivity 0\.00005, column\.length 5e-324\)/],
    ['response 1e300 with c0 1e10', btexWith((p) => p.analytes.forEach((a) => { a.c0 = 1e10; a.response = 1e300; })),
      /^analytes\[0\]\.response: makes the detector signal .* overflow/],
  ])('%s', (_name, problem, message) => {
    expect(() => parseProblem(problem)).toThrow(RangeError);
    expect(() => parseProblem(problem)).toThrow(message);
    expect(() => chromatogram(problem)).toThrow(message);
  });

  it('kd 1e300 with output times to 1e10 s: the Bessel argument overflows; refused before the kernels run', () => {
    const problem = btexWith((p) => { p.analytes[1].kd = 1e300; p.output.end = 1e10; });
    const message = /^analytes\[1\]\.kd: gives a Bessel argument 2\*sqrt\(B\*kd\*t\) that overflows at t = 10000000000 s .*at most 1\.000e\+286 1\/s/;
    expect(() => chromatogram(problem)).toThrow(ProblemError);
    expect(() => chromatogram(problem)).toThrow(message);
    expect(() => profiles(problem, { times: [1, 1e10] })).toThrow(message);
    expect(chromatogram(problem, { times: [0, 100] }).status.code).not.toBe('success'); // kd t finite: solved (off-grid)
  });

  it('the CLI exits 1 naming the key; report names analytes[0].kd, not options.times', () => {
    writeFileSync(join(dir, 'kd.json'), JSON.stringify(everyAnalyte('kd', 1e-308)));
    const s = run('simulate', 'kd.json', '--out', 'kd.csv');
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(/^elution: kd\.json: analytes\[0\]\.kd: gives a retention time/);
    const r = run('report', 'kd.json', '--out', 'kd-report', '--quiet');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/analytes\[0\]\.kd: gives a retention time/);
    expect(r.stderr).not.toMatch(/options\.times/);
  });
});

describe('peaks the output times do not hold are named in warnings', () => {
  it('BTEX on its own grid: no warning, status success', () => {
    const r = chromatogram(btexProblem());
    expect(r.warnings).toEqual([]);
    expect(r.status.code).toBe('success');
  });

  it.each([
    ['injection.duration 1000 in a 700 s run', btexWith((p) => { p.injection.duration = 1000; }), 5, 'partly outside the output window 0..700 s'],
    ['kd 1e-3', everyAnalyte('kd', 1e-3), 5, 'outside the output window 0..700 s, after its end'],
    ['output.count 2', btexWith((p) => { p.output.count = 2; }), 5, 'inside the output window 0..700 s but between too few of its 2 points'],
    ['output.end 300', btexWith((p) => { p.output.end = 300; }), 3, 'outside the output window 0..300 s, after its end'],
    ['output.start 1500', btexWith((p) => { p.output.start = 1500; p.output.end = 1600; }), 5, 'outside the output window 1500..1600 s, before its start'],
  ])('%s: status off-grid, a warning per missed peak saying where it lies', (_name, problem, count, where) => {
    const r = chromatogram(problem);
    {
      expect(r.status.code).toBe('off-grid');
      expect(r.warnings).toHaveLength(count);
      const names = btexProblem().analytes.map((a) => a.name).slice(0, count);
      expect(r.status.message).toMatch(new RegExp(`: ${names.join(', ').replace('+', '\\+')}$`));
      r.warnings!.forEach((w, i) => expect(w.startsWith(`${names[i]}: the peak lies ${where} (t_R `)).toBe(true));
    }
  });

  it('too few points across a peak that overstate its area: off-grid too', () => {
    // benzene sampled every 3 sigma, one sample on its top: the trapezoid rule overstates the area
    const p = btexProblem();
    p.analytes = [p.analytes[4]];
    const { peak, moments } = chromatogram(p).analytes[0];
    const times = Array.from({ length: 13 }, (_, k) => peak.time + (k - 6) * 3 * moments.sigma);
    const r = chromatogram(p, { times });
    expect(r.analytes[0].area / moments.area).toBeGreaterThan(1.2);
    expect(r.status.code).toBe('off-grid');
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings![0]).toMatch(/^benzene: the peak lies inside the output window .* but between too few of its 13 points \(t_R 119\.164 s, sigma 5\.71 s; a trapezoid area over the output times 12\d% of its exact area\); a spacing below 2\.86 s resolves it$/);
  });

  it('fdChromatogram: the same status and warnings', () => {
    const r = fdChromatogram(btexWith((p) => { p.output.end = 300; }), { accuracy: 3e-2 });
    expect(r.status.code).toBe('off-grid');
    expect(r.warnings!.map((w) => w.slice(0, w.indexOf(' (t_R')))).toEqual(['o-xylene', 'p+m-xylene', 'ethylbenzene']
      .map((n) => `${n}: the peak lies outside the output window 0..300 s, after its end`));
  });

  it('the warning says where the peak lies and what output holds it', () => {
    const r = chromatogram(everyAnalyte('kd', 1e-3));
    const benzene = r.analytes[4].moments;
    const end = Number((benzene.mean + 4 * benzene.sigma).toPrecision(6));
    expect(r.warnings![4]).toContain(`(t_R ${Number(benzene.mean.toPrecision(6))} s, sigma ${benzene.sigma.toPrecision(3)} s; under 0.01% of its area`);
    expect(r.warnings![4]).toMatch(new RegExp(`output from 0 to ${end} s holds it$`));
    expect(r.analytes[4].peak.height).toBeLessThan(1e-100); // what the grid shows: not the peak, hence the status
  });

  it('simulate prints them', () => {
    writeFileSync(join(dir, 'count2.json'), JSON.stringify(btexWith((p) => { p.output.count = 2; })));
    const r = run('simulate', 'count2.json', '--out', 'count2.csv');
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^warning: .* the peak lies inside the output window 0\.\.700 s but between too few of its 2 points/gm)).toHaveLength(5);
    expect(r.stdout).toMatch(/^status: off-grid \(solved, but a peak lies outside the output times/m);
  });
});

describe('a non-finite output never has status success', () => {
  // kernels that return NaN, as a broken kernel would
  const broken: LaplaceKernels = {
    ...jsKernels, name: 'broken', outletConcentrations: undefined,
    outletConcentration: (times, _h, _r, _k, _p, _s, out) => { out.fill(Number.NaN); return times.length; },
    pointConcentration: (times, _h, _r, _s, _k, _p, out) => { out.fill(Number.NaN); return times.length; },
  };

  it('chromatogram: status non-finite naming the analyte and time', () => {
    const r = chromatogram(btexProblem(), { engine: broken });
    expect(r.status.code).toBe('non-finite');
    expect(r.status.message).toMatch(/: o-xylene: concentration NaN at t = 0 s$/);
  });

  it('profiles: status non-finite', () => {
    const r = profiles(btexProblem(), { times: [100], engine: broken });
    expect(r.status.code).toBe('non-finite');
    expect(r.status.message).toMatch(/profile 0, analyte 0: NaN at position 0/);
  });
});
