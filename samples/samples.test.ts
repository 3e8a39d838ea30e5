import { readdirSync, readFileSync } from "node:fs";
import { compileJourney, EventEnvelope, parseUntrustedJson } from "@lifeloop/shared";
import { describe, expect, it } from "vitest";

const dir = new URL("./", import.meta.url);
const journeys = readdirSync(new URL("journeys/", dir))
  .filter((f) => f.endsWith(".json"))
  .sort();
const readme = readFileSync(new URL("README.md", dir), "utf8");

describe("samples", () => {
  it("cover every seed playbook", () => {
    expect(journeys.map((f) => f.replace(".json", ""))).toEqual([
      "ab-deposit-copy",
      "ab-onboarding",
      "activation-newcomer-gift",
      "checkin-device-cap",
      "coupon-expiry",
      "coupon-pool",
      "daily-checkin",
      "fee-statement",
      "first-order-discount",
      "invite-reward",
      "newcomer-basic-coupon",
      "newcomer-invited-bundle",
      "paced-coupons",
      "points-expiry",
      "red-packet",
      "tiered-rebate",
      "tiers-levels",
      "tiers",
      "vip-upgrade",
      "win-back",
    ]);
  });

  for (const file of journeys) {
    const name = file.replace(".json", "");
    describe(name, () => {
      const doc = parseUntrustedJson(readFileSync(new URL(`journeys/${file}`, dir), "utf8")) as {
        id: string;
        group?: string;
      };
      // A journey of a group is exercised with the others of its group, by the group's stream.
      const stream = doc.group ?? name;

      it("validates with no errors and no warnings", () => {
        const r = compileJourney(doc);
        expect(r.issues).toEqual([]);
        expect(r.ok).toBe(true);
        expect(doc.id).toBe(name);
      });

      it("has an event stream of valid, unique, time-ordered events", () => {
        const lines = readFileSync(new URL(`events/${stream}.jsonl`, dir), "utf8")
          .trim()
          .split("\n");
        expect(lines.length).toBeGreaterThan(3);
        const events = lines.map((l, i) => {
          const r = EventEnvelope.safeParse(JSON.parse(l));
          if (!r.success) throw new Error(`events/${stream}.jsonl line ${i + 1}: ${r.error.message}`);
          return r.data;
        });
        expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
        const times = events.map((e) => Date.parse(e.at));
        expect(times).toEqual([...times].sort((a, b) => a - b));
      });

      it("is described in the README in English and Chinese", () => {
        const row = readme.split("\n").find((l) => l.includes(`journeys/${file}`));
        expect(row).toBeDefined();
        expect(row).toMatch(/[\u4e00-\u9fff]/);
      });
    });
  }

  it("bound what every reward can cost a person where the playbook promises it", () => {
    const cost = (name: string) =>
      compileJourney(parseUntrustedJson(readFileSync(new URL(`journeys/${name}.json`, dir), "utf8"))).cost;
    expect(cost("activation-newcomer-gift")).toEqual({ CNY: { perEntry: 2000, perUser: 2000 } });
    expect(cost("ab-onboarding")).toEqual({ points: { perEntry: 200, perUser: 200 } });
    expect(cost("invite-reward")).toEqual({ points: { perEntry: 500, perUser: 5000 } });
    expect(cost("daily-checkin")).toEqual({ points: { perEntry: 10, perUser: null } });
    // One claim per person, at most the total less the four other claims' ¥0.50 minimums.
    expect(cost("red-packet")).toEqual({ CNY: { perEntry: 800, perUser: 800 } });
    expect(cost("paced-coupons")).toEqual({ CNY: { perEntry: 500, perUser: 500 } });
  });
});
