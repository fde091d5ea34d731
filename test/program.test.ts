/**
 * Programs (src/model/program.ts) and carrier gases (src/model/gases.ts): GC notation against the
 * breakpoints it stands for, ramps and breakpoints, every bad program refused naming its step;
 * Blumberg's viscosity and the Fuller diffusivity against values computed by hand from the
 * published constants.
 */
import { describe, expect, it } from 'vitest';
import { scheduleAt, viscosityAt } from '../src/model/conditions.js';
import {
  carrierGas, formulaProperties, fullerCoefficient, gasViscosity, GAS_NAMES,
} from '../src/model/gases.js';
import {
  breakpointSchedule, ovenSchedule, parseProgram, positiveQuantity, quantitySchedule, OVEN_TEMPERATURE,
} from '../src/model/program.js';

const K = (c: number) => c + 273.15;
const pairs = (s: { times: Float64Array; values: Float64Array }) => Array.from(s.times, (t, i) => [t, s.values[i]]);

describe('GC notation', () => {
  it('reads "40(1)-10-300(5)" as 40 °C for 60 s, 10 °C/min to 300 °C (1560 s), 300 s hold', () => {
    expect(pairs(parseProgram('40(1)-10-300(5)'))).toEqual([[0, K(40)], [60, K(40)], [1620, K(300)], [1920, K(300)]]);
  });

  it('reads the Leppert programme D with two ramps, spaces and decimals', () => {
    // 40 °C 1 min, 5 °C/min to 180 °C (1680 s), 1 min, 20 °C/min to 300 °C (360 s), 1 min
    const s = parseProgram(' 40 (1) - 5 - 180 (1) - 20 - 300 (1) ');
    expect(pairs(s)).toEqual([[0, K(40)], [60, K(40)], [1740, K(180)], [1800, K(180)], [2160, K(300)], [2220, K(300)]]);
    expect(scheduleAt(s, 900)).toBeCloseTo(K(40 + (5 * 840) / 60), 12);
  });

  it('accepts -100 °C and 450 °C exactly', () => {
    expect(parseProgram('-100-10-450').values[1]).toBe(450 + 273.15);
  });

  it('takes a bare temperature, signed temperatures, cooling ramps, holds of 0 and rate 0 to the same target', () => {
    expect(pairs(parseProgram('60'))).toEqual([[0, K(60)]]);
    expect(pairs(parseProgram('-50(0.5)-2.5-+30'))).toEqual([[0, K(-50)], [30, K(-50)], [1950, K(30)]]);
    expect(pairs(parseProgram('100-10--20(0)'))).toEqual([[0, K(100)], [720, K(-20)]]);
    expect(pairs(parseProgram('80(1)-0-80(2)-1e1-90'))).toEqual([[0, K(80)], [60, K(80)], [180, K(80)], [240, K(90)]]);
  });

  const BAD: [string, unknown, RegExp][] = [
    ['empty', '  ', /^oven\.program: is empty/],
    ['not a string', 40, /^oven\.program: must be a program string .*got 40$/],
    ['rate 0 to another target', '40(1)-0-300', /^oven\.program: step 2: rate 0 °C\/min cannot reach 300 °C from 40 °C/],
    ['below -100 °C', '40-10--120', /^oven\.program: step 2: target 153\.15 K \(-120 °C\) is below -100 °C/],
    ['above 450 °C', '40(1)-10-300(2)-20-460', /^oven\.program: step 3: target 733\.15 K \(460 °C\) is above 450 °C/],
    ['initial above 450 °C', '500', /^oven\.program: step 1: initial temperature 773\.15 K \(500 °C\) is above 450 °C/],
    ['non-finite number', '40-10-1e999', /^oven\.program: step 2: target 1e999 °C is not a finite number$/],
    ['negative rate', '40-10-300--5-200', /^oven\.program: step 3: rate -5 °C\/min must be >= 0/],
    ['negative hold', '40(-1)', /^oven\.program: step 1: expected a hold time in min, found "-" at character 4 in "40\(-1\)"$/],
    ['NaN word', '40-NaN-300', /^oven\.program: cannot read .* at character 4/],
    ['missing target', '40(1)-10', /^oven\.program: step 2: expected "-" between the rate and its target temperature, found the end/],
    ['unclosed hold', '40(1-10-300', /^oven\.program: step 1: expected "\)" after the hold time/],
    ['trailing dash', '40-', /^oven\.program: step 2: expected a rate in °C\/min, found the end/],
  ];
  for (const [name, text, message] of BAD) {
    it(`refuses ${name}`, () => expect(() => parseProgram(text)).toThrow(message));
  }
});

