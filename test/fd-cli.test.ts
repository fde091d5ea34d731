import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { btexProblem } from '../src/index.js';

const cli = new URL('../dist/cli/main.js', import.meta.url).pathname;
const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

describe('elution simulate/profile --method fd', () => {
  const dir = mkdtempSync(join(tmpdir(), 'elution-fd-'));
  const problem = btexProblem();
  problem.analytes = [problem.analytes[4]];
  const file = join(dir, 'benzene.json');
  writeFileSync(file, JSON.stringify(problem));

  it('writes the chromatogram as CSV and a summary, without a progress bar off a terminal', () => {
    const r = run(['simulate', file, '--method', 'fd', '--accuracy', '1e-2', '--out', '-']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('time,benzene,signal');
    expect(r.stdout.split('\n').length).toBe(1401 + 2);
    expect(r.stderr).toMatch(/^finite differences \(with diffusion\), variable velocity/);
    expect(r.stderr).not.toMatch(/\r/);
  });

  it('writes a profile', () => {
    const r = run(['profile', file, '--method', 'fd', '--time', '100', '--points', '11', '--out', '-']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('x,benzene');
  });

  it('--dt of any size: longer than the output spacing runs as the spacing; too short refused with the work limit', () => {
    const long = run(['simulate', file, '--method', 'fd', '--dt', '1e6', '--out', '-']);
    const spacing = run(['simulate', file, '--method', 'fd', '--dt', '0.5', '--out', '-']);
    expect(long.status).toBe(0);
    expect(long.stdout).toBe(spacing.stdout);
    const short = run(['simulate', file, '--method', 'fd', '--dt', '1e-9']);
    expect(short.status).toBe(1);
    expect(short.stderr).toMatch(/^elution: options\.dt: benzene: .* above the limit of 1e\+10 \(options\.workLimit\); use fewer cells or a longer step\n$/);
  });

  it('rejects bad options with exit code 2 and a bad problem with exit code 1', () => {
    let r = run(['simulate', file, '--method', 'euler']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--method must be "laplace" or "fd", got "euler"/);
    r = run(['simulate', file, '--method', 'fd', '--cells', '3']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--cells must be an integer >= 4/);
    r = run(['simulate', file, '--dt', '0.1']);
    expect(r.status).toBe(2);
    r = run(['simulate', file, '--method', 'fd', '--scheme', 'explicit', '--cells', '200', '--dt', '1']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/options\.dt: 1 s is above the stability bound .* largest stable step is [\d.e-]+ s/);
    const bare = structuredClone(problem);
    delete bare.analytes[0].diffusivity;
    const noD = join(dir, 'nodiff.json');
    writeFileSync(noD, JSON.stringify(bare));
    r = run(['simulate', noD, '--method', 'fd']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/analytes\[0\]\.diffusivity: is required/);
  });
});
