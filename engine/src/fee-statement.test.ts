/**
 * The fee-statement sample: a template's figures (this month's fee savings and waivers, in the
 * journey's time zone) rendered as text, checked against sums made here from the stream itself.
 */
import { describe, expect, it } from "vitest";
import { pick, runSample, sampleEvents } from "./testing/samples.ts";

const r = runSample("fee-statement");
const SHANGHAI = 8 * 3_600_000;

describe("fee-statement", () => {
  it("tells each person what waivers saved them this month (Shanghai), in yuan", () => {
    // Independently: December in Shanghai by shifting the instant, sums in fen, yuan with two decimals.
    const events = sampleEvents("fee-statement");
    const december = (at: string) => new Date(Date.parse(at) + SHANGHAI).getUTCMonth() === 11;
    const expected = ["u1", "u2", "u3"].map((userId) => {
      const mine = events.filter((e) => e.userId === userId && e.type === "fee_waived" && december(e.at));
      const fen = mine.reduce((a, e) => a + Number(e.props.fee_saved), 0);
      return { userId, text: `本月为您节省手续费 ¥${(fen / 100).toFixed(2)}（${mine.length} 笔减免）。` };
    });
    expect(pick(r, "message", ["text"]).map(({ userId, text }) => ({ userId, text }))).toEqual(expected);
    // By hand: u1's ¥9.99 at 23:30 on 30 November is last month's; ¥8.00 at 00:30 on 1 December and
    // ¥4.50 on the 15th are this month's. u2 saved ¥3.00; u3 nothing.
    expect(expected.map((e) => e.text)).toEqual([
      "本月为您节省手续费 ¥12.50（2 笔减免）。",
      "本月为您节省手续费 ¥3.00（1 笔减免）。",
      "本月为您节省手续费 ¥0.00（0 笔减免）。",
    ]);
  });
});
