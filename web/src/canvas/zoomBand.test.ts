import { describe, expect, it } from "vitest";
import { bandOf, FAR_ZOOM, OVERVIEW_ZOOM, selectBand } from "./zoomBand.ts";
import { fitOptions } from "./fit.ts";

describe("zoom bands", () => {
  it("draws everything down to 35 %, a light node down to 20 %, boxes below", () => {
    expect(bandOf(1)).toBe("normal");
    expect(bandOf(FAR_ZOOM)).toBe("normal");
    expect(bandOf(FAR_ZOOM - 0.001)).toBe("far");
    expect(bandOf(OVERVIEW_ZOOM)).toBe("far");
    expect(bandOf(OVERVIEW_ZOOM - 0.001)).toBe("overview");
    expect(bandOf(0.05)).toBe("overview");
    expect(selectBand({ transform: [120, -40, 0.1] })).toBe("overview");
  });

  it("keeps a small journey's fit in the normal band, where its text is readable", () => {
    expect(bandOf(fitOptions(30).minZoom!)).toBe("normal");
  });
});
