// The code before the algorithmic speed-ups of the exact and finite-difference solvers, built once
// from git into node_modules/.cache/elution-baseline/<commit>/, so that a benchmark times "before"
// and "after" in one process, interleaved (two module graphs, two wasm instances), instead of
// comparing runs made at different times on a shared machine.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The last commit before the speed-ups (FD grid rule and schedule, peak location, panel quadrature). */
export const BASELINE_COMMIT = 'c1b447a';

const root = fileURLToPath(new URL('..', import.meta.url));

function run(cmd, args, cwd) {
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * The baseline's package entry (dist/index.js), built on first use (about half a minute); or
 * { module: null, reason } when it cannot be (no git history, e.g. an unpacked tarball).
 */
export async function loadBaseline() {
  const dir = join(root, 'node_modules', '.cache', 'elution-baseline', BASELINE_COMMIT);
  const entry = join(dir, 'dist', 'index.js');
  if (!existsSync(entry)) {
    try {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      execFileSync('sh', ['-c', `git archive ${BASELINE_COMMIT} | tar -x -C "${dir}"`], { cwd: root, stdio: 'pipe' });
      symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
      run(process.execPath, [join(root, 'node_modules', 'assemblyscript', 'bin', 'asc.js'), '--target', 'release'], dir);
      run(process.execPath, [join(dir, 'scripts', 'embed-wasm.mjs')], dir);
      run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], dir);
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      return { module: null, commit: BASELINE_COMMIT, reason: `cannot build ${BASELINE_COMMIT}: ${String(err.message).split('\n')[0]}` };
    }
  }
  return { module: await import(pathToFileURL(entry).href), commit: BASELINE_COMMIT, reason: null };
}
