import { cleanup } from "@testing-library/react";
import { afterEach, beforeAll } from "vitest";
import "../i18n/index.ts";
import { preloadAll } from "../lazy.tsx";

// React Flow measures nodes with ResizeObserver; happy-dom has one, but keep a stub for older DOMs.
if (!("ResizeObserver" in globalThis)) {
  (globalThis as { ResizeObserver?: unknown }).ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}

afterEach(() => cleanup());

// Lazily loaded parts (the rule builder, panels) render at once in component tests, as they do once
// their chunk is in; loading itself is tested in lazy.test.tsx and in the browser tests.
beforeAll(() => preloadAll());
