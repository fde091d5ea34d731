"""References for src/solvers/portable-math.ts: exp and log at 40 digits (mpmath).

Arguments: fixed points across the range (near the overflow and underflow thresholds, around the
reduction boundaries 0.5 ln2 and 1.5 ln2, subnormals for log) and 400 seeded random ones. Each
argument is written as the exact decimal of its double, each value as 25 significant digits.
Run: python3 scripts/portable_math_reference.py > test/fixtures/portable-math-reference.json
"""
import json
import math
import random

import mpmath

mpmath.mp.dps = 40
rng = random.Random(20261205)


def exact(x):
    return repr(float(x))


exp_args = [0.0, 1e-300, -1e-300, 3e-9, 1e-5, -1e-5, 0.3465735902799726, 0.34657359027997264,
            1.0397207708399179, 1.039720770839918, 1.0, -1.0, 2.0, 10.0, -10.0, 100.0, -100.0,
            700.0, 709.0, 709.782712893383, -700.0, -708.0, -708.4, -720.0, -744.0, -745.0]
exp_args += [rng.uniform(-745, 709.78) for _ in range(150)]
exp_args += [rng.uniform(-2, 2) for _ in range(150)]
exp_args += [rng.uniform(-40, 40) for _ in range(100)]
log_args = [5e-324, 1e-320, 2.2250738585072014e-308, 1e-300, 1e-10, 0.5, 0.7071067811865476,
            0.9999999999999999, 1.0000000000000002, 1.5, 1.4142135623730951, 2.0, 10.0, 1e10,
            1e300, 1.7976931348623157e308]
log_args += [math.exp(rng.uniform(-700, 700)) for _ in range(150)]
log_args += [rng.uniform(0.5, 2) for _ in range(150)]
log_args += [rng.uniform(0, 1000) for _ in range(100)]

out = {
    "exp": [[exact(x), mpmath.nstr(mpmath.exp(mpmath.mpf(x)), 25, min_fixed=1, max_fixed=0)] for x in exp_args],
    "log": [[exact(x), mpmath.nstr(mpmath.log(mpmath.mpf(x)), 25, min_fixed=1, max_fixed=0)] for x in log_args],
}
print(json.dumps(out, separators=(",", ":")).replace("],[", "],\n["))
