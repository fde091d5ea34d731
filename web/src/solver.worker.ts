// The page's solver worker: the package's operations (exact solver, fit, finite differences).
// The kernels come from the embedded copy, so the worker fetches nothing.
import { serveSolver } from 'elution';
import { embeddedWasm } from 'elution/wasm-embedded';

void serveSolver({ wasm: embeddedWasm() });
