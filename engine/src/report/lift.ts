/**
 * The intervals of the incrementality report, pure and dependency-free (docs/reports.md,
 * "Incrementality"). Holdouts are small (5 % of people) and conversion rates often low, where the
 * Wald interval of a difference is too narrow and can leave [−1, 1]; so the difference of rates uses
 * Newcombe's hybrid score interval (his method 10: Wilson intervals of each rate, combined), and the
 * relative lift the usual interval of the log risk ratio.
 */
import type { HoldoutGroup, IncrementalCost, IncrementalityFigures, Interval } from "@lifeloop/shared";

const Z95 = 1.959963984540054;

/** Wilson's score interval of x successes in n (n > 0). */
export function wilson(x: number, n: number, z = Z95): { low: number; high: number } {
  const p = x / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** p1 − p2 with Newcombe's hybrid score interval; null when either group is empty. */
export function newcombe(x1: number, n1: number, x2: number, n2: number): Interval | null {
  if (n1 === 0 || n2 === 0) return null;
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const a = wilson(x1, n1);
  const b = wilson(x2, n2);
  const d = p1 - p2;
  return {
    value: d,
    low: d - Math.sqrt((p1 - a.low) ** 2 + (b.high - p2) ** 2),
    high: d + Math.sqrt((a.high - p1) ** 2 + (p2 - b.low) ** 2),
  };
}

/** p1 / p2 − 1 with the log risk-ratio interval; null when a group is empty or has no conversion. */
export function relativeLift(x1: number, n1: number, x2: number, n2: number): Interval | null {
  if (n1 === 0 || n2 === 0 || x1 === 0 || x2 === 0) return null;
  const rr = x1 / n1 / (x2 / n2);
  const se = Math.sqrt(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2);
  return { value: rr - 1, low: rr * Math.exp(-Z95 * se) - 1, high: rr * Math.exp(Z95 * se) - 1 };
}

const group = (people: number, converted: number): HoldoutGroup => ({
  people,
  converted,
  rate: people === 0 ? null : converted / people,
});

/** The figures of one journey (or of all pooled) from its counts and what it granted. */
export function incrementalityFigures(
  exposed: { people: number; converted: number },
  heldOut: { people: number; converted: number },
  granted: Array<{ unit: string; amount: number }>,
): IncrementalityFigures {
  const absoluteLift = newcombe(exposed.converted, exposed.people, heldOut.converted, heldOut.people);
  const incremental = absoluteLift === null ? null : absoluteLift.value * exposed.people;
  const cost: IncrementalCost[] = [...granted]
    .sort((a, b) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0))
    .map((g) => ({
      unit: g.unit,
      amount: g.amount,
      // Money stays integral: the cost of one incremental conversion, to the nearest minor unit.
      perIncrementalConversion: incremental !== null && incremental > 0 ? Math.round(g.amount / incremental) : null,
    }));
  return {
    exposed: group(exposed.people, exposed.converted),
    heldOut: group(heldOut.people, heldOut.converted),
    absoluteLift,
    relativeLift: relativeLift(exposed.converted, exposed.people, heldOut.converted, heldOut.people),
    incrementalConversions: incremental,
    cost,
  };
}
