/**
 * Counted UI actions for the "how many actions does it take" tests: every click, key chord, drag
 * and typed field is one action, done through this object so the count is what a person would do.
 * Waiting for the page and reading it are not actions.
 */
import type { Locator, Page } from "playwright-core";
import { connect, dropFromPalette } from "./harness.ts";

/** Where a connection is released; LIFELOOP_E2E_CONNECT_ON=handle measures the editor before body drops connected. */
const CONNECT_ON = process.env.LIFELOOP_E2E_CONNECT_ON === "handle" ? "handle" : "body";

export interface Actions {
  readonly count: number;
  /** Each action in order, for the failure message. */
  readonly log: readonly string[];
  click(target: Locator, what: string, position?: { x: number; y: number }): Promise<void>;
  /** Types a whole field (fill, then leaves it): one action. */
  type(target: Locator, text: string, what: string): Promise<void>;
  select(target: Locator, value: string, what: string): Promise<void>;
  chord(keys: string, what: string): Promise<void>;
  drop(kind: string, at: { x: number; y: number }): Promise<void>;
  /** Drags a connection from a node's branch handle and releases it on the other node's body. */
  connect(from: { node: string; handle: string }, to: { node: string }): Promise<void>;
}

export function countActions(page: Page): Actions {
  const log: string[] = [];
  const note = (what: string) => log.push(what);
  return {
    get count() {
      return log.length;
    },
    log,
    async click(target, what, position) {
      note(`click ${what}`);
      await target.click(position ? { position } : {});
    },
    async type(target, text, what) {
      note(`type ${what}`);
      await target.fill(text);
      await target.blur();
    },
    async select(target, value, what) {
      note(`select ${what}`);
      await target.selectOption(value);
    },
    async chord(keys, what) {
      note(`keys ${keys} (${what})`);
      await page.keyboard.press(keys);
    },
    async drop(kind, at) {
      note(`drag ${kind} from the palette`);
      await dropFromPalette(page, kind, at);
    },
    async connect(from, to) {
      note(`connect ${from.node}.${from.handle} → ${to.node}`);
      await connect(page, from, to, CONNECT_ON);
    },
  };
}
