/**
 * A test file's page on the real API: the API started once for the file (see api-server.ts), the
 * page's same-origin fetches sent to it with one role's key, the page in one language. Hooks are
 * registered where this is called, so a file's own `beforeEach` runs after the page is pointed.
 */
import type { Lang } from "@lifeloop/shared";
import { afterAll, afterEach, beforeAll, beforeEach, vi } from "vitest";
import { KEY_STORAGE } from "../api/client.ts";
import i18n from "../i18n/index.ts";
import { startTestApi, type TestApi } from "./api-server.ts";

interface PageOnApi {
  lang: Lang;
  /** Whose key the editor holds. */
  role: keyof TestApi["keys"];
  /** Once the API is up, before any test: what the file's tests start from (a published version, say). */
  ready?(api: TestApi): Promise<void>;
  /** Start a real engine sidecar beside the API, its clock standing at this instant (see startTestApi). */
  engineAt?: string;
}

/** The running API, read through: usable in tests and hooks once the file's `beforeAll` has started it. */
export function pageOnTestApi(o: PageOnApi): Omit<TestApi, "close"> {
  let started: TestApi | undefined;
  const running = (): TestApi => {
    if (!started) throw new Error("the test API is not started yet: use it inside tests and hooks");
    return started;
  };
  const realFetch = globalThis.fetch;
  beforeAll(async () => {
    started = await startTestApi(o.engineAt ? { engineAt: o.engineAt } : {});
    await o.ready?.(started);
  }, 60_000);
  afterAll(() => started?.close());
  beforeEach(async () => {
    await i18n.changeLanguage(o.lang);
    const api = running();
    localStorage.setItem(KEY_STORAGE, api.keys[o.role]);
    vi.stubGlobal("fetch", (url: string, init?: RequestInit) => realFetch(`${api.url}${url}`, init));
  });
  afterEach(() => vi.unstubAllGlobals());
  return {
    get url() {
      return running().url;
    },
    get keys() {
      return running().keys;
    },
    get engineUrl() {
      return running().engineUrl;
    },
    sendToEngine: (lines) => running().sendToEngine(lines),
    simulateSample: (journeyId) => running().simulateSample(journeyId),
    reportSample: (journeyId) => running().reportSample(journeyId),
  };
}
