// e^x for x <= 0, two arguments per f64x2, bit for bit equal to fdlibm's __ieee754_exp: the
// Math.exp of V8 (Node, Chromium) that the plain-TypeScript twins call. Each branch of the scalar
// code becomes a lane selection and every arithmetic operation is the same one in the same order,
// so a kernel using it reproduces its twin exactly (the chromatogram subtracts two cumulative
// integrals, c = G(tau) - G(tau - t1), and in the tails a one-ulp difference in G is a large
// relative difference in c). AssemblyScript's own Math.exp is a different, table-based routine
// that differs from V8's in the last bit for some 6% of arguments.

/** fdlibm reduces when the high word of |x| exceeds 0x3fd62e42, i.e. |x| >= this (about ln2/2). */
const REDUCE_FROM: f64 = reinterpret<f64>(0x3FD62E4300000000);
/** Below this |x| (2^-28) fdlibm returns 1 + x. */
const TINY: f64 = reinterpret<f64>(0x3E30000000000000);
/** Below this x, e^x < 2^-1075 rounds to 0. */
const UNDERFLOW: f64 = -7.45133219101941108420e+02;
const INV_LN2: f64 = 1.44269504088896338700e+00;
/** ln 2 = LN2_HI + LN2_LO, LN2_HI with trailing zero bits so that k LN2_HI is exact. */
const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
/** fdlibm's Remez polynomial for R(r^2) = r (e^r + 1)/(e^r - 1) on |r| <= ln2/2. */
const P1: f64 = 1.66666666666666019037e-01;
const P2: f64 = -2.77777777770155933842e-03;
const P3: f64 = 6.61375632143793436117e-05;
const P4: f64 = -1.65339022054652515390e-06;
const P5: f64 = 4.13813679705723846039e-08;
/** 2^-1000. */
const TWO_M1000: f64 = reinterpret<f64>(0x0170000000000000);
/** 0x1.8p52: adding it to an integer-valued double puts the integer in the low mantissa bits. */
const INTEGER_BITS: f64 = reinterpret<f64>(0x4338000000000000);

/** e^x in each lane of x; every lane x <= 0 (dimensionless). Lanes below -745.13 or NaN give 0. */
// @ts-ignore: decorator
@inline
export function expNonPositiveX2(x: v128): v128 {
  const ax = f64x2.abs(x);
  // x = k ln2 + r, |r| <= ln2/2: k = trunc(x/ln2 - 1/2) (nearest for x < 0), 0 when fdlibm does
  // not reduce (the k = 0 formula of fdlibm and the general one below then agree exactly)
  const k = v128.and(
    f64x2.trunc(f64x2.sub(f64x2.mul(f64x2.splat(INV_LN2), x), f64x2.splat(0.5))),
    f64x2.ge(ax, f64x2.splat(REDUCE_FROM)),
  );
  const hi = f64x2.sub(x, f64x2.mul(k, f64x2.splat(LN2_HI)));
  const lo = f64x2.mul(k, f64x2.splat(LN2_LO));
  const r = f64x2.sub(hi, lo);
  const t = f64x2.mul(r, r);
  let p = f64x2.add(f64x2.splat(P4), f64x2.mul(t, f64x2.splat(P5)));
  p = f64x2.add(f64x2.splat(P3), f64x2.mul(t, p));
  p = f64x2.add(f64x2.splat(P2), f64x2.mul(t, p));
  p = f64x2.add(f64x2.splat(P1), f64x2.mul(t, p));
  const c = f64x2.sub(r, f64x2.mul(t, p));
  const y = f64x2.sub(
    f64x2.splat(1.0),
    f64x2.sub(f64x2.sub(lo, f64x2.div(f64x2.mul(r, c), f64x2.sub(f64x2.splat(2.0), c))), hi),
  );
  // y 2^k as (y 2^(k+1000)) 2^-1000: the first product is exact, the second exact unless the
  // result is subnormal, where it rounds once as fdlibm's does. 2^(k+1000) is built in the
  // exponent field from the low bits of k + 0x1.8p52 (k >= -1075 here, so k + 2023 >= 948).
  const scale = i64x2.add(
    i64x2.shl(f64x2.add(k, f64x2.splat(INTEGER_BITS)), 52),
    i64x2.splat(<i64>(1023 + 1000) << 52),
  );
  const e = f64x2.mul(f64x2.mul(y, scale), f64x2.splat(TWO_M1000));
  const small = v128.bitselect(f64x2.add(f64x2.splat(1.0), x), e, f64x2.lt(ax, f64x2.splat(TINY)));
  return v128.and(small, f64x2.ge(x, f64x2.splat(UNDERFLOW)));
}

/** e^x for one x <= 0, the same value as Math.exp(x) in V8. */
// @ts-ignore: decorator
@inline
export function expNonPositive(x: f64): f64 {
  return f64x2.extract_lane(expNonPositiveX2(f64x2.splat(x)), 0);
}

/**
 * e^x for n arguments x <= 0 (pointer xs) into out, by expNonPositiveX2: exported so that tests
 * can compare it with Math.exp bit for bit. n even.
 */
export function nonPositiveExponentials(xs: usize, n: i32, out: usize): void {
  for (let i = 0; i < n; i += 2) {
    const o = <usize>i << 3;
    v128.store(out + o, expNonPositiveX2(v128.load(xs + o)));
  }
}
