import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const tsx = join(root, "node_modules", ".bin", "tsx");
const main = join(root, "engine", "src", "cli", "main.ts");
/** Every sample journey file: the product loads them all, so the count below follows the folder. */
const SAMPLE_JOURNEYS = readdirSync(new URL("../../../samples/journeys/", import.meta.url)).filter((f) =>
  f.endsWith(".json"),
).length;

/** Runs the real command in a child process, as a user's CI would. */
function lifeloop(...args: string[]) {
  const r = spawnSync(tsx, [main, ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, LIFELOOP_DEBUG: "" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = mkdtempSync(join(tmpdir(), "lifeloop-cli-"));
const file = (name: string, content: string) => {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
};
const valid = JSON.stringify({
  schemaVersion: 1,
  id: "j",
  name: "J",
  timeZone: "UTC",
  entry: { reentry: "once" },
  nodes: [
    { id: "t", kind: "trigger", params: { mode: "event", event: "x" } },
    { id: "e", kind: "exit", params: {} },
  ],
  edges: [{ id: "e1", source: "t", target: "e" }],
});

describe("lifeloop command", () => {
  it("validates every sample journey (exit 0)", () => {
    const r = lifeloop("validate", "samples/journeys");
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain(`${SAMPLE_JOURNEYS} valid, 0 invalid`);
    expect(r.code).toBe(0);
  });

  it("prints each error on a line with file, path, node and message (exit 1)", () => {
    const bad = file("bad.json", valid.replace('"target":"e"', '"target":"ghost"'));
    const r = lifeloop("validate", bad);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `${bad}: error $.edges[0].target: edge "e1" ends at "ghost", which is not a node in this journey [dangling_edge]`,
    );
    expect(r.stdout).toMatch(
      /error \$\.nodes\[1\] node e: node "e" cannot be reached from any trigger \[unreachable_node\]/,
    );
  });

  it("names an unknown field at its path, in its node, with the field it is probably meant to be (exit 1)", () => {
    const typo = file("typo.json", valid.replace('"params":{}', '"params":{"reasn":"done"}'));
    const r = lifeloop("validate", typo);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `${typo}: error $.nodes[1].params.reasn node e: unknown field "reasn"; did you mean "reason"? [unknown_field]`,
    );
  });

  it("answers --json with machine-readable issues", () => {
    const r = lifeloop("validate", "--json", file("ok.json", valid));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([expect.objectContaining({ ok: true, issues: [] })]);
  });

  it("gives unreadable, non-JSON, oversized and deeply nested files one clear line each", () => {
    const cases: Array<[string, RegExp]> = [
      [join(tmp, "missing.json"), /cannot read \(ENOENT\)/],
      [file("text.json", "hello"), /not valid JSON/],
      [file("deep.json", "[".repeat(5000) + "]".repeat(5000)), /nests deeper than 64 levels/],
      [file("huge.json", `"${"x".repeat(3 * 1024 * 1024)}"`), /over the 2097152-byte limit/],
    ];
    for (const [path, message] of cases) {
      const r = lifeloop("validate", path);
      expect(r.code).toBe(1);
      expect(r.stdout.trim().split("\n")).toHaveLength(1);
      expect(r.stdout).toMatch(message);
      expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
  });

  it("compiles a journey to its executable graph", () => {
    const r = lifeloop("compile", "samples/journeys/activation-newcomer-gift.json");
    expect(r.code).toBe(0);
    const graph = JSON.parse(r.stdout);
    expect(graph.format).toBe("lifeloop.executable/1");
    expect(graph.nodes.wait_invest.params).toMatchObject({ mode: "event", timeoutMs: 86_400_000 });
  });

  it("refuses to compile an invalid journey, errors on stderr", () => {
    const r = lifeloop("compile", file("bad2.json", valid.replace('"target":"e"', '"target":"t"')));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("[edge_into_trigger]");
  });

  it("prints the JSON Schema", () => {
    const r = lifeloop("schema");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).$id).toContain("journey.schema.json");
  });

  it("says how to use it", () => {
    expect(lifeloop("--help")).toMatchObject({ code: 0, stdout: expect.stringContaining("validate FILE|DIR") });
    expect(lifeloop("frobnicate")).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown verb "frobnicate"'),
    });
    expect(lifeloop("validate")).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("name at least one journey file"),
    });
    expect(lifeloop("validate", "--bogus", "x")).toMatchObject({ code: 1, stderr: expect.stringContaining("--bogus") });
  });
});
