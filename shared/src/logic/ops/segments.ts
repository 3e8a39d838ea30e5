/**
 * `in_segment [segmentId]`: true when the user matches a named segment. The segment's rule comes from the
 * compile options, is compiled into the referencing rule (once per compile, however often it is used)
 * and runs inline against the document the rule was called with — the root data, even inside a
 * map/filter body, because segments describe the user, not an array element.
 */
import { LogicError } from "../errors.ts";
import type { Node, OpSite, OpSpec } from "../types.ts";

function compileInSegment(site: OpSite): Node {
  const id = site.raw[0];
  if (site.raw.length !== 1 || typeof id !== "string") {
    throw new LogicError("bad_argument", '"in_segment" takes one literal segment id: ["segment-id"]', site.valuePath);
  }
  const segment = site.segment(id);
  return (_d, c) => segment(c.root, c);
}

export const SEGMENT_OPS: Readonly<Record<string, OpSpec>> = {
  in_segment: { pure: false, compile: compileInSegment },
};
