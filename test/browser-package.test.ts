/**
 * The browser-facing parts of the package, checked in Node: every way of loading the wasm gives
 * the same kernels (bit-identical chromatograms), and the worker protocol (serveSolver <->
 * SolverClient) carries results, library errors with their key path, and cancellation.
 */
import { readFileSync } from 'node:fs';
import { MessageChannel } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import {
  btexProblem, chromatogram, fdChromatogram, laplaceOperations, loadWasm, ProblemError, programmedProblem, programmedRun, serveSolver,
  SolverClient, solverOperations, wasmUrl, type ChromatogramResult, type ProgrammedRun, type SolverScope,
} from '../src/index.js';
import { embeddedWasm } from '../src/engine/wasm-embedded.js';

const reference = chromatogram(btexProblem(), { engine: 'js' });
const bytes = readFileSync(wasmUrl);

function sameAsReference(): void {
  const r = chromatogram(btexProblem());
  expect(r.cost.engine).toBe('wasm');
  // The wasm kernels and their TS twin agree to rounding; every loading path gives one and the same wasm.
  r.analytes.forEach((a, i) => {
    const ref = reference.analytes[i].concentration;
    let err = 0;
    for (let j = 0; j < ref.length; j++) err = Math.max(err, Math.abs(a.concentration[j] - ref[j]));
    expect(err / reference.analytes[i].peak.height).toBeLessThan(1e-12);
  });
}

describe('loadWasm', () => {
  afterAll(async () => { await loadWasm(); });

  it('loads from every kind of source, giving identical numbers', async () => {
    const outputs: Float64Array[] = [];
    const sources: Array<[string, () => Parameters<typeof loadWasm>[0]]> = [
      ['default', () => undefined],
      ['file URL', () => wasmUrl],
      ['file URL string', () => wasmUrl.href],
      ['path relative to the working directory', () => 'build/elution.wasm'],
      ['bytes', () => new Uint8Array(bytes)],
      ['ArrayBuffer', () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)],
      ['compiled module', () => new WebAssembly.Module(bytes)],
      ['embedded copy', () => embeddedWasm()],
      ['Response (streaming)', () => new Response(bytes, { headers: { 'Content-Type': 'application/wasm' } })],
      ['Response with a wrong MIME type', () => new Response(bytes, { headers: { 'Content-Type': 'text/plain' } })],
    ];
    for (const [, source] of sources) {
      await loadWasm(source());
      sameAsReference();
      outputs.push(chromatogram(btexProblem()).analytes[4].concentration);
    }
    for (const o of outputs) expect(o).toEqual(outputs[0]);
  });

  it('embeds exactly build/elution.wasm', () => {
    expect(Buffer.from(embeddedWasm()).equals(bytes)).toBe(true);
  });

  it('names the file when the wasm cannot be read, and the HTTP status when it cannot be fetched', async () => {
    await expect(loadWasm(new URL('./missing.wasm', wasmUrl))).rejects.toThrow(/missing\.wasm/);
    const notFound = new Response('no', { status: 404 });
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async () => notFound) as typeof fetch;
    try {
      await expect(loadWasm('http://127.0.0.1:9/elution.wasm')).rejects.toThrow(/HTTP 404/);
    } finally {
      globalThis.fetch = realFetch;
    }
  });
});

/** A worker without a thread: the two ends of a MessageChannel. */
function channelWorker(operations = laplaceOperations) {
  const { port1, port2 } = new MessageChannel();
  port1.start();
  port2.start();
  void serveSolver({ operations: { ...operations }, wasm: new Uint8Array(bytes), scope: port1 as unknown as SolverScope });
  return Object.assign(port2, { terminate: () => { port1.close(); port2.close(); } }) as unknown as Worker;
}

