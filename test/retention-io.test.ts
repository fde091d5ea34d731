/**
 * Readers of retention databases and measured retention times: the Leppert 2020 files read to the
 * values written in them (units converted: °C to K, min to s), and the time origin and units of
 * the retention-time files agree with the measured chromatogram of programme A (each listed
 * retention time is the apex of a peak in it; each width is its σ, FWHM/2.3548). Bad files give
 * errors naming the line and the column.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataError, parseChromatogramCsv, parseMeasuredRetention, parseRetentionDatabase, selectRetention } from '../src/index.js';
import { describeWithSharedData, sharedDataPath } from './support/shared-data.js';

const DIR = 'leppert2020b/';
const FILES = ['Database_Leppert2020b.csv', 'Leppert2020b_measured_RT_progA.csv', 'Leppert2020b_measured_Chrom_progA.csv'].map((f) => DIR + f);
const read = (f: string) => readFileSync(sharedDataPath(DIR + f), 'utf8');

describeWithSharedData('Leppert 2020 retention files', FILES, () => {
  it('reads the database in K with its 22 alkanes on FS5ms', () => {
    const db = parseRetentionDatabase(read('Database_Leppert2020b.csv'), { phase: 'FS5ms' });
    expect(db.length).toBe(22);
    const c10 = db.find((e) => e.name === 'C10')!;
    expect(c10.Tchar).toBeCloseTo(118.09 + 273.15, 10);
    expect(c10.thetaChar).toBe(32.24);
    expect(c10.dCp).toBe(112.49);
    expect(c10.phi0).toBe(0.001);
    expect(c10.cas).toBe('124-18-5');
    expect(() => parseRetentionDatabase(read('Database_Leppert2020b.csv'), { phase: 'Rxi17' })).toThrow(/no rows of phase "Rxi17"; phases: .*FS5ms/);
  });

  it('places each listed retention time on a peak apex of the measured chromatogram, with σ = FWHM/2.3548', () => {
    const rt = parseMeasuredRetention(read('Leppert2020b_measured_RT_progA.csv'));
    const { time, signal } = parseChromatogramCsv(read('Leppert2020b_measured_Chrom_progA.csv'), {
      timeColumn: 'time_s', signalColumn: 'ordinate_values',
    });
    expect(rt.length).toBe(22);
    for (const peak of rt) {
      // The local maximum of the signal within ±3 s of the listed time.
      let best = -1;
      for (let j = 0; j < time.length; j++) {
        if (Math.abs(time[j] - peak.retentionTime) <= 3 && (best < 0 || signal[j] > signal[best])) best = j;
      }
      // Listed to 0.001 min = 0.06 s (rounding ±0.03 s), the sampled apex of a flat top a few
      // samples (10 ms each) either way and noise on it: within 0.1 s (the file starts at -0.79 s,
      // a shift of the origin to the first sample would show).
      expect(Math.abs(time[best] - peak.retentionTime)).toBeLessThanOrEqual(0.1);
      let lo = best, hi = best;
      while (signal[lo] > signal[best] / 2) lo--;
      while (signal[hi] > signal[best] / 2) hi++;
      const fwhm = time[hi] - time[lo];
      // The listed σ comes from the authors' peak evaluation: 10% tells σ from FWHM (×2.35) or min (×60).
      expect(Math.abs(fwhm / (2 * Math.sqrt(2 * Math.LN2)) - peak.width) / peak.width).toBeLessThan(0.1);
    }
  });
});

describe('retention readers: bad files', () => {
  const db = 'Name,Tchar,thetachar,DeltaCp,phi0\nA,100,30,100,0.001\n';
  it('reads a minimal database and measured file', () => {
    expect(parseRetentionDatabase(db)[0]).toMatchObject({ name: 'A', Tchar: 373.15, cas: '', phase: '' });
    const m = parseMeasuredRetention('Name,RT\nA,1.5\n');
    expect(m[0].retentionTime).toBe(90);
    expect(m[0].width).toBeNaN();
    expect(parseMeasuredRetention('Name;RT;width\nA;90,5;0,5\n', { retentionUnit: 's', separator: ';', decimal: ',' })[0]).toMatchObject({ retentionTime: 90.5, width: 0.5 });
  });
  it('names the missing column, the line and the value', () => {
    expect(() => parseRetentionDatabase('Name,Tchar,thetachar,phi0\nA,100,30,0.001\n')).toThrow(/database header: has no column "DeltaCp".*columns: /);
    expect(() => parseRetentionDatabase(db + 'B,100,-3,100,0.001\n')).toThrow(/database line 3: thetachar must be in \(0, 1000\) °C, got -3/);
    expect(() => parseRetentionDatabase(db + 'A,110,30,100,0.001\n')).toThrow(/line 3: Name "A" appears twice \(also line 2\)/);
    expect(() => parseRetentionDatabase(db + 'B,x,30,100,0.001\n')).toThrow(DataError);
    expect(() => parseMeasuredRetention('Name,RT\nA,0\n')).toThrow(/retention times line 2: RT must be a positive time \(min\), got 0/);
    expect(() => parseMeasuredRetention('Name,RT\n,3\n')).toThrow(/line 2: Name must not be empty/);
    expect(() => parseMeasuredRetention('Name,RT\nA,3\n', { retentionUnit: 'h' as 's' })).toThrow(/options.retentionUnit must be "min" or "s", got "h"/);
    expect(() => selectRetention(parseRetentionDatabase(db), ['A', 'Z'])).toThrow(/database: has no solute "Z"/);
  });
});
