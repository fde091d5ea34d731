/**
 * The measured runs of ../shared/data (beside the repository, not part of it: the Fusion runs are
 * GPL-3.0 test fixtures that this MIT repository may not carry). A clone without them skips the
 * tests that need them with a one-line message naming the missing file; under CI=true, where the
 * data are always laid beside the clone, a missing file fails instead.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';

/** ../shared/data relative to the repository root. */
export const SHARED_DATA = join(__dirname, '..', '..', '..', 'shared', 'data');

const onCi = process.env.CI === 'true';

/** The path of `file` in ../shared/data. */
export function sharedDataPath(file: string): string {
  return join(SHARED_DATA, file);
}

/**
 * `describe(name, body)` when every file of `files` (names in ../shared/data) exists. Otherwise,
 * outside CI, a skipped suite and one warning line naming the first missing file; under CI=true
 * a suite whose one test fails with that message.
 */
export function describeWithSharedData(name: string, files: string[], body: () => void): void {
  const missing = files.map(sharedDataPath).find((path) => !existsSync(path));
  if (missing === undefined) {
    describe(name, body);
    return;
  }
  const why = `measured data ${missing} is missing (the repository does not ship it; it lies in ../shared/data beside the clone)`;
  if (onCi) {
    describe(name, () => {
      it('has its measured data (required under CI=true)', () => {
        throw new Error(why);
      });
    });
  } else {
    console.warn(`skipping "${name}": ${why}`);
    describe.skip(`${name} (skipped: ${why})`, () => {
      it('needs the measured data', () => undefined);
    });
  }
}
