// The tailing N2 and CO peaks of the two real micro-GC runs (../shared/data, read there, not part of
// this repository): does axial diffusion, or a second, slow kind of site (MODEL.md §12.5), explain
// the tails that the fit's model (one kind of site, no diffusion) leaves? For each peak, in the
// fit's window with the hold-up time of the library fit (fitChromatogram, examples/fusion-*.json),
// the unit-area outlet peak of the constant-velocity column (L/u0 = tM, so only 1/Pe = D/(u L)
// enters) plus a linear baseline, areas and baseline by linear least squares for each shape, the
// shape's parameters by Nelder-Mead in logarithms (restarted until it stops improving; nested models
// start from the simpler one's optimum): no diffusion (the fit's model), with diffusion, with a slow
// site, with both. Prints R^2 per model. Exploratory: the column's geometry is unknown, so 1/Pe is
// all that diffusion can tell, not D. Run after npm run build: node scripts/tailing-study.mjs
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fitChromatogram, parseChromatogramCsv, wasmEngine } from '../dist/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shared = join(root, '..', 'shared', 'data');
const w = wasmEngine();
const RUNS = [['fusion_moduleA_100C_Cu_20220608.csv', 'fusion-2022.json'], ['fusion_moduleA_100C_AgPTFE_20210813.csv', 'fusion-2021.json']];
const rows = [];

