/**
 * json-logic-js evaluates every argument of an ordinary operator before calling it, even arguments the
 * operator ignores ({"!": [true, {"*": []}]} throws). Specialised closures read only the arguments they
 * use, so surplus arguments are evaluated separately here — for their errors and step costs, never for
 * their values — keeping throw-for-throw parity.
 */
import type { Ctx, Node, OpSite } from "../types.ts";

export function withSurplus(site: OpSite, arity: number, run: Node): Node {
  const surplus = site.args
    .slice(arity)
    .filter((a) => !a.constant)
    .map((a) => a.run);
  if (surplus.length === 0) return run;
  return (d, c) => {
    const result = run(d, c);
    for (let i = 0; i < surplus.length; i++) surplus[i]!(d, c);
    return result;
  };
}

/** Evaluates all arguments into a fresh array (for n-ary operators). */
export function evaluateArgs(site: OpSite): (d: unknown, c: Ctx) => unknown[] {
  const runs = site.args.map((a) => a.run);
  const n = runs.length;
  return (d, c) => {
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = runs[i]!(d, c);
    return out;
  };
}
