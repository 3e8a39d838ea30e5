/**
 * Every reason the engine gives for refusing a reward (the wire schema's list) has words in both
 * languages wherever the editor shows one: the simulate counts, the "why" of a step and the report's
 * spend section. A new reason (red packets' `claimed`) fails here until it is written down.
 */
import { EffectRecord } from "@lifeloop/shared";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { strings as panels } from "./strings.ts";
import { strings as report } from "../report/strings.ts";

const refuse = EffectRecord.options.find((o) => o.shape.kind.value === "refuse");
const reason = refuse && "reason" in refuse.shape ? refuse.shape.reason : null;
const reasons: readonly string[] = reason instanceof z.ZodEnum ? reason.options.map(String) : [];

describe("refusal reasons", () => {
  it("are all worded in en and zh-CN", () => {
    expect(reasons).toEqual(expect.arrayContaining(["cap", "budget", "pace", "claimed", "no_amount"]));
    for (const lang of ["en", "zh-CN"] as const)
      for (const reason of reasons) {
        expect(panels[lang][`sim.refusal.${reason}`], `${lang} sim.refusal.${reason}`).toBeTruthy();
        expect(panels[lang][`sim.why.refuse.${reason}`], `${lang} sim.why.refuse.${reason}`).toContain("{{detail}}");
        expect(report[lang][`report.spend.refusal.${reason}`], `${lang} report.spend.refusal.${reason}`).toBeTruthy();
      }
  });
});
