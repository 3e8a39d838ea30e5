/**
 * A journey with one timer a person: an hour after signing up, `followed_up` is set and the run ends.
 * Timer benchmarks and the sidecar's timer-pass test run it for large cohorts.
 */
export function followUpJourney(id = "follow-up") {
  return {
    schemaVersion: 1,
    id,
    name: "Follow up after an hour",
    timeZone: "Asia/Shanghai",
    entry: { reentry: "once" },
    nodes: [
      { id: "start", kind: "trigger", params: { mode: "event", event: "signup" } },
      { id: "wait", kind: "wait", params: { mode: "duration", duration: "1h" } },
      { id: "mark", kind: "update-attribute", params: { op: "set", attribute: "followed_up", value: true } },
    ],
    edges: [
      { id: "e1", source: "start", sourceHandle: "next", target: "wait" },
      { id: "e2", source: "wait", sourceHandle: "next", target: "mark" },
    ],
  };
}
