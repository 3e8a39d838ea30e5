// The report projector's thread (see projector-thread.ts). A worker thread gets no TypeScript
// loader from node, tsx or vitest, so this plain-JavaScript entry registers tsx's and then loads
// the thread's body.
import { register } from "tsx/esm/api";

register();
await import("./body.ts");
