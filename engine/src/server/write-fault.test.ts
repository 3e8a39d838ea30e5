import { describe, expect, it } from "vitest";
import { WriteFault } from "./write-fault.ts";

describe("WriteFault", () => {
  it("holds a failure until a write succeeds or the hold runs out", () => {
    let now = 1_000_000;
    const fault = new WriteFault(() => now, 10_000);
    expect(fault.current()).toBeNull();
    fault.failed("the disk is full");
    now += 2_500;
    expect(fault.current()).toBe("the disk is full (a write failed 2.5 s ago)");
    fault.ok();
    expect(fault.current()).toBeNull();

    fault.failed("the disk is full");
    now += 9_999;
    expect(fault.current()).not.toBeNull();
    now += 1;
    expect(fault.current()).toBeNull();
    // Another failure starts the hold again.
    fault.failed("the database is not answering");
    expect(fault.current()).toBe("the database is not answering (a write failed 0.0 s ago)");
  });
});
