/**
 * The editor screen: toolbar, palette, canvas, inspector and side panels, problems. Everything it
 * shows about the journey comes from the editor store; this page only wires them together.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { useTranslation } from "react-i18next";
import { useStore } from "zustand";
import { LangSwitch } from "../i18n/LangSwitch.tsx";
import { Canvas } from "../canvas/Canvas.tsx";
import { CANVAS_SEARCH_ID } from "../canvas/CanvasSearch.tsx";
import { fitOptions } from "../canvas/fit.ts";
import { useFitNodes } from "../canvas/fitNodes.ts";
import { useShortcuts } from "../canvas/shortcuts.ts";
import { Inspector } from "../inspector/Inspector.tsx";
import { Palette } from "../palette/Palette.tsx";
import { Deferred, lazyNamed } from "../lazy.tsx";
import { Problems } from "../panels/Problems.tsx";
import { ExportButton, ImportButton, useJourneyFileDrop } from "../panels/transfer.tsx";
import { hrefOf } from "../route.ts";
import { isDirty, redo, undo, useEditor } from "../store/editor.ts";
import { useOverlay } from "../store/overlay.ts";
import { loadLiveJourneys, useLiveJourneys } from "../store/liveJourneys.ts";
import { loadObserved } from "../catalog/observed.ts";
import { loadJourney, saveDraft, useAutosave, usePersistence } from "../store/persistence.ts";
import { loadPolicy } from "../store/policy.ts";
import { useLiveValidation, useValidation } from "../store/validation.ts";

// Opened on demand, so fetched on demand: each is a chunk of its own.
const Help = lazyNamed(() => import("../panels/Help.tsx"), "Help");
const PublishDialog = lazyNamed(() => import("../panels/PublishDialog.tsx"), "PublishDialog");
const SimulatePanel = lazyNamed(() => import("../panels/SimulatePanel.tsx"), "SimulatePanel");
const StatsPanel = lazyNamed(() => import("../panels/StatsPanel.tsx"), "StatsPanel");
const HistoryPanel = lazyNamed(() => import("../panels/HistoryPanel.tsx"), "HistoryPanel");
const TestEventPanel = lazyNamed(() => import("../panels/TestEventPanel.tsx"), "TestEventPanel");

type Side = "inspector" | "simulate" | "stats" | "history" | "test";

function SaveState() {
  const { t } = useTranslation();
  const dirty = useEditor(isDirty);
  const { status, error } = usePersistence();
  if (status === "conflict")
    return (
      <span className="save-state save-state--conflict" data-testid="save-conflict" title={error ?? ""}>
        {t("toolbar.conflict")}
        <button type="button" onClick={() => void loadJourney(useEditor.getState().doc!.id)}>
          {t("toolbar.reload")}
        </button>
        <button type="button" onClick={() => void saveDraft({ force: true })}>
          {t("toolbar.overwrite")}
        </button>
      </span>
    );
  if (status === "saving") return <span className="save-state">{t("toolbar.saving")}</span>;
  if (status === "unavailable")
    return (
      <span className="save-state save-state--unsaved" data-testid="save-unavailable" title={error ?? ""}>
        ● {t("toolbar.saveUnavailable")}
      </span>
    );
  if (status === "error")
    return (
      <span className="save-state save-state--error" title={error ?? ""}>
        {t("toolbar.saveError")}: {error}
      </span>
    );
  if (dirty)
    return (
      <span className="save-state save-state--unsaved" data-testid="unsaved">
        ● {t("toolbar.unsaved")}
      </span>
    );
  return (
    <span className="save-state save-state--saved" data-testid="saved">
      ✓ {t("toolbar.saved")}
    </span>
  );
}

function Toolbar({
  side,
  setSide,
  openPublish,
  openHelp,
}: {
  side: Side;
  setSide(s: Side): void;
  openPublish(): void;
  openHelp(): void;
}) {
  const { t } = useTranslation();
  const doc = useEditor((s) => s.doc);
  const canUndo = useStore(useEditor.temporal, (s) => s.pastStates.length > 0);
  const canRedo = useStore(useEditor.temporal, (s) => s.futureStates.length > 0);
  const detail = usePersistence((s) => s.detail);
  const errors = useValidation((s) => s.errors);
  const fit = useFitNodes();
  return (
    <header className="toolbar">
      {/* The page's heading for assistive technology; the name itself is edited in the field beside. */}
      <h1 className="visually-hidden">{doc?.name ?? t("app.title")}</h1>
      <a href={hrefOf({ page: "list" })} className="toolbar__back">
        ← {t("toolbar.back")}
      </a>
      <input
        className="toolbar__name"
        data-testid="journey-name"
        value={doc?.name ?? ""}
        onChange={(e) => useEditor.getState().patchJourney({ name: e.target.value })}
        aria-label="name"
      />
      {detail && (
        <span className={`status status--${detail.status}`} data-testid="journey-status">
          {t(`status.${detail.status}`)}
          {detail.liveVersion !== null && ` · v${detail.liveVersion}`}
        </span>
      )}
      <SaveState />
      <span className="toolbar__spacer" />
      <button type="button" data-testid="btn-undo" onClick={undo} disabled={!canUndo} title={t("toolbar.undo")}>
        ↶
      </button>
      <button type="button" data-testid="btn-redo" onClick={redo} disabled={!canRedo} title={t("toolbar.redo")}>
        ↷
      </button>
      <button
        type="button"
        data-testid="btn-layout"
        onClick={() => {
          void useEditor
            .getState()
            .autoLayout()
            .then(() => fit(null, fitOptions(useEditor.getState().doc?.nodes.length ?? 0, 300)));
        }}
      >
        {t("toolbar.layout")}
      </button>
      <button type="button" data-testid="btn-save" onClick={() => void saveDraft()}>
        {t("toolbar.save")}
      </button>
      <ImportButton />
      <ExportButton />
      <button
        type="button"
        data-testid="btn-simulate"
        className={side === "simulate" ? "active" : ""}
        onClick={() => setSide(side === "simulate" ? "inspector" : "simulate")}
      >
        {t("toolbar.simulate")}
      </button>
      <button
        type="button"
        data-testid="btn-stats"
        className={side === "stats" ? "active" : ""}
        onClick={() => setSide(side === "stats" ? "inspector" : "stats")}
      >
        {t("toolbar.stats")}
      </button>
      <button
        type="button"
        data-testid="btn-test-event"
        className={side === "test" ? "active" : ""}
        onClick={() => setSide(side === "test" ? "inspector" : "test")}
      >
        {t("toolbar.testEvent")}
      </button>
      <button
        type="button"
        data-testid="btn-history"
        className={side === "history" ? "active" : ""}
        onClick={() => setSide(side === "history" ? "inspector" : "history")}
      >
        {t("toolbar.history")}
      </button>
      {doc && (
        <a
          className="btn-link"
          data-testid="btn-report"
          href={hrefOf({ page: "editor", journeyId: doc.id, panel: "report" })}
          title={t("toolbar.report")}
          aria-label={t("toolbar.report")}
        >
          📊
        </a>
      )}
      <button
        type="button"
        data-testid="btn-publish"
        className="primary"
        onClick={openPublish}
        title={errors ? t("problems.errors", { count: errors }) : ""}
      >
        {t("toolbar.publish")}
      </button>
      <button type="button" data-testid="btn-help" onClick={openHelp} title={t("toolbar.help")}>
        ?
      </button>
      <LangSwitch />
    </header>
  );
}

