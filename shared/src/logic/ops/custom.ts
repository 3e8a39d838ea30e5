/**
 * Host-supplied operators, registered on one evaluator instance. They are host code, so whatever they
 * throw reaches the caller unchanged (not as a rule error), and a function they return becomes null
 * like any other function-valued result.
 */
import { HostFailure } from "../errors.ts";
import type { CustomOperator, Node, OpSite, OpSpec } from "../types.ts";
import { evaluateArgs } from "./eager.ts";

export const CUSTOM_OPERATOR_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export function customOpSpec(fn: CustomOperator): OpSpec {
  return {
    // Unknown purity: never folded.
    pure: false,
    compile(site: OpSite): Node {
      const all = evaluateArgs(site);
      return (d, c) => {
        const args = all(d, c);
        let result: unknown;
        try {
          result = fn(args, { data: d, env: c.env });
        } catch (e) {
          throw new HostFailure(e);
        }
        return typeof result === "function" ? null : result;
      };
    },
  };
}
