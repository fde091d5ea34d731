/**
 * exp and log computed the same way in every JavaScript engine (MODEL.md §15).
 *
 * ECMAScript leaves the accuracy of Math.exp, Math.log, Math.pow, Math.sin, ... to the engine, and
 * engines differ in the last bit: Node 20 and Chromium 156 give different doubles of Math.exp for
 * 9.8 % of arguments and of Math.log for 4.5 % (MODEL.md §15). Where a result is sensitive to the last bit (the fit, whose hold-up time lies on
 * a flat direction of the objective, spreads a one-ulp difference to 1e-5 of the constants) the
 * maths must be the same on every engine. These functions use only +, −, ×, ÷ and bit operations
 * on doubles, which IEEE 754 rounds identically everywhere (JavaScript never fuses a multiply and
 * an add), so they return the same double in Node, Chromium, Firefox and Safari.
 *
 * The algorithms are the classical ones of Sun's fdlibm (as in musl and FreeBSD): argument
 * reduction by multiples of ln 2 (split in a high part exact in products with small integers and a
 * low part), then a Remez polynomial on the reduced interval. Accuracy: below 1 ulp over the whole
 * range (test/portable-math.test.ts measures the largest difference from Math.exp and Math.log over
 * 10^6 arguments each, and compares with 40-digit references).
 */

const view = new DataView(new ArrayBuffer(8));

function highWord(x: number): number {
  view.setFloat64(0, x);
  return view.getUint32(0);
}

function withHighWord(x: number, high: number): number {
  view.setFloat64(0, x);
  view.setUint32(0, high >>> 0);
  return view.getFloat64(0);
}

/** 2^k for an integer −1022 ≤ k ≤ 1023, exactly. */
function twoTo(k: number): number {
  view.setUint32(0, ((k + 1023) << 20) >>> 0);
  view.setUint32(4, 0);
  return view.getFloat64(0);
}

/** ln 2 in two parts: LN2_HI has its low 32 bits zero, so k · LN2_HI is exact for |k| < 2^20. */
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.44269504088896338700;

/** Remez coefficients of (r coth(r/2) − 2) on [−ln2/2, ln2/2] (fdlibm e_exp.c). */
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.65339022054652515390e-6;
const P5 = 4.13813679705723846039e-8;

/** Largest argument whose exp is finite, and smallest whose exp is not zero. */
const EXP_OVERFLOW = 7.09782712893383973096e2;
const EXP_UNDERFLOW = -7.45133219101941108420e2;

/** e^x, below 1 ulp from the exact value; the same double in every JavaScript engine. */
export function exp(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x > EXP_OVERFLOW) return Infinity;
  if (x < EXP_UNDERFLOW) return 0;
  const ax = Math.abs(x);
  let hi = 0;
  let lo = 0;
  let k = 0;
  if (ax > 0.5 * Math.LN2) {
    // x = k ln2 + r, |r| <= ln2/2
    k = ax < 1.5 * Math.LN2 ? (x > 0 ? 1 : -1) : Math.trunc(INV_LN2 * x + (x < 0 ? -0.5 : 0.5));
    hi = x - k * LN2_HI;
    lo = k * LN2_LO;
    x = hi - lo;
  } else if (ax < 3.725290298461914e-9) {
    // 2^-28: e^x = 1 + x to within rounding
    return 1 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - ((lo - (x * c) / (2 - c)) - hi);
  // y · 2^k, exact unless the result is subnormal (then rounded once)
  if (k > 1023) return y * 2 * twoTo(1023);
  if (k >= -1021) return y * twoTo(k);
  return y * twoTo(k + 1000) * twoTo(-1000);
}

/** Remez coefficients of (log(1+f) − f + f²/2) in s = f/(2+f) (fdlibm e_log.c). */
const LG1 = 6.666666666666735130e-1;
const LG2 = 3.999999999940941908e-1;
const LG3 = 2.857142874366239149e-1;
const LG4 = 2.222219843214978396e-1;
const LG5 = 1.818357216161805012e-1;
const LG6 = 1.531383769920937332e-1;
const LG7 = 1.479819860511658591e-1;

/** ln x, below 1 ulp from the exact value; the same double in every JavaScript engine. */
export function log(x: number): number {
  if (Number.isNaN(x) || x < 0) return Number.NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return x;
  if (x === 1) return 0;
  let k = 0;
  if (x < 2.2250738585072014e-308) {
    // subnormal: scale into the normal range
    k -= 54;
    x *= 18014398509481984; // 2^54
  }
  let hx = highWord(x);
  // x = 2^k (1 + f) with sqrt(2)/2 < 1 + f < sqrt(2)
  hx += 0x3ff00000 - 0x3fe6a09e;
  k += (hx >>> 20) - 0x3ff;
  hx = (hx & 0x000fffff) + 0x3fe6a09e;
  const m = withHighWord(x, hx);
  const f = m - 1;
  const hfsq = 0.5 * f * f;
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const R = t2 + t1;
  return s * (hfsq + R) + k * LN2_LO - hfsq + f + k * LN2_HI;
}
