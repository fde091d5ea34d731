// Reads and writes of f64 arrays in linear memory by index, shared by the finite-difference
// kernels (inlined where used: no call remains in the binary).

/** The f64 at index j of the array at p. */
// @ts-ignore: decorator
@inline
export function at(p: usize, j: i32): f64 {
  return load<f64>(p + (<usize>j << 3));
}

/** Stores v at index j of the array at p. */
// @ts-ignore: decorator
@inline
export function put(p: usize, j: i32, v: f64): void {
  store<f64>(p + (<usize>j << 3), v);
}

/** Cell j carries no analyte worth computing: |c| + alpha |q| at most `negligible`. */
// @ts-ignore: decorator
@inline
export function isNegligible(c: usize, q: usize, j: i32, alpha: f64, negligible: f64): bool {
  return Math.abs(at(c, j)) + alpha * Math.abs(at(q, j)) <= negligible;
}
