/** The command line's run shorthands (src/cli/runOptions.ts): units, scales and messages naming the option. */
import { describe, expect, it } from 'vitest';
import {
  applyRunOptions, parseFlowOption, parseGasOption, parsePressureOption, checkProgramOption,
} from '../src/cli/runOptions.js';
import { UsageError } from '../src/cli/common.js';

describe('--inlet-pressure', () => {
  it('reads the unit and the scale in the forms GC users write', () => {
    expect(parsePressureOption('4.1bar gauge')).toEqual({ pascal: 4.1e5, scale: 'gauge' });
    expect(parsePressureOption('4.1 barg')).toEqual({ pascal: 4.1e5, scale: 'gauge' });
    expect(parsePressureOption('60psig')).toEqual({ pascal: 60 * 6894.757293168361, scale: 'gauge' });
    expect(parsePressureOption('250 kPa absolute')).toEqual({ pascal: 250e3, scale: 'absolute' });
    expect(parsePressureOption('3.2bara')).toEqual({ pascal: 3.2e5, scale: 'absolute' });
    expect(parsePressureOption('2 atm abs')).toEqual({ pascal: 202650, scale: 'absolute' });
    expect(parsePressureOption('400000Pa(a)')).toEqual({ pascal: 4e5, scale: 'absolute' });
    expect(parsePressureOption('0 psig')).toEqual({ pascal: 0, scale: 'gauge' });
  });

  it('refuses a pressure without its scale, unit or a sensible value, naming the option', () => {
    expect(() => parsePressureOption('4.1bar')).toThrow(UsageError);
    expect(() => parsePressureOption('4.1bar')).toThrow(
      '--inlet-pressure "4.1bar": say whether the pressure is gauge or absolute, e.g. "4.1bar gauge" or "4.1bar absolute"');
    expect(() => parsePressureOption('60psi')).toThrow(/gauge or absolute/);
    expect(() => parsePressureOption('4.1 hPa gauge')).toThrow(/--inlet-pressure: unknown pressure unit "hPa".*units: Pa, kPa/);
    expect(() => parsePressureOption('400000')).toThrow(/--inlet-pressure must be a pressure with its unit/);
    expect(() => parsePressureOption('4 bar relative')).toThrow(/"relative" .* is neither gauge nor absolute/);
    expect(() => parsePressureOption('0 bar absolute')).toThrow(/must be > 0 absolute/);
    expect(() => parsePressureOption('-1 bar gauge')).toThrow(/must be >= 0 gauge/);
    expect(() => parsePressureOption('1e999 bar gauge')).toThrow(/must be >= 0 gauge/);
  });
});

describe('--flow, --gas, --program', () => {
  it('reads a flow in mL/min as m3/s', () => {
    expect(parseFlowOption('1.2')).toBeCloseTo(2e-8, 20);
    expect(parseFlowOption('1.2 mL/min')).toBe(parseFlowOption('1.2'));
    expect(() => parseFlowOption('0')).toThrow('--flow must be a column flow > 0 in mL/min, e.g. "1.2" or "1.2mL/min", got "0"');
    expect(() => parseFlowOption('1.2 L/min')).toThrow(/--flow must be/);
  });

  it('matches gases ignoring case and lists them when unknown', () => {
    expect(parseGasOption('h2')).toBe('H2');
    expect(parseGasOption('He')).toBe('He');
    expect(() => parseGasOption('CO2')).toThrow('--gas must be one of He, H2, N2, Ar, got "CO2"');
  });

  it('checks a program as the problem reader does, naming the option and the step', () => {
    expect(checkProgramOption('40(1)-10-300(5)')).toBe('40(1)-10-300(5)');
    expect(() => checkProgramOption('40(1)-10-500')).toThrow(/^--program: step 2: .*above 450 °C/);
    expect(() => checkProgramOption('40(1)-0-300')).toThrow(/^--program: step 2: rate 0/);
  });
});

describe('applyRunOptions', () => {
  it('writes the shorthands into oven and carrier, leaving the rest', () => {
    const raw = { column: { length: 30 }, carrier: { gas: 'He', flow: 1e-8 } };
    const p = applyRunOptions(raw, { program: '40(1)-10-300', 'inlet-pressure': '1 bar gauge', gas: 'h2' }) as Record<string, unknown>;
    expect(p.oven).toEqual({ program: '40(1)-10-300' });
    expect(p.carrier).toEqual({ gas: 'H2', inletPressure: 1e5, pressureScale: 'gauge' });
    expect(p.column).toEqual({ length: 30 });
    expect(raw.carrier).toEqual({ gas: 'He', flow: 1e-8 });
    const f = applyRunOptions({ carrier: { inletPressure: 2e5, pressureScale: 'absolute' } }, { flow: '1' }) as Record<string, unknown>;
    expect(f.carrier).toEqual({ flow: 1e-6 / 60 });
  });

  it('refuses pressure and flow together', () => {
    expect(() => applyRunOptions({}, { 'inlet-pressure': '1 bar gauge', flow: '1' })).toThrow(/exclude each other/);
  });
});
