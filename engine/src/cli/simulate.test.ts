import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const tsx = join(root, "node_modules", ".bin", "tsx");
const main = join(root, "engine", "src", "cli", "main.ts");
const lifeloop = (...args: string[]) => {
  const r = spawnSync(tsx, [main, ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, LIFELOOP_DEBUG: "" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const tmp = mkdtempSync(join(tmpdir(), "lifeloop-simulate-"));

describe("lifeloop simulate", () => {
  const args = ["simulate", "--journey", "samples/journeys/win-back.json", "--events", "samples/events/win-back.jsonl"];

  it("prints every effect as JSONL, then the per-journey summary and the run, byte-identical every time", () => {
    const a = lifeloop(...args);
    const b = lifeloop(...args);
    expect(a.code).toBe(0);
    expect(a.stderr).toBe("");
    expect(a.stdout).toBe(b.stdout);
    const lines = a.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const reward = lines.find((l) => l.kind === "reward")!;
    expect(Object.keys(reward).slice(0, 6)).toEqual(["at", "userId", "journeyId", "version", "nodeId", "kind"]);
    expect(reward).toMatchObject({
      at: "2026-11-16T02:00:01.000Z",
      userId: "u1",
      nodeId: "coupon_15",
      reward: { type: "coupon", code: "WINBACK_10" },
    });
    const summary = lines.find((l) => l.summary === "journey")!;
    expect(summary).toMatchObject({ journeyId: "win-back", cost: { CNY: { grants: 7, amount: 13000 } } });
    expect(lines[lines.length - 1]).toMatchObject({ summary: "run", events: 8, duplicates: 0, users: 3 });
  });

  it("prints a table with counts per node and the cost", () => {
    const r = lifeloop(...args, "--format", "table", "--until", "2026-11-20T00:00:00Z");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^at\s+user\s+journey\s+node\s+kind\s+detail$/m);
    expect(r.stdout).toContain("cost: 2 grant(s), 2000 CNY");
    expect(r.stdout).toContain("clock run to 2026-11-20T00:00:00.000Z");
  });

  it("refuses a bad stream line by line, simulating nothing (exit 1)", () => {
    const stream = join(tmp, "bad.jsonl");
    writeFileSync(
      stream,
      '{"id":"a","userId":"u1","type":"login","at":"2026-11-01T00:00:00Z"}\nnot ' +
        'json\n{"id":"b","userId":"u1","type":"login","at":"soon"}\n',
    );
    const r = lifeloop("simulate", "--journey", "samples/journeys/win-back.json", "--events", stream);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("bad.jsonl:2: $:");
    expect(r.stderr).toContain("bad.jsonl:3: $.at:");
    expect(r.stderr).toContain("2 bad line(s)");
  });

  it("says plainly which rule went over a limit, for whom and on which event (exit 1, no stack)", () => {
    // Over the step budget only with a long list in the event: the journey itself validates.
    const rule = {
      "!!": [{ reduce: [{ var: "event.props.list" }, { merge: [{ var: "accumulator" }, [{ var: "current" }]] }, []] }],
    };
    const journey = {
      schemaVersion: 1,
      id: "list-check",
      name: "List check",
      timeZone: "Asia/Shanghai",
      entry: { reentry: "once" },
      nodes: [
        { id: "start", kind: "trigger", params: { mode: "event", event: "order" } },
        { id: "check", kind: "condition", params: { rule } },
        { id: "end", kind: "exit", params: { reason: "completed" } },
      ],
      edges: [
        { id: "e1", source: "start", sourceHandle: "next", target: "check" },
        { id: "e2", source: "check", sourceHandle: "yes", target: "end" },
        { id: "e3", source: "check", sourceHandle: "no", target: "end" },
      ],
    };
    const file = join(tmp, "list-check.json");
    writeFileSync(file, JSON.stringify(journey));
    expect(lifeloop("validate", file).code).toBe(0);
    const stream = join(tmp, "big.jsonl");
    const list = Array.from({ length: 2000 }, (_, i) => i % 10);
    const big = { id: "big-1", userId: "u7", type: "order", at: "2026-11-01T00:00:00Z", props: { list } };
    writeFileSync(stream, `${JSON.stringify(big)}\n`);
    const r = lifeloop("simulate", "--journey", file, "--events", stream);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(
      `lifeloop simulate: ${file}: the rule at $.nodes[1].params.rule (node "check") of journey "list-check" ` +
        `failed for u7 on event big-1: limit_steps`,
    );
    expect(r.stderr).not.toContain("internal error");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // Over the limit whatever the data: lifeloop validate refuses it, in words, at the rule's path.
    const always = join(tmp, "always.json");
    writeFileSync(
      always,
      JSON.stringify({
        ...journey,
        nodes: journey.nodes.map((n) =>
          n.id === "check"
            ? { ...n, params: { rule: { "==": [{ var: "event.props.code" }, { cat: ["x".repeat(70_000)] }] } } }
            : n,
        ),
      }),
    );
    const v = lifeloop("validate", always);
    expect(v.code).toBe(1);
    expect(v.stderr + v.stdout).toContain(
      `${always}: error $.nodes[1].params.rule["=="][1] node check: this part of the rule always builds a ` +
        `text longer than 65,536 characters`,
    );
    expect(v.stderr + v.stdout).toContain("[rule_over_limit]");
  });

  it("explains usage mistakes (exit 1) and unknown flags", () => {
    expect(lifeloop("simulate", "--events", "x.jsonl").stderr).toContain("name at least one --journey FILE");
    expect(lifeloop("simulate", ...args.slice(1), "--format", "xml").stderr).toContain("--format is jsonl or table");
  });

  it("applies the sidecar's channel caps across the journeys it replays (--channel-caps)", () => {
    const both = [
      "simulate",
      ...["--journey", "samples/journeys/first-order-discount.json"],
      ...["--journey", "samples/journeys/newcomer-basic-coupon.json"],
      ...["--events", "samples/events/first-order-discount.jsonl"],
    ];
    const kinds = (stdout: string) =>
      stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l.kind === "suppress" || (l.kind === "message" && l.channel === "push"))
        .map((l) => `${l.userId} ${l.journeyId} ${l.kind === "suppress" ? `${l.reason}: ${l.detail}` : "push"}`);
    const capped = lifeloop(...both, "--channel-caps", "push:1/day", "--channel-caps-tz", "Asia/Shanghai");
    expect(capped.stderr).toBe("");
    // Each newcomer's registration pushes from both journeys; the first (by journey id) takes the day's one push.
    expect(kinds(capped.stdout)).toEqual(
      ["u1", "u2", "u3"].flatMap((u) => [
        `${u} first-order-discount push`,
        `${u} newcomer-basic-coupon channel_cap: 1 of 1 push messages this day across all journeys`,
      ]),
    );
    expect(kinds(lifeloop(...both).stdout).filter((k) => k.includes("channel_cap"))).toEqual([]);
    const bad = lifeloop(...both, "--channel-caps", "push:3/year");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--channel-caps: channel caps: "push:3/year" is not channel:count/period');
  });
});
