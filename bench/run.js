// Runs every benchmark suite in its own process (so one suite's JIT state and garbage do not
// colour another's) and prints their Markdown tables; each suite writes bench/results/<name>.*.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const suites = ['laplace', 'thomas', 'dispersion', 'fd', 'fd-langmuir', 'fd-program', 'fit', 'report', 'migration', 'soak'];
for (const name of suites) {
  const file = fileURLToPath(new URL(`./${name}.js`, import.meta.url));
  if (!existsSync(file)) continue;
  process.stderr.write(`\n# ${name}\n`);
  execFileSync(process.execPath, [...(name === 'soak' ? ['--expose-gc', '--min-semi-space-size=16'] : []), file], { stdio: 'inherit' });
}
