// One before/after measurement of chromatogram() (BTEX, 5 analytes, variable velocity), in a
// process of its own so that the garbage of other measurements does not colour it: the code
// before the speed-ups (bench/baseline.js) and today's, interleaved. Run by bench/laplace.js;
// prints a JSON line. Usage: node bench/laplace-before-after.js <points> <rounds> <budgetMs>
import { btexProblem, chromatogram, parseProblem, wasmEngine } from '../dist/index.js';
import { loadBaseline } from './baseline.js';
import { interleaved, ratioStats } from './common.js';

const [count, rounds, budgetMs] = process.argv.slice(2).map(Number);
const baseline = await loadBaseline();
const old = baseline.module;
if (!old) {
  console.log(JSON.stringify({ points: count, reason: baseline.reason }));
  process.exit(0);
}
function check(r) {
  if (r.status.code !== 'success' || !(r.analytes[0].peak.height > 0)) throw new Error('bad result');
}
const end = btexProblem().output?.end ?? 700;
const pNew = parseProblem({ ...btexProblem(), output: { start: 0, end, count } });
const pOld = old.parseProblem({ ...old.btexProblem(), output: { start: 0, end, count } });
// "event rule": today's chromatogram() with the kernel held to the old quadrature rule, so the
// gain of the glue (peak location, sums in wasm, one copy of the times) shows apart from the
// panel rule's.
const engine = wasmEngine();
const eventRule = () => {
  engine.setOutletRule('events');
  try {
    check(chromatogram(pNew));
  } finally {
    engine.setOutletRule('auto');
  }
};
const [before, events, after] = interleaved([
  { name: 'before', fn: () => check(old.chromatogram(pOld)) },
  { name: 'event rule', fn: eventRule },
  { name: 'after', fn: () => check(chromatogram(pNew)) },
], { rounds, budgetMs, warmupMs: 400 });
const r = chromatogram(pNew);
const o = old.chromatogram(pOld);
let change = 0;
r.analytes.forEach((a, i) => {
  for (let j = 0; j < count; j++) change = Math.max(change, Math.abs(a.concentration[j] - o.analytes[i].concentration[j]) / a.peak.height);
});
console.log(JSON.stringify({
  points: count, beforeMs: before.medianMs, eventRuleMs: events.medianMs, afterMs: after.medianMs,
  speedup: ratioStats(before, after), eventRuleSpeedup: ratioStats(before, events),
  evaluationsBefore: o.cost.evaluations, evaluationsAfter: r.cost.evaluations, maxChangeOverPeak: change,
}));
