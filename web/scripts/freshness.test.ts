import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fixedInputs, STAMP_FILE, stampOf, whyRebuild } from "./freshness.ts";

/** A repository with a web package, two source files and a build of them. */
function repo() {
  const root = mkdtempSync(join(tmpdir(), "lifeloop-freshness-"));
  const web = join(root, "web");
  const src = join(web, "src");
  const dist = join(web, "dist");
  mkdirSync(src, { recursive: true });
  mkdirSync(dist);
  const files: Array<[string, string]> = [
    ["index.html", "<div id=root></div>"],
    ["vite.config.ts", "export default {}"],
    ["package.json", "{}"],
  ];
  for (const [f, text] of files) writeFileSync(join(web, f), text);
  writeFileSync(join(root, "pnpm-lock.yaml"), "lockfileVersion: '9.0'\n");
  writeFileSync(join(src, "main.tsx"), "console.log(1)");
  writeFileSync(join(src, "App.tsx"), "export {}");
  writeFileSync(join(dist, "index.html"), "<script src=/assets/x.js></script>");
  const build = () =>
    writeFileSync(
      join(dist, STAMP_FILE),
      JSON.stringify(stampOf(root, [join(src, "main.tsx"), join(src, "App.tsx"), ...fixedInputs(web)])),
    );
  build();
  return { root, web, src, dist, build };
}

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("whether the editor's build is current", () => {
  it("is current when nothing it was built from changed", () => {
    const r = repo();
    made.push(r.root);
    expect(whyRebuild(r.web, r.dist)).toBeNull();
    // A file written again with the same content is not a change: content, not clocks.
    writeFileSync(join(r.src, "App.tsx"), "export {}");
    expect(whyRebuild(r.web, r.dist)).toBeNull();
  });

  it("says what changed: a source file, the lockfile, a file added to a source folder, one removed", () => {
    const r = repo();
    made.push(r.root);
    writeFileSync(join(r.src, "App.tsx"), "export const x = 1");
    expect(whyRebuild(r.web, r.dist)).toBe("web/src/App.tsx changed");
    r.build();
    writeFileSync(join(r.root, "pnpm-lock.yaml"), "lockfileVersion: '9.0'\n# another version\n");
    expect(whyRebuild(r.web, r.dist)).toBe("pnpm-lock.yaml changed");
    r.build();
    // A new file nothing imports yet may be picked up by a glob import: it counts.
    writeFileSync(join(r.src, "extra.json"), "{}");
    expect(whyRebuild(r.web, r.dist)).toBe("files were added to or removed from web/src");
    r.build();
    unlinkSync(join(r.src, "App.tsx"));
    expect(whyRebuild(r.web, r.dist)).toBe("web/src/App.tsx is gone");
  });

  it("builds when there is no build, or no record of what it was built from", () => {
    const r = repo();
    made.push(r.root);
    unlinkSync(join(r.dist, STAMP_FILE));
    expect(whyRebuild(r.web, r.dist)).toBe("the build does not say what it was built from");
    writeFileSync(join(r.dist, STAMP_FILE), "{not json");
    expect(whyRebuild(r.web, r.dist)).toMatch(/^its record of inputs is unreadable/);
    unlinkSync(join(r.dist, "index.html"));
    expect(whyRebuild(r.web, r.dist)).toBe("there is no build yet");
  });
});
