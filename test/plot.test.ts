import { describe, expect, it } from 'vitest';
import { analyteColor, ANALYTE_COLORS, escapeXml, lineChart, linearAxis, powerOfTen, standaloneSvg } from '../src/figures/plot.js';
import { byClass, elements, parseXml, tickValue } from './support/xml.js';
import type { Document } from '@xmldom/xmldom';

const SUPER = '⁻⁰¹²³⁴⁵⁶⁷⁸⁹';

/** Power of ten factored into an axis title ("... (10⁻⁷ mol/m³)"), 0 if none. */
function titleExponent(title: string): number {
  const m = /10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)/.exec(title);
  if (!m) return 0;
  return Number([...m[1]].map((c) => (c === '⁻' ? '-' : String(SUPER.indexOf(c) - 1))).join(''));
}

/** The data range an axis shows, read back from its tick labels and title. */
function axisRange(doc: Document, axis: 'x' | 'y'): [number, number] {
  const ticks = byClass(doc, 'text', `${axis}-tick`).map(tickValue);
  const title = byClass(doc, 'text', `${axis}-title`)[0].textContent ?? '';
  const f = 10 ** titleExponent(title);
  return [Math.min(...ticks) * f, Math.max(...ticks) * f];
}

function gaussian(mean: number, sigma: number, scale: number, n = 301, t0 = 0, t1 = 100) {
  const x = Float64Array.from({ length: n }, (_, i) => t0 + ((t1 - t0) * i) / (n - 1));
  return { x, y: x.map((t) => scale * Math.exp(-0.5 * ((t - mean) / sigma) ** 2)) };
}

