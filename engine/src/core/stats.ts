/**
 * The statistics behind the experiment verdict, pure and dependency-free.
 *
 * - Lift: a two-proportion z-test of each arm against the control holdout. The 95 % interval of the
 *   difference of rates uses the unpooled (Wald) standard error; the two-sided p-value uses the
 *   pooled standard error (the usual test of "no difference").
 * - Anytime-valid: the mixture sequential probability ratio test (mSPRT, Johari, Koomen, Pekelis and
 *   Walsh 2017) on the same difference, with a normal mixture N(0, τ²) over the effect: its
 *   always-valid p-value and 95 % confidence sequence hold at whatever moment the report is read, so
 *   looking early and often does not inflate the error (Ville's inequality), at the cost of width.
 * - Sample-ratio mismatch: Pearson's chi-square of assignments against the configured shares,
 *   k − 1 degrees of freedom; a p-value below 0.001 is a mismatch (the split is broken, so the
 *   lifts cannot be trusted).
 */

const Z95 = 1.959963984540054;
const SRM_ALPHA = 0.001;
const ALPHA = 0.05;

/** erfc(x) for x ≥ 0: Taylor series of erf below 3, Lentz's continued fraction above. */
function erfcPositive(x: number): number {
  if (x < 3) {
    let sum = 0;
    let term = x;
    for (let n = 0; n < 200; n++) {
      const t = term / (2 * n + 1);
      sum += t;
      if (Math.abs(t) < 1e-17 * Math.abs(sum)) break;
      term *= (-x * x) / (n + 1);
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

export function erfc(x: number): number {
  return x >= 0 ? erfcPositive(x) : 2 - erfcPositive(-x);
}

/** Two-sided p-value of a standard normal statistic. */
function twoSidedP(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9).
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0]!;
  const t = x + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Upper regularized incomplete gamma Q(a, x) (series below a + 1, continued fraction above). */
function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const lead = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return Math.max(0, 1 - sum * Math.exp(lead));
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    d = Math.abs(d) < tiny ? tiny : d;
    c = b + an / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.min(1, Math.exp(lead) * h);
}

/** P(χ²_df ≥ x). */
export const chiSquareP = (x: number, df: number): number => (df <= 0 ? 1 : gammaQ(df / 2, x / 2));

export interface Lift {
  absolute: number;
  relative: number | null;
  ci95: [number, number];
  pValue: number;
}

/** An arm (x of n converted) against the control (x0 of n0): null when either has nobody. */
export function twoProportion(x: number, n: number, x0: number, n0: number): Lift | null {
  if (n === 0 || n0 === 0) return null;
  const p = x / n;
  const p0 = x0 / n0;
  const diff = p - p0;
  const se = Math.sqrt((p * (1 - p)) / n + (p0 * (1 - p0)) / n0);
  const pooled = (x + x0) / (n + n0);
  const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / n + 1 / n0));
  const pValue = sePooled === 0 ? 1 : twoSidedP(diff / sePooled);
  return { absolute: diff, relative: p0 === 0 ? null : diff / p0, ci95: [diff - Z95 * se, diff + Z95 * se], pValue };
}

/**
 * The mixture's variance over the true difference of rates: τ = 5 points, the size of effect the
 * lifecycle journeys here aim at. A smaller τ favours small effects, a larger one large effects; any τ
 * keeps the guarantee.
 */
export const MSPRT_TAU2 = 0.05 ** 2;

export interface AnytimeLift {
  /** 95 % confidence sequence of the difference of rates: holds at every moment at once. */
  cs95: [number, number];
  /** Always-valid p-value of "no difference": 1 / the mixture likelihood ratio, at most 1. */
  pValue: number;
}

/**
 * The mSPRT of an arm (x of n) against the control (x0 of n0). With the difference d and its variance
 * V = p(1−p)/n + p0(1−p0)/n0 (the plug-in of the normal approximation), the normal-mixture likelihood
 * ratio of "difference θ" is Λ(θ) = √(V/(V+τ²)) · exp(τ²(d−θ)² / (2V(V+τ²))); the p-value is 1/Λ(0)
 * and the sequence every θ with Λ(θ) < 1/α. Null when either side has nobody or V is 0 (every rate 0
 * or 1: the normal approximation says nothing yet).
 */
export function msprt(x: number, n: number, x0: number, n0: number, tau2 = MSPRT_TAU2): AnytimeLift | null {
  if (n === 0 || n0 === 0) return null;
  const p = x / n;
  const p0 = x0 / n0;
  const d = p - p0;
  const v = (p * (1 - p)) / n + (p0 * (1 - p0)) / n0;
  if (v === 0) return null;
  const logLambda = 0.5 * Math.log(v / (v + tau2)) + (tau2 * d * d) / (2 * v * (v + tau2));
  const alpha = 1 - 0.95;
  const half = Math.sqrt(((2 * v * (v + tau2)) / tau2) * (Math.log(1 / alpha) + 0.5 * Math.log((v + tau2) / v)));
  return { cs95: [d - half, d + half], pValue: Math.min(1, Math.exp(-logLambda)) };
}

export interface Srm {
  chiSquare: number;
  pValue: number;
  mismatch: boolean;
}

/** Observed assignments against expected shares (summing to 1). */
export function sampleRatioMismatch(observed: number[], shares: number[]): Srm {
  const total = observed.reduce((a, b) => a + b, 0);
  if (total === 0 || observed.length < 2) return { chiSquare: 0, pValue: 1, mismatch: false };
  let chi = 0;
  for (let i = 0; i < observed.length; i++) {
    const expected = total * shares[i]!;
    if (expected > 0) chi += (observed[i]! - expected) ** 2 / expected;
    // Someone in an arm configured for nobody: the split is certainly broken.
    else if (observed[i]! > 0) return { chiSquare: Infinity, pValue: 0, mismatch: true };
  }
  const pValue = chiSquareP(chi, observed.length - 1);
  return { chiSquare: chi, pValue, mismatch: pValue < SRM_ALPHA };
}

export type VerdictStatus = "not_enough_data" | "winner" | "no_difference" | "worse" | "srm";

/**
 * Not enough data while any arm (control included) has fewer than `minPerArm` people; a broken
 * split says "srm" whatever the lifts; otherwise the arm with the largest significant gain wins, or
 * the arm with the largest significant loss is "worse", or there is no difference.
 */
export function verdict(
  arms: Array<{ arm: string; entered: number; lift: Lift | null; baseline: boolean }>,
  srm: Srm,
  minPerArm: number,
): { status: VerdictStatus; arm: string | null } {
  if (arms.length < 2 || arms.some((a) => a.entered < minPerArm)) return { status: "not_enough_data", arm: null };
  if (srm.mismatch) return { status: "srm", arm: null };
  const significant = arms.filter((a) => !a.baseline && a.lift && a.lift.pValue < ALPHA);
  const better = significant.filter((a) => a.lift!.absolute > 0).sort((a, b) => b.lift!.absolute - a.lift!.absolute);
  if (better.length > 0) return { status: "winner", arm: better[0]!.arm };
  const worse = significant.filter((a) => a.lift!.absolute < 0).sort((a, b) => a.lift!.absolute - b.lift!.absolute);
  if (worse.length > 0) return { status: "worse", arm: worse[0]!.arm };
  return { status: "no_difference", arm: null };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** The 95 % Wilson score interval of a rate (x of n), clamped to [0, 1]; null when n is 0. */
export function wilson(x: number, n: number): [number, number] | null {
  if (n === 0) return null;
  const p = x / n;
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z95 / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