function Editor({ initialPanel }: { initialPanel?: string | undefined }) {
  const { t } = useTranslation();
  const [side, setSide] = useState<Side>(
    initialPanel === "simulate" || initialPanel === "stats" ? initialPanel : "inspector",
  );
  const [dialog, setDialog] = useState<"publish" | "help" | null>(null);
  const flow = useReactFlow();
  // The workspace's wording policy is compile input: lint as publishing will.
  useEffect(() => {
    void loadPolicy();
  }, []);
  useLiveValidation();
  useAutosave();
  const extra = useMemo(
    () => [
      { keys: "?", label: "shortcut.help", match: (e: KeyboardEvent) => e.key === "?", run: () => setDialog("help") },
      {
        keys: "Ctrl/⌘ + F",
        label: "shortcut.find",
        match: (e: KeyboardEvent) => (e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "f",
        run: () => document.getElementById(CANVAS_SEARCH_ID)?.focus(),
      },
    ],
    [],
  );
  useShortcuts(extra);
  const dropping = useJourneyFileDrop();
  const shownSide = useRef(side);
  useEffect(() => {
    // Leaving the simulation or stats panel takes its numbers off the canvas (not on opening: the
    // report page's "Show on canvas" puts them there before the editor opens).
    if (side === "inspector" && shownSide.current !== side) useOverlay.getState().set(null);
    shownSide.current = side;
  }, [side]);
  return (
    <div className={`editor${dropping ? " editor--dropping" : ""}`}>
      <Toolbar
        side={side}
        setSide={setSide}
        openPublish={() => setDialog("publish")}
        openHelp={() => setDialog("help")}
      />
      <div className="editor__body">
        <Palette
          onAdd={(kind) => {
            const { x, y, zoom } = flow.getViewport();
            const el = document.querySelector(".canvas");
            const w = el?.clientWidth ?? 800;
            const h = el?.clientHeight ?? 600;
            useEditor.getState().addNode(kind, { x: (w / 2 - x) / zoom - 120, y: (h / 2 - y) / zoom - 40 });
          }}
        />
        <main className="editor__main">
          <Canvas />
          <Problems />
        </main>
        <aside className="side" data-testid={`side-${side}`}>
          {side === "inspector" && <Inspector />}
          <Deferred inline>
            {side === "simulate" && <SimulatePanel onClose={() => setSide("inspector")} />}
            {side === "stats" && <StatsPanel onClose={() => setSide("inspector")} />}
            {side === "history" && <HistoryPanel onClose={() => setSide("inspector")} />}
            {side === "test" && <TestEventPanel onClose={() => setSide("inspector")} />}
          </Deferred>
        </aside>
      </div>
      <Deferred inline>
        {dialog === "publish" && <PublishDialog onClose={() => setDialog(null)} />}
        {dialog === "help" && <Help onClose={() => setDialog(null)} />}
      </Deferred>
      {dropping && <div className="drop-hint">{t("transfer.dropHint")}</div>}
    </div>
  );
}

export function EditorPage({ journeyId, panel }: { journeyId: string; panel?: string | undefined }) {
  const { t } = useTranslation();
  const [state, setState] = useState<{ loading: boolean; error: string | null }>({ loading: true, error: null });
  useEffect(() => {
    let live = true;
    loadJourney(journeyId).then(
      () => live && setState({ loading: false, error: null }),
      (e: unknown) => live && setState({ loading: false, error: e instanceof Error ? e.message : String(e) }),
    );
    // The other live journeys, for the same-trigger reward warning. Without them the editor still
    // works; the warning is missing, and the console says why.
    useLiveJourneys.setState({ facts: [] });
    // What the workspace has seen, for the rule builder's fields (each read says so when it fails).
    void loadObserved();
    loadLiveJourneys(journeyId).catch((e: unknown) =>
      console.warn(
        `could not read the live journeys for the overlap warning: ${e instanceof Error ? e.message : String(e)}`,
      ),
    );
    return () => {
      live = false;
    };
  }, [journeyId]);
  if (state.loading) return <div className="page-message">{t("app.loading")}</div>;
  if (state.error)
    return (
      <div className="page-message" role="alert">
        <p>
          {t("app.error")}: {state.error}
        </p>
        <a href={hrefOf({ page: "list" })}>← {t("toolbar.back")}</a>
      </div>
    );
  return (
    <ReactFlowProvider>
      <Editor initialPanel={panel} />
    </ReactFlowProvider>
  );
}
