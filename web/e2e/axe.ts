/**
 * Accessibility scans in the browser tests: axe-core's own script (the npm package, no network) is
 * put into the page with playwright-core and run on the document as it is shown, WCAG 2.x A and AA
 * rules and axe's best practices. `serious` and `critical` findings fail the tests that scan.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AxeResults, Result } from "axe-core";
import type { Page } from "playwright-core";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

type Impact = "minor" | "moderate" | "serious" | "critical";

export interface AxeFigures {
  page: string;
  /** Findings by impact, every rule that ran. */
  counts: Record<Impact, number>;
  /** The serious and critical findings, one line each: rule, what it says, where. */
  blocking: string[];
  /** The other findings' rules with how many elements each (moderate and minor: reported, not failing). */
  others: Record<string, number>;
  passes: number;
}

const BLOCKING: Impact[] = ["serious", "critical"];

function lines(v: Result): string[] {
  return v.nodes.map((n) =>
    `${v.impact} ${v.id}: ${v.help} — ${n.target.join(" ")} ${n.failureSummary?.replace(/\s+/g, " ") ?? ""}`.slice(
      0,
      400,
    ),
  );
}

/** Scans the page (or the part under `include`, a CSS selector) and counts what axe finds. */
export async function axeScan(page: Page, name: string, include?: string): Promise<AxeFigures> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: AXE_SOURCE });
  const results = await page.evaluate(
    // Runs in the page: `axe` is the global the script above defines.
    async (selector) => {
      const axe = (window as unknown as { axe: typeof import("axe-core") }).axe;
      return JSON.parse(
        JSON.stringify(await axe.run(selector ? { include: [selector] } : document, { resultTypes: ["violations"] })),
      );
    },
    include ?? null,
  );
  const r = results as AxeResults;
  const counts: Record<Impact, number> = { minor: 0, moderate: 0, serious: 0, critical: 0 };
  for (const v of r.violations) counts[v.impact ?? "minor"] += v.nodes.length;
  const others: Record<string, number> = {};
  for (const v of r.violations)
    if (!BLOCKING.includes(v.impact ?? "minor")) others[`${v.impact} ${v.id}`] = v.nodes.length;
  return {
    page: name,
    counts,
    blocking: r.violations.filter((v) => BLOCKING.includes(v.impact ?? "minor")).flatMap(lines),
    others,
    passes: r.passes.length,
  };
}

export const axeLine = (f: AxeFigures): string =>
  `${f.page.padEnd(28)} critical ${f.counts.critical}  serious ${f.counts.serious}  ` +
  `moderate ${f.counts.moderate}  minor ${f.counts.minor}` +
  (Object.keys(f.others).length
    ? `  (${Object.entries(f.others)
        .map(([rule, n]) => `${rule.split(" ")[1]} ×${n}`)
        .join(", ")})`
    : "");
