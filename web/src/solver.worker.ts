// The page's solver worker: the Laplace operations plus fit / finite differences where the package
// has them. The kernels come from the embedded copy, so the worker fetches nothing.
import { laplaceOperations, serveSolver } from 'elution';
import { embeddedWasm } from 'elution/wasm-embedded';
import { extraOperations } from './adapter.js';

void serveSolver({ operations: { ...laplaceOperations, ...extraOperations }, wasm: embeddedWasm() });
