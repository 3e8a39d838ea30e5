import { expect, it } from "vitest";
import { Outage } from "./outage.ts";

const down = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
const bug = new Error("cannot read properties of undefined");

it("logs one line when an outage starts and one when it ends, however many attempts fail in between", () => {
  const lines: string[] = [];
  let t = 1_000_000;
  const o = new Outage("background work", (l) => lines.push(l), { now: () => t });
  expect(o.down).toBe(false);
  for (let i = 0; i < 20; i++) {
    o.failed(down);
    t += 500;
  }
  expect(o.down).toBe(true);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(
    /^lifeloop engine: background work failing: the database cannot be reached \(ECONNREFUSED\); retrying with backoff/,
  );
  o.ok();
  o.ok();
  expect(lines).toHaveLength(2);
  expect(lines[1]).toBe("lifeloop engine: background work works again after 10.0 s (20 failed attempt(s))");
  expect(o.down).toBe(false);
  // The next outage is a new one: its own line.
  o.failed(down);
  expect(lines).toHaveLength(3);
});

it("backs off exponentially from the base, never past the cap, with jitter", () => {
  const o = new Outage("x", () => {}, { baseMs: 100, capMs: 2_000 });
  const delays = Array.from({ length: 12 }, () => o.failed(down));
  const plain = [100, 200, 400, 800, 1600, 2000, 2000, 2000, 2000, 2000, 2000, 2000];
  delays.forEach((d, i) => {
    expect(d).toBeGreaterThanOrEqual(plain[i]! * 0.75);
    expect(d).toBeLessThanOrEqual(Math.min(2_000, plain[i]! * 1.25));
  });
  o.ok();
  expect(o.delay()).toBe(0);
});

it("logs errors that are not an outage every time (a bug is not hidden), still backing off", () => {
  const lines: string[] = [];
  const o = new Outage("report projection", (l) => lines.push(l));
  o.failed(bug);
  o.failed(bug);
  expect(lines).toEqual([
    "lifeloop engine: report projection failed: cannot read properties of undefined",
    "lifeloop engine: report projection failed: cannot read properties of undefined",
  ]);
  // Nothing was reported as an outage, so nothing to say when it works.
  o.ok();
  expect(lines).toHaveLength(2);
});

it("does not call an outage over on the word of an attempt that began before its latest failure", () => {
  const lines: string[] = [];
  const o = new Outage("PostgreSQL", (l) => lines.push(l));
  const early = o.ticket();
  o.failed(down);
  // A transaction that was already committing when the server went: its success says nothing.
  o.ok(early);
  expect(o.down).toBe(true);
  const late = o.ticket();
  o.ok(late);
  expect(o.down).toBe(false);
  expect(lines).toHaveLength(2);
});
