/**
 * The editor's production build, made here into a temp folder as `npm start` makes it, holds its
 * budget: the first screen (the entry chunk and its static imports) is at most 250 kB gzipped, the
 * heavy parts (React Flow, the charts, the rule builder, the simulate panel, the dialogs) are chunks
 * fetched when their page or panel opens, and Vite has no chunk over its 500 kB warning to print.
 * The figures are printed on every run.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, createLogger, type Rolldown } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addedWeight, kB, screensOf, type Screen } from "./bundle.ts";
import { recordInputs, whyRebuild } from "./freshness.ts";

const WEB_DIR = fileURLToPath(new URL("..", import.meta.url));
const REPO = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
const BUDGET = 250_000;

/** Lazily loaded parts, each on top of the screen it opens from. */
const PARTS = {
  editor: { module: "web/src/pages/EditorPage.tsx" },
  ruleBuilder: { module: "web/src/inspector/RuleBuilder.tsx", from: "editor" },
  simulate: { module: "web/src/panels/SimulatePanel.tsx", from: "editor" },
  publish: { module: "web/src/panels/PublishDialog.tsx", from: "editor" },
  report: { module: "web/src/report/ReportPage.tsx" },
};

describe("the editor's production build", () => {
  const outDir = mkdtempSync(join(tmpdir(), "lifeloop-bundle-"));
  const warnings: string[] = [];
  let screens: Record<keyof typeof PARTS | "first", Screen>;

  beforeAll(async () => {
    const logger = createLogger("warn");
    const warn = logger.warn;
    logger.warn = (msg, options) => {
      warnings.push(msg);
      warn(msg, options);
    };
    // Vitest runs with NODE_ENV=test, which would make this a development build (React's, for one).
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    const out = await build({
      configFile: join(WEB_DIR, "vite.config.ts"),
      root: WEB_DIR,
      customLogger: logger,
      // As `npm start` builds it (scripts/serve.ts): with the record of its inputs.
      plugins: [recordInputs(WEB_DIR)],
      build: { outDir, emptyOutDir: true },
    }).finally(() => {
      process.env.NODE_ENV = nodeEnv;
    });
    // One environment, one output: a build() of this config is never a watcher or a list.
    const output = (out as Rolldown.RolldownOutput).output;
    screens = screensOf(output, REPO, PARTS);
    const rows = Object.values(screens).map(
      (s) =>
        `  ${s.name.padEnd(30)} ${kB(s.gzip).padStart(9)} gzipped  ${kB(s.bytes).padStart(10)} minified ` +
        ` ${s.files.length} chunks`,
    );
    console.log(`[bundle] what each screen downloads (JavaScript):\n${rows.join("\n")}`);
    console.log(
      `[bundle] opening a journey adds (rendered, before minifying): ${addedWeight(screens.editor, screens.first)}`,
    );
  }, 120_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it(`keeps the first screen within ${kB(BUDGET)} gzipped`, () => {
    console.log(
      `[bundle] first screen: ${kB(screens.first.gzip)} gzipped ` +
        `(budget ${kB(BUDGET)}): ${screens.first.files.join(", ")}`,
    );
    expect(screens.first.gzip).toBeLessThanOrEqual(BUDGET);
  });

  it(
    "loads the canvas, the charts, the rule builder, the simulate panel and the dialogs only when they are " + "opened",
    () => {
      const heavy = [
        "@xyflow/react",
        "recharts",
        "react-querybuilder",
        "@react-querybuilder/core",
        "@dagrejs/dagre",
        "react-hook-form",
      ];
      expect([...screens.first.packages].filter((p) => heavy.includes(p))).toEqual([]);
      expect(screens.editor.packages.has("@xyflow/react")).toBe(true);
      for (const later of ["recharts", "react-querybuilder", "@react-querybuilder/core"])
        expect(screens.editor.packages.has(later), later).toBe(false);
      for (const file of [
        "web/src/panels/SimulatePanel.tsx",
        "web/src/panels/PublishDialog.tsx",
        "web/src/report/ReportPage.tsx",
        "web/src/inspector/RuleBuilder.tsx",
      ]) {
        expect(screens.editor.sources.has(file), file).toBe(false);
      }
      expect(screens.ruleBuilder.packages.has("react-querybuilder")).toBe(true);
      expect(screens.report.packages.has("recharts")).toBe(true);
      expect(screens.simulate.sources.has("web/src/panels/SimulatePanel.tsx")).toBe(true);
    },
  );

  it("records what it was built from, so npm start serves it again without building while nothing changed", () => {
    expect(whyRebuild(WEB_DIR, outDir)).toBeNull();
  });

  it("leaves Vite's chunk size warning on, with nothing to warn about", () => {
    expect(warnings.filter((w) => /larger than|chunk/i.test(w))).toEqual([]);
  });
});