describe('ramps and breakpoints', () => {
  it('gives the same schedule from GC notation, SI ramps and breakpoints', () => {
    const gc = parseProgram('40(1)-10-300(5)');
    const ramps = ovenSchedule({ initial: K(40), hold: 60, ramps: [{ rate: 10 / 60, target: K(300), hold: 300 }] });
    const points = ovenSchedule({ breakpoints: [[0, K(40)], [60, K(40)], [1620, K(300)], [1920, K(300)]] });
    for (const s of [ramps, points]) {
      expect(s.times.length).toBe(gc.times.length);
      s.times.forEach((t, i) => {
        expect(t).toBeCloseTo(gc.times[i], 9);
        expect(s.values[i]).toBe(gc.values[i]);
      });
    }
    expect(pairs(ovenSchedule({ temperature: 353.15 }))).toEqual([[0, 353.15]]);
  });

  const BAD: [string, unknown, RegExp][] = [
    ['decreasing time', { breakpoints: [[0, 313.15], [60, 313.15], [50, 400]] },
      /^oven\.breakpoints\[2\]\[0\]: time 50 s is before the previous breakpoint's 60 s; times must increase strictly/],
    ['equal times', { breakpoints: [[0, 313.15], [0, 400]] }, /^oven\.breakpoints\[1\]\[0\]: time 0 s is equal to/],
    ['negative time', { breakpoints: [[-1, 313.15]] }, /^oven\.breakpoints\[0\]\[0\]: must be a finite number >= 0 \(s\), got -1$/],
    ['empty breakpoints', { breakpoints: [] }, /^oven\.breakpoints: must be a non-empty array/],
    ['non-finite temperature', { breakpoints: [[0, Infinity]] }, /^oven\.breakpoints\[0\]\[1\]: must be a finite number \(K\), got Infinity$/],
    ['hot breakpoint', { breakpoints: [[0, 313.15], [100, 800]] }, /^oven\.breakpoints\[1\]\[1\]: value 800 K \(526\.85 °C\) is above 450 °C/],
    ['cold isothermal', { temperature: 100 }, /^oven\.temperature: temperature 100 K \(-173\.15 °C\) is below -100 °C/],
    ['rate 0 ramp', { initial: 313.15, ramps: [{ rate: 0.1, target: 400 }, { rate: 0, target: 450 }] },
      /^oven\.ramps\[1\]\.rate: 0 K\/s cannot reach the target 450 K .* from 400 K/],
    ['negative rate', { initial: 313.15, ramps: [{ rate: -1, target: 400 }] }, /^oven\.ramps\[0\]\.rate: must be a finite number >= 0/],
    ['two forms', { temperature: 313.15, program: '40' }, /^oven: has temperature and program; give exactly one/],
    ['no form', {}, /^oven: needs one of temperature/],
    ['unknown key', { program: '40', rate: 3 }, /^oven\.rate: unknown key/],
    ['endless program', { initial: 313.15, ramps: [{ rate: 1e-300, target: 400 }] }, /^oven\.ramps\[0\]: makes the program last/],
  ];
  for (const [name, oven, message] of BAD) {
    it(`refuses ${name}`, () => expect(() => ovenSchedule(oven)).toThrow(message));
  }

  it('converts gauge pressures and checks them after conversion', () => {
    const gauge = (v: number) => v + 101325;
    const s = quantitySchedule([[0, 1e5], [600, 2e5]], 'carrier.inletPressure', positiveQuantity('Pa'), gauge);
    expect(pairs(s)).toEqual([[0, 201325], [600, 301325]]);
    expect(() => quantitySchedule({ initial: 1e5, ramps: [{ rate: 1000, target: -2e5 }] }, 'carrier.inletPressure',
      positiveQuantity('Pa'), gauge)).toThrow(/^carrier\.inletPressure\.ramps\[0\]\.target: target -98675 Pa must be > 0$/);
    expect(() => quantitySchedule('2 bar', 'carrier.flow', positiveQuantity('m3/s')))
      .toThrow(/^carrier\.flow: must be a number \(m3\/s\), \[\[time \(s\), value\], \.\.\.\] or \{ initial, hold, ramps \}, got "2 bar"$/);
    expect(() => breakpointSchedule([[0, 1]], 'x', OVEN_TEMPERATURE)).toThrow(/^x\[0\]\[1\]: value 1 K/);
  });
});

describe('carrier gases', () => {
  it("Blumberg's law at 0 °C gives eta_st and at 100 °C the power law by hand", () => {
    // eta(373.15 K) = eta_st (373.15/273.15)^(xi0 + xi1 * 100/273.15), computed from the constants.
    const expected: Record<string, number> = {
      He: 18.63e-6 * Math.pow(373.15 / 273.15, 0.6958 - 0.0071 * (100 / 273.15)),
      H2: 8.382e-6 * Math.pow(373.15 / 273.15, 0.6892 + 0.005 * (100 / 273.15)),
      N2: 16.62e-6 * Math.pow(373.15 / 273.15, 0.7665 - 0.0378 * (100 / 273.15)),
      Ar: 21.04e-6 * Math.pow(373.15 / 273.15, 0.8131 - 0.0426 * (100 / 273.15)),
    };
    for (const name of GAS_NAMES) {
      const v = gasViscosity(name);
      expect(viscosityAt(v, 273.15)).toBe(v.eta0);
      expect(Math.abs(viscosityAt(v, 373.15) / expected[name] - 1)).toBeLessThan(1e-14);
    }
    // Within 1% of the reference viscosities at 300 K and 0.1 MPa (NIST webbook, µPa s).
    const nist: [string, number][] = [['He', 19.93], ['H2', 8.96], ['N2', 17.89], ['Ar', 22.7]];
    for (const [name, eta] of nist) {
      expect(Math.abs(viscosityAt(gasViscosity(name as 'He'), 300) / (eta * 1e-6) - 1)).toBeLessThan(0.01);
    }
  });

  it('gives Fuller coefficients that reproduce the values asserted for C10 by GasChromatographySimulator.jl', () => {
    // That package asserts Cag(C10 in H2) = 1.1885e-4, in N2 2.8398e-5, in Ar 2.5268e-5 (5 digits),
    // with p_atm = 101300 Pa and molar mass 142.28; ours uses 101325 Pa: scale back by 101300/101325.
    const c10 = formulaProperties('C10H22');
    expect(c10.diffusionVolume).toBeCloseTo(10 * 15.9 + 22 * 2.31, 12);
    expect(c10.molarMass).toBeCloseTo(142.286, 3);
    const asserted: [string, number][] = [['H2', 1.1885e-4], ['N2', 2.8398e-5], ['Ar', 2.5268e-5]];
    for (const [name, value] of asserted) {
      const g = carrierGas(name as 'H2');
      const c = fullerCoefficient(142.28, c10.diffusionVolume, g.molarMass!, g.diffusionVolume!) * (101300 / 101325);
      expect(Number(c.toPrecision(5))).toBe(value);
    }
  });

  it('reads formulas with rings and refuses what it cannot read', () => {
    const benzene = formulaProperties('C6H6', 1);
    expect(benzene.diffusionVolume).toBeCloseTo(6 * 15.9 + 6 * 2.31 - 18.3, 12);
    expect(benzene.molarMass).toBeCloseTo(78.114, 3);
    expect(formulaProperties('CH3Cl').molarMass).toBeCloseTo(12.011 + 3 * 1.008 + 35.45, 12);
    expect(() => formulaProperties('C10H22x', 0, 'analytes[0].diffusion.formula'))
      .toThrow(/^analytes\[0\]\.diffusion\.formula: cannot read "C10H22x" at character 7/);
    expect(() => formulaProperties('Xe2')).toThrow(/cannot read "Xe2" at character 1/);
    expect(() => formulaProperties('')).toThrow(/gives no positive molar mass/);
  });
});
