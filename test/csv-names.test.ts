/**
 * Analyte names are any printable text: a name with commas and quotes survives a CSV written by
 * the library or `elution simulate` and read back (same names, same doubles), and a name that is
 * markup is shown as text in SVG charts and the HTML report, never as markup. The SVG and HTML are
 * parsed as strict XML, so an unescaped quote or '<' fails the parse or changes the text read.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Document, Element } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import {
  buildReport, chromatogram, chromatogramCsv, chromatogramFigure, parseChromatogramCsv, parseProblem, profileCsv,
  profiles, readChromatogramColumns, readCsvTable, reportInputs, type ChromatogramResult, type Problem,
} from '../src/index.js';
import { btexWith } from './helpers.js';
import { byClass, elements, parseXml } from './support/xml.js';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'elution-names-'));

/** The BTEX analytes renamed: CSV separators and quotes, markup, an ampersand, non-ASCII text. */
const NAMES = ['p,m-xylene', '1,2-dichloroethane', '"quoted"', '<script>alert(1)</script>', 'benzène & "co", 1\'2'];
const problem: Problem = parseProblem(btexWith((p) => { NAMES.forEach((n, i) => { p.analytes[i].name = n; }); }));
writeFileSync(join(dir, 'named.json'), JSON.stringify(problem));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Same length and every element the same double (Object.is: -0 and NaN would count). */
function expectSameDoubles(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  const differ = Array.from(expected).findIndex((x, j) => !Object.is(actual[j], x));
  expect(differ, `${what}: first differing index`).toBe(-1);
}

/** Every column of a chromatogram file equals the result it was written from. */
function expectFileMatches(text: string, result: ChromatogramResult): void {
  const back = readChromatogramColumns(text);
  expect(back.names).toEqual([...NAMES, 'signal']);
  expectSameDoubles(back.time, result.times, 'time');
  result.analytes.forEach((a, i) => expectSameDoubles(back.values[i], a.concentration, a.name));
  expect(back.signal).toBe(NAMES.length);
  expectSameDoubles(back.values[back.signal], result.signal!, 'signal');
}

/** The analyte names as the chart shows them: legend texts and the data-label of each curve. */
function chartNames(svg: Document | Element): { legend: (string | null)[]; labels: (string | null)[] } {
  return {
    legend: byClass(svg, 'g', 'legend-entry').map((g) => elements(g, 'text')[0].textContent),
    labels: byClass(svg, 'path', 'series').map((p) => p.getAttribute('data-label')),
  };
}

function expectNoMarkupFromNames(doc: Document, text: string): void {
  expect(elements(doc, 'script')).toHaveLength(0);
  expect(text).not.toContain('<script>');
  expect(text).not.toContain('"quoted"'); // a raw quote pair would end an attribute
}

describe('analyte names with commas and quotes through CSV', () => {
  const result = chromatogram(problem);

  it('the library writes them quoted (RFC 4180) and reads back the same names and doubles', () => {
    const text = chromatogramCsv(result);
    // The header line as RFC 4180 writes it: quoted where a cell holds a comma or quote, quotes doubled.
    expect(text.split('\n')[0]).toBe('time,"p,m-xylene","1,2-dichloroethane","""quoted""",<script>alert(1)</script>,' +
      '"benzène & ""co"", 1\'2",signal');
    expect(readCsvTable(text).names).toEqual(['time', ...NAMES, 'signal']);
    expectFileMatches(text, result);
    const measured = parseChromatogramCsv(text);
    expectSameDoubles(measured.signal, result.signal!, 'signal');
  });

  it('a profile CSV too', () => {
    const inside = profiles(problem, { times: [108], points: 101 });
    const table = readCsvTable(profileCsv(inside));
    expect(table.names).toEqual(['x', ...NAMES]);
    expect(table.rows).toHaveLength(101);
  });

  it('elution simulate writes a file that reads back to the library result', () => {
    const r = run('simulate', 'named.json', '--out', 'named.csv');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('p,m-xylene');
    expectFileMatches(readFileSync(join(dir, 'named.csv'), 'utf8'), result);
  });
});

describe('analyte names in SVG and HTML are text, never markup', () => {
  it('a chart of the library shows every name as written', () => {
    const svg = chromatogramFigure([{ result: chromatogram(problem) }]);
    const doc = parseXml(svg);
    expect(chartNames(doc)).toEqual({ legend: NAMES, labels: NAMES });
    expectNoMarkupFromNames(doc, svg);
  });

  it('elution plot, from the problem and from the CSV elution simulate wrote', () => {
    expect(run('simulate', 'named.json', '--out', 'plotme.csv').code).toBe(0);
    for (const args of [['named.json'], ['--csv', 'plotme.csv']]) {
      const r = run('plot', ...args, '--out', '-');
      expect(r.code, r.stderr).toBe(0);
      const doc = parseXml(r.stdout);
      expect(chartNames(doc), args.join(' ')).toEqual({ legend: NAMES, labels: NAMES });
      expectNoMarkupFromNames(doc, r.stdout);
    }
  });

  /** Names in the report: the shared legend, Tables 1 (elution order) and 2b (problem order), Fig. 2a. */
  function expectReportNames(html: string): void {
    const doc = parseXml(html, 'application/xhtml+xml');
    expectNoMarkupFromNames(doc, html);
    const keys = byClass(doc, 'span', 'key').map((s) => (s.textContent ?? '').trim());
    expect(keys).toEqual(NAMES);
    const firstCells = (caption: string) => {
      const table = elements(doc, 'table').find((t) => (elements(t, 'caption')[0]?.textContent ?? '').startsWith(caption))!;
      return elements(table, 'tr').slice(1).map((tr) => elements(tr, 'td')[0].textContent);
    };
    expect(firstCells('Table 2b')).toEqual(NAMES);
    expect([...firstCells('Table 1')].sort()).toEqual([...NAMES].sort());
    const fig2 = elements(doc, 'figure').find((f) => f.getAttribute('id') === 'fig2a')!;
    expect(chartNames(elements(fig2, 'svg')[0]).labels.slice(0, NAMES.length)).toEqual(NAMES);
    expect(elements(doc, 'h1')[0].textContent).toBe('Column simulation: 5 analytes');
  }

  it('buildReport', async () => {
    const inputs = await reportInputs(problem, { solvers: {} });
    expectReportNames(buildReport(inputs));
  });

  it('elution report, with the CSV elution simulate wrote as measured data', () => {
    expect(run('simulate', 'named.json', '--out', 'measured.csv').code).toBe(0);
    const r = run('report', 'named.json', 'measured.csv', '--out', 'report', '--no-fd', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(join(dir, 'report', 'report.html'), 'utf8');
    expectReportNames(html);
    // Table 3 (the fit of the measured data) names the analytes as written, too.
    const doc = parseXml(html, 'application/xhtml+xml');
    const fitted = elements(doc, 'table').find((t) => (elements(t, 'caption')[0]?.textContent ?? '').startsWith('Table 3'))!;
    expect(elements(fitted, 'tr').slice(1).map((tr) => elements(tr, 'td')[0].textContent)).toEqual(NAMES);
  });
});
