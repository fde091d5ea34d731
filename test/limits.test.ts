/**
 * Limits of a request (src/model/limits.ts): a memory budget derived from the memory the process
 * can use, fixed maxima, bounded reads of input files, outputs written in chunks. Every large
 * request is refused before any work with the limit and the value in the message.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import {
  availableMemory, btexProblem, chromatogram, chromatogramCsv, chromatogramCsvChunks, DataError, fdProfiles,
  fitChromatogram, MAX_ANALYTES, MAX_DATA_POINTS, MAX_INPUT_BYTES, memoryBudget, parseProblem, ProblemError,
  profileCsv, profileCsvChunks, profiles, readCsvTable,
} from '../src/index.js';
import { jsonChunks } from '../src/io/json.js';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'elution-limits-'));

function run(args: string[], options: { input?: Buffer; node?: string[] } = {}) {
  const r = spawnSync(process.execPath, [...(options.node ?? []), CLI, ...args],
    { cwd: dir, encoding: 'utf8', input: options.input, maxBuffer: 1 << 26 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('memory budget', () => {
  it('is a quarter of the smallest of the V8 heap limit and the 4 GiB of wasm32 memory', () => {
    const heap = getHeapStatistics().heap_size_limit;
    const available = Math.min(heap, 4 * 1024 ** 3);
    expect(availableMemory().bytes).toBeLessThanOrEqual(available);
    expect(memoryBudget()).toBe(Math.floor(0.25 * availableMemory().bytes));
    expect(memoryBudget()).toBeLessThanOrEqual(1024 ** 3);
  });

  it('refuses a chromatogram, profile or fit above the budget before any work, naming the key, the need and the budget', () => {
    const p = btexProblem();
    p.analytes = Array.from({ length: 20 }, (_, i) => ({ ...p.analytes[i % 5], name: `a${i}` }));
    p.output.count = 10_000_000; // 8 bytes x 1e7 x (20 + 5) = 1907 MiB
    expect(() => chromatogram(p)).toThrow(ProblemError);
    expect(() => chromatogram(p)).toThrow(
      /^output\.count: a chromatogram of 20 analytes at 10000000 times needs about 1907 MiB, above the memory budget of \d+ MiB \(a quarter of the \d+ MiB [\w ]+\)/);
    expect(() => chromatogram(p, { times: new Float64Array(10_000_000) })).toThrow(/^options\.times: a chromatogram of 20 analytes/);
    expect(() => profiles(btexProblem(), { times: [100], points: 10_000_000 }))
      .toThrow(/^options\.points: 1 profile of 5 analytes at 10000000 points needs about 1221 MiB, above the memory budget/);
    expect(() => fdProfiles(btexProblem(), { times: [100, 200, 300], points: 10_000_000 }))
      .toThrow(/^options\.points: 3 profiles of 5 analytes at 10000000 points needs about 1221 MiB/);
    expect(() => fdProfiles(btexProblem(), { times: [100], points: 10_000_001 })).toThrow(/options\.points: must be an integer from 2 to 10000000/);
    const fp = btexProblem() as Partial<ReturnType<typeof btexProblem>>;
    delete fp.output;
    fp.analytes = Array.from({ length: 200 }, (_, i) => ({ ...btexProblem().analytes[i % 5], name: `a${i}` }));
    const n = MAX_DATA_POINTS;
    const data = { time: Float64Array.from({ length: n }, (_, j) => j), signal: new Float64Array(n) };
    expect(() => fitChromatogram(fp, data)).toThrow(/^data: a fit of 200 analytes to 1000000 points needs about 6317 MiB/);
  });

  it('under a smaller heap the budget is smaller, and the message says why', () => {
    writeFileSync(join(dir, 'p2e6.json'), JSON.stringify({ ...btexProblem(), output: { start: 0, end: 700, count: 2_000_000 } }));
    const r = run(['simulate', 'p2e6.json', '--out', '/dev/null'], { node: ['--max-old-space-size=256'] });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^elution: output\.count: a chromatogram of 5 analytes at 2000000 times needs about 153 MiB, above the memory budget of \d\d MiB \(a quarter of the \d+ MiB V8 heap limit\)/);
  });
});

describe('fixed maxima', () => {
  it('at most MAX_ANALYTES analytes, counted before any is read', () => {
    const p = btexProblem() as unknown as { analytes: unknown[] };
    p.analytes = new Array(MAX_ANALYTES + 1).fill({});
    expect(() => parseProblem(p)).toThrow(`analytes: must hold at most ${MAX_ANALYTES} analytes, got ${MAX_ANALYTES + 1}`);
  });

  it('at most MAX_DATA_POINTS points to fit, and a CSV of more lines is refused before it is split into rows', () => {
    const fp = btexProblem() as Partial<ReturnType<typeof btexProblem>>;
    delete fp.output;
    const n = MAX_DATA_POINTS + 1;
    const data = { time: Float64Array.from({ length: n }, (_, j) => j), signal: new Float64Array(n) };
    expect(() => fitChromatogram(fp, data)).toThrow(DataError);
    expect(() => fitChromatogram(fp, data)).toThrow(/^data: must have at most 1000000 points .* got 1000001$/);
    const text = 'time,signal\n' + '1,2\n'.repeat(MAX_DATA_POINTS + 1001);
    expect(() => readCsvTable(text)).toThrow(/^data: has more than 1001000 lines: a measured chromatogram may have at most 1000000 rows/);
  });
});

describe('bounded reads', () => {
  it('/dev/zero, an endless pipe and a file above 32 MiB are refused with the limit, not read', () => {
    let r = run(['simulate', '/dev/zero']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`elution: problem file /dev/zero goes on past the limit of ${MAX_INPUT_BYTES} bytes (32 MiB) ` +
      'for an input file; reading stopped there\n');
    // an endless producer on a pipe
    const piped = spawnSync('bash', ['-c', `yes | "${process.execPath}" "${CLI}" simulate /dev/stdin`], { encoding: 'utf8' });
    r = { code: piped.status, stdout: piped.stdout, stderr: piped.stderr };
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/problem file \/dev\/stdin goes on past the limit of 33554432 bytes/);
    const big = join(dir, 'big.csv');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, 40 * 1024 ** 2); // sparse: nothing is written, and nothing must be read
    closeSync(fd);
    writeFileSync(join(dir, 'p.json'), JSON.stringify(btexProblem()));
    r = run(['fit', 'p.json', 'big.csv']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^elution: data file big\.csv is 41943040 bytes, above the limit of 33554432 bytes \(32 MiB\) for an input file\n$/);
  });

  it('plot and report refuse an output grid larger than a figure draws', () => {
    writeFileSync(join(dir, 'p2m.json'), JSON.stringify({ ...btexProblem(), output: { start: 0, end: 700, count: 2_000_000 } }));
    for (const args of [['plot', 'p2m.json'], ['report', 'p2m.json', '--quiet']]) {
      const r = run(args);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/output\.count: 2000000 output times are more than a figure draws \(at most 1000000\)/);
    }
  });
});

describe('outputs in chunks', () => {
  it('CSV and JSON chunks join to the text of the one-string writers, each chunk near 64 K characters', () => {
    const p = btexProblem();
    p.output.count = 20001;
    const r = chromatogram(p);
    const chunks = [...chromatogramCsvChunks(r)];
    expect(chunks.length).toBeGreaterThan(10);
    for (const c of chunks.slice(0, -1)) expect(c.length).toBeLessThan(65536 + 200);
    expect(chunks.join('')).toBe(chromatogramCsv(r));
    expect(chunks.join('').split('\n').length).toBe(20001 + 2);
    const prof = profiles(btexProblem(), { times: [5, 108], points: 31 });
    expect([...profileCsvChunks(prof, 1)].join('')).toBe(profileCsv(prof, 1));
    const replacer = (_k: string, v: unknown) => (v instanceof Float64Array ? Array.from(v) : v);
    for (const value of [r, prof, { a: undefined, b: [undefined, NaN, -0, 1e300, () => 1], c: new Date(0), d: {}, e: [], f: 'x"\n' }]) {
      expect([...jsonChunks(value)].join('')).toBe(JSON.stringify(value, replacer, 2) + '\n');
    }
    for (const c of [...jsonChunks(r)].slice(0, -1)) expect(c.length).toBeLessThan(65536 + 200);
  });

  it('simulate --out writes the CSV and JSON the one-string writers would', () => {
    const csv = run(['simulate', '--out', 'c.csv']);
    expect(csv.code).toBe(0);
    expect(readFileSync(join(dir, 'c.csv'), 'utf8')).toBe(chromatogramCsv(chromatogram(btexProblem())));
    const json = run(['simulate', '--out', 'c.json']);
    expect(json.code).toBe(0);
    const written = JSON.parse(readFileSync(join(dir, 'c.json'), 'utf8'));
    expect(written.analytes[4].concentration).toEqual(Array.from(chromatogram(btexProblem()).analytes[4].concentration));
  });
});
