/**
 * A 200-node journey for the bench: trigger → 198 steps cycling through condition, update-attribute,
 * wait and message (each condition's "no" to a shared exit) → exit. It compiles with no errors, so
 * what is stored and served is what an editor would really save.
 */
export function bigJourney(nodes = 200) {
  const steps = nodes - 3;
  const list: Array<Record<string, unknown>> = [
    { id: "start", kind: "trigger", position: { x: 0, y: 0 }, params: { mode: "event", event: "registered" } },
  ];
  const edges: Array<Record<string, unknown>> = [];
  let prev = "start";
  for (let i = 0; i < steps; i++) {
    const id = `step_${i}`;
    const position = { x: 240 * ((i % 10) + 1), y: 160 * Math.floor(i / 10) };
    switch (i % 4) {
      case 0:
        list.push({
          id,
          kind: "condition",
          position,
          params: { rule: { ">=": [{ agg_count: ["login", "7d"] }, i % 5] } },
        });
        edges.push({ id: `no_${i}`, source: id, sourceHandle: "no", target: "no_match" });
        break;
      case 1:
        list.push({
          id,
          kind: "update-attribute",
          position,
          params: { op: "set", attribute: `step_${i}`, value: `visited ${i}` },
        });
        break;
      case 2:
        list.push({ id, kind: "wait", position, params: { mode: "duration", duration: "1h" } });
        break;
      default:
        list.push({
          id,
          kind: "message",
          position,
          params: {
            channel: "push",
            template: {
              title: `Step ${i}`,
              body: `Hi {{profile.nickname | there}}, this is step ${i} of the long journey.`,
            },
          },
        });
    }
    edges.push({ id: `e_${i}`, source: prev, sourceHandle: i > 0 && (i - 1) % 4 === 0 ? "yes" : "next", target: id });
    prev = id;
  }
  list.push({ id: "done", kind: "exit", position: { x: 0, y: 4000 }, params: { reason: "completed" } });
  list.push({ id: "no_match", kind: "exit", position: { x: 240, y: 4000 }, params: { reason: "no_match" } });
  edges.push({ id: "e_last", source: prev, sourceHandle: (steps - 1) % 4 === 0 ? "yes" : "next", target: "done" });
  return {
    schemaVersion: 1,
    id: "bench-200",
    name: "Bench: 200 nodes",
    description: "A long journey for the API benchmark.",
    timeZone: "Asia/Shanghai",
    entry: { reentry: "once" },
    nodes: list,
    edges,
  };
}
