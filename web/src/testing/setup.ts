import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";
import "../i18n/index.ts";

// React Flow measures nodes with ResizeObserver; happy-dom has one, but keep a stub for older DOMs.
if (!("ResizeObserver" in globalThis)) {
  (globalThis as { ResizeObserver?: unknown }).ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}

afterEach(() => cleanup());
