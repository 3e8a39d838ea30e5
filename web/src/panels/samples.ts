/** The sample streams in samples/events, by name (what the API's simulate `{sample}` takes). */
export const SAMPLES: string[] = Object.keys(
  import.meta.glob("../../../samples/events/*.jsonl", { query: "?raw", import: "default" }),
)
  .map((k) => k.replace(/^.*\//, "").replace(/\.jsonl$/, ""))
  .sort();