describe('SolverClient and serveSolver', () => {
  it('returns the same chromatogram as a direct call, with library errors keeping their key path', async () => {
    const client = new SolverClient(() => channelWorker());
    expect(await client.ready).toEqual(['chromatogram', 'profiles']);
    const r = await client.chromatogram(btexProblem());
    const direct = chromatogram(btexProblem());
    r.analytes.forEach((a, i) => expect(a.concentration).toEqual(direct.analytes[i].concentration));
    const bad = btexProblem();
    bad.analytes[2].kd = -1;
    const err = await client.chromatogram(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProblemError);
    expect((err as ProblemError).path).toBe('analytes[2].kd');
    expect((err as Error).message).toBe('analytes[2].kd: must be a finite number > 0 (1/s), got -1');
    await expect(client.run('nope', [])).rejects.toThrow('operation: unknown "nope"; served here: chromatogram, profiles');
    client.terminate();
  });

  it('serves fit and finite differences by default: an FD run reports progress and matches a direct call', async () => {
    const client = new SolverClient(() => channelWorker(solverOperations));
    expect(await client.ready).toEqual(['chromatogram', 'profiles', 'fit', 'fd', 'fdProfiles', 'programmed']);
    const problem = btexProblem();
    problem.analytes = [problem.analytes[4]];
    const fractions: number[] = [];
    const r = await client.run<ChromatogramResult>('fd', [problem, {}], { onProgress: (f) => fractions.push(f) });
    expect(r.method).toBe('fd');
    expect(r.analytes[0].concentration).toEqual(fdChromatogram(problem).analytes[0].concentration);
    expect(fractions.length).toBeGreaterThan(0);
    client.terminate();
  });

  it('serves a programmed run (migration + Gaussian peaks) equal to a direct call, and its errors with their key', async () => {
    const client = new SolverClient(() => channelWorker(solverOperations));
    const r = await client.run<ProgrammedRun>('programmed', [programmedProblem(), {}]);
    const direct = programmedRun(programmedProblem());
    r.result.analytes.forEach((a, i) => expect(a.concentration).toEqual(direct.result.analytes[i].concentration));
    expect(r.traces.temperature).toEqual(direct.traces.temperature);
    const bad = programmedProblem() as { oven: unknown };
    bad.oven = { program: '40(1)-10-500' };
    const err = await client.run('programmed', [bad, {}]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProblemError);
    expect((err as ProblemError).path).toBe('oven.program');
    expect((err as Error).message).toMatch(/^oven\.program: step 2: target 773\.15 K \(500 °C\) is above 450 °C/);
    client.terminate();
  });

  it('reports progress, and cancels: by the signal when the operation yields, by a restart when it does not', async () => {
    let spawned = 0;
    const operations = {
      ...laplaceOperations,
      // Yields between steps and stops when aborted.
      async polite(_: unknown[], { onProgress, signal }: { onProgress(f: number): void; signal: AbortSignal }) {
        for (let i = 1; i <= 1000; i++) {
          if (signal.aborted) throw new DOMException('stopped', 'AbortError');
          onProgress(i / 1000);
          await new Promise((r) => setTimeout(r, 5));
        }
        return 'finished';
      },
      async deaf() {
        await new Promise((r) => setTimeout(r, 500));
        return 'too late';
      },
    };
    const client = new SolverClient(() => { spawned++; return channelWorker(operations); });
    await client.ready;
    const fractions: number[] = [];
    const controller = new AbortController();
    const job = client.run('polite', [], { signal: controller.signal, onProgress: (f) => fractions.push(f) });
    await new Promise((r) => setTimeout(r, 60));
    controller.abort();
    await expect(job).rejects.toMatchObject({ name: 'AbortError' });
    expect(fractions.length).toBeGreaterThan(0);
    expect(fractions.every((f, i) => f > 0 && f <= 1 && (i === 0 || f > fractions[i - 1]))).toBe(true);
    expect(spawned).toBe(1);
    // An operation that never looks at its signal (as a synchronous solve cannot): the client
    // stops it by restarting the worker, and the next run goes to the fresh one.
    client.cancelGraceMs = 20;
    const stuck = new AbortController();
    const deaf = client.run('deaf', [], { signal: stuck.signal });
    await new Promise((r) => setTimeout(r, 20));
    stuck.abort();
    await expect(deaf).rejects.toMatchObject({ name: 'AbortError' });
    expect(spawned).toBe(2);
    await client.ready;
    expect((await client.chromatogram(btexProblem())).analytes).toHaveLength(5);
    client.terminate();
  });
});
