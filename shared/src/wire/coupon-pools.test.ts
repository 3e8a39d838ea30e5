import { describe, expect, it } from "vitest";
import { parseCouponFile } from "./coupon-pools.ts";

describe("parseCouponFile", () => {
  it("reads a JSON array, a CSV with a code column, and one code per line, in file order", () => {
    expect(parseCouponFile('["A1", "B2"]')).toEqual({ codes: ["A1", "B2"] });
    expect(parseCouponFile('\uFEFFid,code,note\r\n1,"X-1","a, b"\r\n\r\n2,Y-2,\r\n')).toEqual({
      codes: ["X-1", "Y-2"],
    });
    expect(parseCouponFile("code\nZ9\n")).toEqual({ codes: ["Z9"] });
    expect(parseCouponFile("Q1\n Q2 \n\nQ1\n")).toEqual({ codes: ["Q1", "Q2", "Q1"] });
  });

  it("names where garbage is", () => {
    expect(parseCouponFile('["A1", 7, "has space"]')).toEqual({
      issues: [
        { path: "$[1]", message: expect.stringContaining("not a coupon code") },
        { path: "$[2]", message: expect.stringContaining("not a coupon code") },
      ],
    });
    expect(parseCouponFile("id,value\n1,2")).toEqual({
      issues: [{ path: "line 1", message: 'a CSV pool file needs a "code" column' }],
    });
    expect(parseCouponFile("ok1\nbad code\n")).toEqual({
      issues: [{ path: "line 2", message: expect.stringContaining("not a coupon code") }],
    });
    expect(parseCouponFile("[1,")).toEqual({ issues: [{ path: "$", message: expect.stringContaining("not JSON") }] });
    expect(parseCouponFile("{}")).toEqual({
      issues: [{ path: "line 1", message: expect.stringContaining("not a coupon code") }],
    });
    expect(parseCouponFile("\n\n")).toEqual({ issues: [{ path: "$", message: "the file has no codes" }] });
  });
});
