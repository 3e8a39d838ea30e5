import { describe, expect, it } from "vitest";
import { csvField, toCsv } from "./csv.ts";

describe("CSV", () => {
  it("quotes fields as RFC 4180 says", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("cr\r")).toBe('"cr\r"');
    expect(csvField(null)).toBe("");
    expect(csvField(12000)).toBe("12000");
    expect(csvField(1 / 3)).toBe("0.333333");
    expect(
      toCsv([
        ["a", "b"],
        ["x,y", 1],
      ]),
    ).toBe('a,b\r\n"x,y",1\r\n');
  });
});