function nelderMead(f, x0, step, iters = 4000) {
  const n = x0.length;
  let pts = [x0.slice()];
  for (let i = 0; i < n; i++) { const p = x0.slice(); p[i] += step[i]; pts.push(p); }
  let vals = pts.map(f);
  for (let it = 0; it < iters; it++) {
    const idx = vals.map((v, i) => i).sort((a, b) => vals[a] - vals[b]);
    pts = idx.map((i) => pts[i]); vals = idx.map((i) => vals[i]);
    const c = new Array(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) c[j] += pts[i][j] / n;
    const refl = c.map((cj, j) => cj + (cj - pts[n][j]));
    const fr = f(refl);
    if (fr < vals[0]) {
      const exp = c.map((cj, j) => cj + 2 * (cj - pts[n][j])); const fe = f(exp);
      if (fe < fr) { pts[n] = exp; vals[n] = fe; } else { pts[n] = refl; vals[n] = fr; }
    } else if (fr < vals[n - 1]) { pts[n] = refl; vals[n] = fr; }
    else {
      const con = c.map((cj, j) => cj + 0.5 * (pts[n][j] - cj)); const fc = f(con);
      if (fc < vals[n]) { pts[n] = con; vals[n] = fc; }
      else { for (let i = 1; i <= n; i++) { pts[i] = pts[i].map((v, j) => pts[0][j] + 0.5 * (v - pts[0][j])); vals[i] = f(pts[i]); } }
    }
    if (Math.abs(vals[n] - vals[0]) <= 1e-12 * Math.abs(vals[0])) break;
  }
  return { x: pts[0], f: vals[0] };
}
for (const [csv, pj] of RUNS) {
  if (!existsSync(join(shared, csv))) {
    console.error(`${csv} is not in ${shared}: skipped`);
    continue;
  }
  const data = parseChromatogramCsv(readFileSync(join(shared, csv), 'utf8'));
  const problem = JSON.parse(readFileSync(join(root, 'examples', pj), 'utf8'));
  let r;
  try { r = fitChromatogram(problem, data); } catch (e) { console.log(csv, 'fit failed', e.message); continue; }
  const tM = r.holdupTime.value;
  const t1 = problem.injection.duration;
  for (const name of ['N2', 'CO']) {
    const a = r.analytes.find((x) => x.name === name);
    if (!a) continue;
    const win = problem.fit.windows[name];
    const idx = []; for (let j = 0; j < data.time.length; j++) if (data.time[j] >= win.start && data.time[j] <= win.end) idx.push(j);
    const t = Float64Array.from(idx, (j) => data.time[j]); const y = Float64Array.from(idx, (j) => data.signal[j]);
    const tc = t[Math.floor(t.length / 2)];
    const ym = y.reduce((s, v) => s + v, 0) / y.length; const sst = y.reduce((s, v) => s + (v - ym) ** 2, 0);
    const h = new Float64Array(t.length);
    const model = (lnB, lnkd, lnInvPe, lnB2, lnkd2) => {
      w.setDispersionMechanisms(lnB2 === null ? 0 : Math.exp(lnB2), lnkd2 === null ? 1 : Math.exp(lnkd2), 0, 0);
      w.dispersiveConcentration(t, tM, lnInvPe === null ? 0 : Math.exp(lnInvPe), Math.exp(lnB), Math.exp(lnkd), t1, 1, 1 / t1, 1e-12, 1 << 14, h);
      // linear least squares for b0, b1, A
      let S = [[0, 0, 0], [0, 0, 0], [0, 0, 0]], R = [0, 0, 0];
      for (let j = 0; j < t.length; j++) { const v = [1, t[j] - tc, h[j]]; for (let p = 0; p < 3; p++) { R[p] += v[p] * y[j]; for (let q = 0; q < 3; q++) S[p][q] += v[p] * v[q]; } }
      const det = (m) => m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
      const D = det(S); if (!(Math.abs(D) > 0) || !Number.isFinite(D)) return 1e300; const c = [0, 1, 2].map((k) => det(S.map((row, i) => row.map((v, q) => (q === k ? R[i] : v)))) / D);
      let sse = 0; if (c.some((v) => !Number.isFinite(v))) return 1e300; for (let j = 0; j < t.length; j++) sse += (y[j] - c[0] - c[1] * (t[j] - tc) - c[2] * h[j]) ** 2;
      return sse;
    };
    const B0 = Math.log(a.ka * tM), kd0 = Math.log(a.kd);
    const fits = {};
    // Nelder-Mead restarted from its best point until it stops improving (it stalls on ridges)
    const fit = (f, x0, step) => {
      let best = nelderMead(f, x0, step);
      for (let k = 0; k < 8; k++) {
        const next = nelderMead(f, best.x, step);
        if (!(next.f < best.f * (1 - 1e-9))) break;
        best = next;
      }
      return best;
    };
    fits.base = fit((x) => model(x[0], x[1], null, null, null), [B0, kd0], [0.2, 0.2]);
    // nested models start from the simpler one's optimum (1/Pe = 1e-8: no diffusion to speak of)
    fits.diffusion = fit((x) => model(x[0], x[1], x[2], null, null), [...fits.base.x, Math.log(1e-8)], [0.05, 0.05, 2]);
    fits.slow = fit((x) => model(x[0], x[1], null, x[2], x[3]), [...fits.base.x, B0 - 5, kd0 - 2], [0.2, 0.2, 1, 1]);
    fits.both = fit((x) => model(x[0], x[1], x[2], x[3], x[4]), [...fits.slow.x.slice(0, 2), Math.log(1e-8), ...fits.slow.x.slice(2)], [0.05, 0.05, 2, 0.2, 0.2]);
    const r2 = (k) => 1 - fits[k].f / sst;
    const b = fits.both.x;
    rows.push(`| ${pj.slice(7, 11)} | ${name} | ${a.r2.toFixed(5)} | ${r2('base').toFixed(5)} | ${r2('diffusion').toFixed(5)} | ` +
      `${r2('slow').toFixed(5)} | ${r2('both').toFixed(5)} | ${Math.exp(fits.diffusion.x[2]).toExponential(1)} | ` +
      `${(Math.exp(fits.slow.x[2]) / Math.exp(fits.slow.x[0])).toExponential(1)}, ${Math.exp(fits.slow.x[3]).toPrecision(2)} |`);
  }
}
console.log(['| run | peak | R² library fit | R² one site | R² + diffusion | R² + slow site | R² + both | 1/Pe (+ diffusion) | B2/B, k_d2 (1/s) (+ slow site) |',
  '|---|---|---:|---:|---:|---:|---:|---:|---:|', ...rows].join('\n'));
