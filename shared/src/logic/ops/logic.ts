/**
 * Control flow: `if` / `?:` chains, short-circuit `and` / `or` returning the deciding value, `!`, `!!`.
 * These are the only lazy operators besides the scoped array ones: untaken branches are never evaluated.
 */
import { orOfEqualities } from "../fastpaths.ts";
import { truthy } from "../truthy.ts";
import type { Node, OpSite, OpSpec } from "../types.ts";
import { withSurplus } from "./eager.ts";

function compileIf(site: OpSite): Node {
  const runs = site.args.map((a) => a.run);
  const n = runs.length;
  if (n === 0) return () => null;
  if (n === 1) return runs[0]!;
  if (n === 2) {
    const [cond, then] = runs as [Node, Node];
    return (d, c) => (truthy(cond(d, c)) ? then(d, c) : null);
  }
  if (n === 3) {
    const [cond, then, otherwise] = runs as [Node, Node, Node];
    return (d, c) => (truthy(cond(d, c)) ? then(d, c) : otherwise(d, c));
  }
  // Pairs (condition, consequent); an odd trailing argument is the else; without one the answer is null.
  const conds: Node[] = [];
  const thens: Node[] = [];
  for (let i = 0; i + 1 < n; i += 2) {
    conds.push(runs[i]!);
    thens.push(runs[i + 1]!);
  }
  const otherwise: Node | null = n % 2 === 1 ? runs[n - 1]! : null;
  const pairs = conds.length;
  return (d, c) => {
    for (let i = 0; i < pairs; i++) if (truthy(conds[i]!(d, c))) return thens[i]!(d, c);
    return otherwise === null ? null : otherwise(d, c);
  };
}

function compileAnd(site: OpSite): Node {
  const runs = site.args.map((a) => a.run);
  const n = runs.length;
  if (n === 0) return () => undefined; // json-logic-js returns its unset `current`
  if (n === 1) return runs[0]!;
  if (n === 2) {
    const [a, b] = runs as [Node, Node];
    return (d, c) => {
      const x = a(d, c);
      return truthy(x) ? b(d, c) : x;
    };
  }
  return (d, c) => {
    let x: unknown;
    for (let i = 0; i < n; i++) {
      x = runs[i]!(d, c);
      if (!truthy(x)) return x;
    }
    return x;
  };
}

function compileOr(site: OpSite): Node {
  const fast = orOfEqualities(site);
  if (fast !== null) return fast;
  const runs = site.args.map((a) => a.run);
  const n = runs.length;
  if (n === 0) return () => undefined;
  if (n === 1) return runs[0]!;
  if (n === 2) {
    const [a, b] = runs as [Node, Node];
    return (d, c) => {
      const x = a(d, c);
      return truthy(x) ? x : b(d, c);
    };
  }
  return (d, c) => {
    let x: unknown;
    for (let i = 0; i < n; i++) {
      x = runs[i]!(d, c);
      if (truthy(x)) return x;
    }
    return x;
  };
}

function compileNot(site: OpSite): Node {
  const a = site.arg(0).run;
  return withSurplus(site, 1, (d, c) => !truthy(a(d, c)));
}

function compileNotNot(site: OpSite): Node {
  const a = site.arg(0).run;
  return withSurplus(site, 1, (d, c) => truthy(a(d, c)));
}

export const LOGIC_OPS: Readonly<Record<string, OpSpec>> = {
  if: { pure: true, compile: compileIf },
  "?:": { pure: true, compile: compileIf },
  and: { pure: true, compile: compileAnd },
  or: { pure: true, compile: compileOr },
  "!": { pure: true, compile: compileNot },
  "!!": { pure: true, compile: compileNotNot },
};