describe('lineChart', () => {
  const a = gaussian(30, 3, 2.4e-7);
  const b = gaussian(60, 5, 1.1e-7);
  const svg = lineChart({
    title: 'peaks <A & B>',
    x: { label: 'time t', unit: 's' },
    y: { label: 'concentration c', unit: 'mol/m³', zero: true },
    series: [
      { label: 'a "quoted" & <tagged>', ...a },
      { label: "b's", ...b, style: 'dashed' },
      { label: 'hidden', x: [0, 100], y: [0, 0], legend: false },
    ],
    styleKeys: [{ label: 'solid: one', style: 'solid' }],
  });
  const doc = parseXml(svg);

  it('is well-formed SVG with escaped text', () => {
    expect(doc.documentElement!.tagName).toBe('svg');
    expect(doc.documentElement!.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(byClass(doc, 'text', 'chart-title')[0].textContent).toBe('peaks <A & B>');
    expect(byClass(doc, 'path', 'series')[0].getAttribute('data-label')).toBe('a "quoted" & <tagged>');
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
  });

  it('draws one path per series and one legend entry per listed series and style key', () => {
    expect(byClass(doc, 'path', 'series')).toHaveLength(3);
    const entries = byClass(doc, 'g', 'legend-entry').map((g) => elements(g, 'text')[0].textContent);
    expect(entries).toEqual(['a "quoted" & <tagged>', "b's", 'solid: one']);
  });

  it('has axis ranges that contain the data, with the power of ten in the title', () => {
    const [x0, x1] = axisRange(doc, 'x');
    const [y0, y1] = axisRange(doc, 'y');
    expect(x0).toBeLessThanOrEqual(0);
    expect(x1).toBeGreaterThanOrEqual(100);
    expect(y0).toBeLessThanOrEqual(0);
    expect(y1).toBeGreaterThanOrEqual(2.4e-7 * (1 - 1e-12));
    // Nice range: not more than one tick step beyond the data.
    expect(y1).toBeLessThan(3.0e-7 + 1e-20);
    expect(byClass(doc, 'text', 'y-title')[0].textContent).toBe('concentration c (10⁻⁷ mol/m³)');
    expect(byClass(doc, 'text', 'x-title')[0].textContent).toBe('time t (s)');
  });

  it('colours series by index with the colour-blind-safe palette, dashes on request', () => {
    const paths = byClass(doc, 'path', 'series');
    expect(paths[0].getAttribute('stroke')).toBe(ANALYTE_COLORS[0]);
    expect(paths[1].getAttribute('stroke')).toBe(ANALYTE_COLORS[1]);
    expect(paths[1].getAttribute('stroke-dasharray')).not.toBeNull();
    expect(analyteColor(ANALYTE_COLORS.length + 2)).toBe(ANALYTE_COLORS[2]);
  });

  it('has every analyte colour at 3:1 or more against white (WCAG 2.1 non-text contrast)', () => {
    // Relative luminance and contrast ratio as WCAG 2.1 defines them.
    const luminance = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16) / 255)
        .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratios = ANALYTE_COLORS.map((c) => 1.05 / (luminance(c) + 0.05));
    console.info(`analyte colours against white: ${ratios.map((r) => r.toFixed(2)).join(', ')}`);
    expect(Math.min(...ratios)).toBeGreaterThanOrEqual(3);
    expect(new Set(ANALYTE_COLORS).size).toBe(ANALYTE_COLORS.length);
  });

  it('maps data to pixels inside the plot frame', () => {
    const frame = byClass(doc, 'rect', 'frame')[0];
    const [fx, fy] = ['x', 'y'].map((k) => Number(frame.getAttribute(k)));
    const [fw, fh] = ['width', 'height'].map((k) => Number(frame.getAttribute(k)));
    const d = byClass(doc, 'path', 'series')[0].getAttribute('d')!;
    const nums = d.match(/-?\d+(\.\d+)?/g)!.map(Number);
    for (let i = 0; i + 1 < nums.length; i += 2) {
      expect(nums[i]).toBeGreaterThanOrEqual(fx - 1e-9);
      expect(nums[i]).toBeLessThanOrEqual(fx + fw + 1e-9);
      expect(nums[i + 1]).toBeGreaterThanOrEqual(fy - 1e-9);
      expect(nums[i + 1]).toBeLessThanOrEqual(fy + fh + 1e-9);
    }
  });

  it('leaves gaps at non-finite values and never writes NaN', () => {
    const out = lineChart({
      x: { label: 'x', unit: '' }, y: { label: 'y', unit: '' },
      series: [{ label: 's', x: [0, 1, 2, 3, 4], y: [1, 2, NaN, 2, 1] }],
    });
    const d = byClass(parseXml(out), 'path', 'series')[0].getAttribute('d')!;
    expect(d.match(/M/g)).toHaveLength(2);
    expect(out).not.toMatch(/NaN/);
  });

  it('handles flat and empty data without NaN', () => {
    for (const y of [[0.41, 0.41, 0.41], [0, 0, 0]]) {
      const out = lineChart({ x: { label: 'x', unit: 'm' }, y: { label: 'u', unit: 'm/s' }, series: [{ label: 'u', x: [0, 1, 2], y }] });
      const doc2 = parseXml(out);
      const [y0, y1] = axisRange(doc2, 'y');
      expect(y0).toBeLessThan(y[0]);
      expect(y1).toBeGreaterThan(y[0]);
      expect(out).not.toMatch(/NaN/);
    }
    const empty = lineChart({ x: { label: 'x', unit: 'm' }, y: { label: 'u', unit: 'm/s' }, series: [] });
    expect(byClass(parseXml(empty), 'path', 'series')).toHaveLength(0);
    expect(empty).not.toMatch(/NaN/);
  });

  it('drops interior points of flat runs but keeps the shape', () => {
    const x = Float64Array.from({ length: 1001 }, (_, i) => i);
    const y = x.map((t) => (t > 400 && t < 600 ? Math.sin(((t - 400) / 200) * Math.PI) : 0));
    const d = byClass(parseXml(lineChart({ x: { label: 'x', unit: '' }, y: { label: 'y', unit: '' },
      series: [{ label: 's', x, y }] })), 'path', 'series')[0].getAttribute('d')!;
    const points = d.split(/[ML]/).filter(Boolean).length;
    expect(points).toBeLessThan(260);
    expect(points).toBeGreaterThan(150);
  });

  it('draws measured data as dots', () => {
    const out = lineChart({ x: { label: 'x', unit: '' }, y: { label: 'y', unit: '' },
      series: [{ label: 'measured', x: [0, 1, 2], y: [0, 1, 0], style: 'points' }] });
    const d = byClass(parseXml(out), 'path', 'series')[0].getAttribute('d')!;
    expect(d.match(/h0/g)).toHaveLength(3);
  });

  it('writes a standalone file with an XML declaration and no network reference', () => {
    const file = standaloneSvg(svg);
    expect(file.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    parseXml(file);
    expect(file.replace('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:|href=/);
  });
});

describe('linearAxis', () => {
  it('factors out powers of ten only for very small or large ranges', () => {
    expect(linearAxis({ label: 'p', unit: 'Pa' }, [1.013e5, 4.01e5], [0, 500], 5).exponent).toBe(5);
    expect(linearAxis({ label: 't', unit: 's' }, [0, 700], [0, 500], 5).exponent).toBe(0);
    expect(linearAxis({ label: 'c', unit: 'mol/m³' }, [0, 2.7e-6], [0, 500], 5).exponent).toBe(-6);
  });

  it('honours a fixed range', () => {
    const axis = linearAxis({ label: 'x', unit: 'm', min: 0, max: 20 }, [0.3, 19.2], [0, 500], 5);
    expect(axis.scale.domain()).toEqual([0, 20]);
    expect(axis.ticks[0]).toBe(0);
    expect(axis.ticks[axis.ticks.length - 1]).toBe(20);
  });

  it('labels ticks without thousands separators', () => {
    expect(linearAxis({ label: 't', unit: 's' }, [0, 1000], [0, 500], 5).labels).toContain('1000');
  });
});

describe('escapeXml and powerOfTen', () => {
  it('escape the five XML specials', () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
  });
  it('write superscript exponents', () => {
    expect(powerOfTen(-7)).toBe('10⁻⁷');
    expect(powerOfTen(12)).toBe('10¹²');
  });
});

describe('the strict XML parser of these tests', () => {
  it('rejects what is not well-formed', () => {
    expect(() => parseXml('<svg xmlns="http://www.w3.org/2000/svg"><g></svg>')).toThrow();
    expect(() => parseXml('<svg xmlns="http://www.w3.org/2000/svg"><text>a & b</text></svg>')).toThrow();
    expect(() => parseXml('<svg xmlns="http://www.w3.org/2000/svg"><path d="M0,0" d="M1,1"/></svg>')).toThrow();
    expect(() => parseXml('<svg xmlns="http://www.w3.org/2000/svg"><text a="<">x</text></svg>')).toThrow();
    expect(parseXml('<svg xmlns="http://www.w3.org/2000/svg"><text>a &amp; &#955; &#x3bb;</text></svg>').documentElement!.textContent).toBe('a & λ λ');
  });
});

describe('legend limits', () => {
  it('cuts long labels and summarises rows beyond the plot height', () => {
    const series = Array.from({ length: 40 }, (_, i) => ({
      label: `analyte number ${i} with a very long descriptive name indeed`, x: [0, 1], y: [i, i + 1],
    }));
    const doc = parseXml(lineChart({ x: { label: 'x', unit: '' }, y: { label: 'y', unit: '' }, series, height: 400 }));
    const entries = byClass(doc, 'g', 'legend-entry');
    expect(byClass(doc, 'path', 'series')).toHaveLength(40);
    expect(entries.length).toBeLessThan(20);
    const more = byClass(doc, 'text', 'legend-more')[0].textContent;
    expect(more).toBe(`+ ${40 - entries.length} more`);
    for (const e of entries) expect(elements(e, 'text')[0].textContent!.endsWith('…')).toBe(true);
    const last = entries[entries.length - 1];
    expect(Number(elements(last, 'text')[0].getAttribute('y'))).toBeLessThan(400);
  });
});

describe('legend below small charts', () => {
  it('puts the legend under a narrow chart, in rows, inside the picture', () => {
    const series = ['o-xylene', 'p+m-xylene', 'ethylbenzene', 'toluene', 'benzene'].map((label, i) => ({ label, x: [0, 20], y: [i, 0] }));
    const svg = lineChart({ x: { label: 'x', unit: 'm' }, y: { label: 'c', unit: 'mol/m³' }, series, width: 520, height: 340 });
    const doc = parseXml(svg);
    const frame = byClass(doc, 'rect', 'frame')[0];
    const frameBottom = Number(frame.getAttribute('y')) + Number(frame.getAttribute('height'));
    const ys = byClass(doc, 'g', 'legend-entry').map((g) => Number(elements(g, 'text')[0].getAttribute('y')));
    expect(ys).toHaveLength(5);
    for (const y of ys) {
      expect(y).toBeGreaterThan(frameBottom + 40);
      expect(y).toBeLessThan(340);
    }
    expect(new Set(ys).size).toBeGreaterThan(1);
  });
});

describe('long series', () => {
  it('keeps a 200 000-sample line to a few points per pixel column and its exact pixel envelope', () => {
    const n = 200_000;
    const x = Float64Array.from({ length: n }, (_, i) => i / (n - 1));
    // Deterministic noise on a slow curve: extremes anywhere.
    const y = x.map((t, i) => Math.sin(6 * t) + 0.3 * Math.sin(i * 12.9898) * Math.sin(i * 0.7));
    const svg = lineChart({ x: { label: 'x', unit: '' }, y: { label: 'y', unit: '' }, series: [{ label: 's', x, y }], legend: 'none' });
    const doc = parseXml(svg);
    const d = byClass(doc, 'path', 'series')[0].getAttribute('d')!;
    const nums = d.match(/-?\d+(\.\d+)?/g)!.map(Number);
    const ys = nums.filter((_, k) => k % 2 === 1);
    const frame = byClass(doc, 'rect', 'frame')[0];
    const top = Number(frame.getAttribute('y'));
    const height = Number(frame.getAttribute('height'));
    const ticks = byClass(doc, 'text', 'y-tick').map(tickValue);
    const [d0, d1] = [Math.min(...ticks), Math.max(...ticks)];
    const pixel = (v: number) => Math.round((top + ((d1 - v) / (d1 - d0)) * height) * 10) / 10;
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of y) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect(ys.length).toBeLessThan(4 * 800);
    expect(Math.min(...ys)).toBeCloseTo(pixel(hi), 1);
    expect(Math.max(...ys)).toBeCloseTo(pixel(lo), 1);
  });

  it('draws each pixel of a dense dot series once', () => {
    const x = Float64Array.from({ length: 10_000 }, (_, i) => Math.floor(i / 10));
    const y = x.map(() => 1);
    const svg = lineChart({ x: { label: 'x', unit: '' }, y: { label: 'y', unit: '' }, series: [{ label: 's', x, y, style: 'points' }] });
    const d = byClass(parseXml(svg), 'path', 'series')[0].getAttribute('d')!;
    expect(d.match(/h0/g)).toHaveLength(1000);
  });
});
