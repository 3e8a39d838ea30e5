import { describe, expect, it } from "vitest";
import { Circuit, coolOff } from "./circuit.ts";

const T0 = Date.parse("2026-11-06T00:00:00Z");
const make = (random = 0) =>
  new Circuit("hooks.example:443", { threshold: 3, coolOffMs: 1000, maxCoolOffMs: 4000, random: () => random });

describe("delivery circuit", () => {
  it("stays closed below the threshold; a success resets the count", () => {
    const c = make();
    c.failed(T0, "HTTP 503");
    c.failed(T0, "HTTP 503");
    c.succeeded();
    c.failed(T0, "HTTP 503");
    c.failed(T0, "HTTP 503");
    expect(c.snapshot(T0)).toMatchObject({ state: "closed", failures: 2, lastError: "HTTP 503" });
    expect(c.allowance(T0)).toBe("any");
  });

  it("opens at the threshold and admits nothing during the cool-off", () => {
    const c = make();
    for (let i = 0; i < 3; i++) c.failed(T0, "ECONNREFUSED");
    expect(c.snapshot(T0)).toMatchObject({ state: "open", openedAt: T0, probeAt: T0 + 1000 });
    expect(c.admit(T0 + 999)).toBe(false);
    expect(c.allowance(T0 + 999)).toBe("none");
  });

  it("then lets exactly one probe through (half-open); its success closes the circuit", () => {
    const c = make();
    for (let i = 0; i < 3; i++) c.failed(T0, "timed out");
    expect(c.allowance(T0 + 1000)).toBe("probe");
    expect(c.admit(T0 + 1000)).toBe(true);
    expect(c.admit(T0 + 1000)).toBe(false); // the probe is under way: nobody else
    expect(c.snapshot(T0 + 1000).state).toBe("half-open");
    c.succeeded();
    expect(c.snapshot(T0 + 1001)).toMatchObject({ state: "closed", failures: 0, opens: 0, openedAt: null });
    expect(c.admit(T0 + 1001)).toBe(true);
    expect(c.admit(T0 + 1001)).toBe(true);
  });

  it("a failed probe opens it again for longer, doubling up to the cap", () => {
    const c = make();
    for (let i = 0; i < 3; i++) c.failed(T0, "HTTP 502");
    let at = T0;
    const coolOffs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const probeAt = c.snapshot(at).probeAt!;
      coolOffs.push(probeAt - at);
      at = probeAt;
      expect(c.admit(at)).toBe(true);
      c.failed(at, "HTTP 502");
    }
    expect(coolOffs).toEqual([1000, 2000, 4000, 4000, 4000]);
    expect(c.snapshot(at)).toMatchObject({ state: "open", opens: 6, openedAt: T0 });
  });

  it("failures of deliveries already under way when it opened do not extend the cool-off", () => {
    const c = make();
    for (let i = 0; i < 3; i++) c.failed(T0, "timed out");
    c.failed(T0 + 500, "timed out");
    expect(c.snapshot(T0 + 500)).toMatchObject({ state: "open", opens: 1, probeAt: T0 + 1000 });
  });

  it("a late success (a receiver that answered after all) closes it", () => {
    const c = make();
    for (let i = 0; i < 3; i++) c.failed(T0, "HTTP 503");
    c.succeeded();
    expect(c.allowance(T0)).toBe("any");
  });

  it("probeNow (after a re-drive) lets the next pass probe at once", () => {
    const c = make();
    for (let i = 0; i < 3; i++) c.failed(T0, "HTTP 503");
    c.probeNow(T0 + 10);
    expect(c.allowance(T0 + 10)).toBe("probe");
    const closed = make();
    closed.probeNow(T0);
    expect(closed.allowance(T0)).toBe("any");
  });

  it("jitters each cool-off down by up to half (the injected random source)", () => {
    expect(coolOff(1, { coolOffMs: 1000, maxCoolOffMs: 4000, random: () => 0.5 })).toBe(750);
    expect(coolOff(3, { coolOffMs: 1000, maxCoolOffMs: 4000, random: () => 0.5 })).toBe(3000);
    expect(coolOff(80, { coolOffMs: 1000, maxCoolOffMs: 4000, random: () => 0 })).toBe(4000);
    const c = make(0.5);
    for (let i = 0; i < 3; i++) c.failed(T0, "HTTP 503");
    expect(c.snapshot(T0).probeAt).toBe(T0 + 750);
  });
});
