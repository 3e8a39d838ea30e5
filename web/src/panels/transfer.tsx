/**
 * Journeys as files: import (a button, or a .json dropped anywhere on the page) and export (the draft
 * or a published version). A file is checked here first with the same parser and compiler the API
 * uses, so a wrong file is refused at once with where it is wrong; nothing changes until the API has
 * stored the whole journey.
 */
import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { create } from "zustand";
import { compileJourney, InputError, parseUntrustedJson } from "@lifeloop/shared";
import { api, ApiFailure, type ErrorIssue, type VersionSummary } from "../api/client.ts";
import { navigate } from "../route.ts";
import { isDirty, useEditor } from "../store/editor.ts";
import { saveDraft } from "../store/persistence.ts";
import { IssuesByNode, messageOf, selectNode } from "./common.tsx";
import { downloadText } from "../files.ts";
import { AlertDialog } from "../ui/Dialog.tsx";

/** Why a file was refused: a message, each issue with its JSON path (and node), and the id the file names. */
export interface ImportProblem {
  file: string;
  message: string;
  issues: ErrorIssue[];
  journeyId: string | null;
}

export interface ImportNotice {
  id: string;
  remapped: { from: string; to: string } | null;
  migratedFrom: number | null;
}

/** What the last import said; kept outside components because a successful import opens another editor. */
export const useTransfer = create<{ problem: ImportProblem | null; notice: ImportNotice | null; busy: boolean }>(
  () => ({ problem: null, notice: null, busy: false }),
);

const idIn = (value: unknown): string | null =>
  value !== null && typeof value === "object" && typeof (value as { id?: unknown }).id === "string"
    ? (value as { id: string }).id
    : null;

/**
 * The file checked as the API will check it: JSON within limits, then a journey document (older
 * schemaVersions are migrated by the compiler). A draft with errors is still a journey and imports.
 */
export function checkJourneyFile(
  text: string,
):
  | { ok: true; journeyId: string | null }
  | { ok: false; message: string; issues: ErrorIssue[]; journeyId: string | null } {
  let value: unknown;
  try {
    value = parseUntrustedJson(text);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { ok: false, message: "", issues: [{ path: e.path, message: e.message, code: e.code }], journeyId: null };
  }
  const compiled = compileJourney(value);
  if (compiled.document !== null) return { ok: true, journeyId: compiled.document.id };
  const issues = compiled.issues
    .filter((i) => i.severity === "error")
    .map((i) => ({
      path: i.path,
      ...(i.nodeId !== undefined ? { nodeId: i.nodeId } : {}),
      ...(i.field !== undefined ? { field: i.field } : {}),
      message: i.message,
      code: i.code,
    }));
  return { ok: false, message: "", issues, journeyId: idIn(value) };
}

/** Checks and imports one file; on success opens the imported journey. Returns whether it was imported. */
async function importJourneyText(file: string, text: string): Promise<boolean> {
  const checked = checkJourneyFile(text);
  if (!checked.ok) {
    useTransfer.setState({
      problem: { file, message: checked.message, issues: checked.issues, journeyId: checked.journeyId },
      notice: null,
    });
    return false;
  }
  useTransfer.setState({ busy: true, problem: null, notice: null });
  try {
    const r = await api.importFile(text);
    useTransfer.setState({ notice: { id: r.journey.id, remapped: r.remapped, migratedFrom: r.migratedFrom } });
    navigate({ page: "editor", journeyId: r.journey.id });
    return true;
  } catch (e) {
    useTransfer.setState({
      problem: {
        file,
        message: messageOf(e),
        issues: e instanceof ApiFailure ? e.issues : [],
        journeyId: checked.journeyId,
      },
    });
    return false;
  } finally {
    useTransfer.setState({ busy: false });
  }
}

async function importJourneyFile(file: File): Promise<boolean> {
  if (!/\.json$/i.test(file.name) && file.type !== "application/json") {
    useTransfer.setState({
      problem: { file: file.name, message: "", issues: [{ path: "$", message: "not a .json file" }], journeyId: null },
      notice: null,
    });
    return false;
  }
  return importJourneyText(file.name, await file.text());
}

function ImportErrors({ problem }: { problem: ImportProblem }) {
  const { t } = useTranslation();
  const openId = useEditor((s) => s.doc?.id ?? null);
  const close = () => useTransfer.setState({ problem: null });
  // Nodes can be picked only when the file is the journey open here: elsewhere the ids mean nothing.
  const canPick = problem.journeyId !== null && problem.journeyId === openId;
  return (
    <AlertDialog
      title={t("transfer.errorsTitle")}
      testId="import-errors"
      cancelTestId="import-errors-close"
      onClose={close}
    >
      <p>
        {t("transfer.refused", { file: problem.file })} {t("transfer.nothingChanged")}
      </p>
      {problem.message && <p className="error-text">{problem.message}</p>}
      <IssuesByNode
        issues={problem.issues}
        testId="import-issues"
        general={t("transfer.fileLevel")}
        onPick={
          canPick
            ? (nodeId) => {
                selectNode(nodeId);
                close();
              }
            : undefined
        }
      />
    </AlertDialog>
  );
}

function ImportNoticeLine({ notice }: { notice: ImportNotice }) {
  const { t } = useTranslation();
  const openId = useEditor((s) => s.doc?.id ?? null);
  if (openId !== notice.id) return null;
  return (
    <span className="transfer-notice" role="status" data-testid="import-notice">
      {t("transfer.imported", { id: notice.id })}
      {notice.remapped && ` ${t("transfer.remapped", { from: notice.remapped.from, to: notice.remapped.to })}`}
      {notice.migratedFrom !== null && ` ${t("transfer.migrated", { from: notice.migratedFrom })}`}
      <button
        type="button"
        className="link"
        onClick={() => useTransfer.setState({ notice: null })}
        aria-label={t("app.close")}
      >
        ✕
      </button>
    </span>
  );
}

export function ImportButton() {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const { problem, notice, busy } = useTransfer();
  return (
    <>
      <button
        type="button"
        data-testid="btn-import"
        disabled={busy}
        onClick={() => input.current?.click()}
        title={t("transfer.importHelp")}
      >
        {busy ? t("transfer.importing") : t("transfer.import")}
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="import-file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = "";
          if (file) void importJourneyFile(file);
        }}
      />
      {notice && <ImportNoticeLine notice={notice} />}
      {problem && <ImportErrors problem={problem} />}
    </>
  );
}

const exportName = (id: string, version?: number): string => (version ? `${id}.v${version}.json` : `${id}.json`);

export function ExportButton() {
  const { t } = useTranslation();
  const id = useEditor((s) => s.doc?.id ?? null);
  const [open, setOpen] = useState(false);
  const [versions, setVersions] = useState<VersionSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open || !id) return;
    let live = true;
    api.versions(id).then(
      (r) => live && setVersions(r.items),
      (e: unknown) => live && setError(messageOf(e)),
    );
    return () => {
      live = false;
    };
  }, [open, id]);

  async function exportOne(version?: number) {
    if (!id) return;
    setError(null);
    try {
      if (version === undefined && isDirty(useEditor.getState()) && !(await saveDraft())) {
        setError(t("transfer.saveFailed"));
        return;
      }
      downloadText(exportName(id, version), await api.exportFile(id, version));
      setOpen(false);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  // A menu (Radix UI): arrow keys move between the items, Enter picks, Escape or a click outside
  // closes. Picking keeps it open until the file is made, so a failure is shown where it happened.
  const pick = (version?: number) => (e: Event) => {
    e.preventDefault();
    void exportOne(version);
  };
  return (
    <DropdownMenu.Root open={open} onOpenChange={setOpen}>
      <DropdownMenu.Trigger type="button" data-testid="btn-export" disabled={!id}>
        {t("transfer.export")} ▾
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          className="menu__list"
          data-testid="export-menu"
          align="end"
          sideOffset={4}
          aria-label={t("transfer.export")}
        >
          <DropdownMenu.Item className="menu__item" data-testid="export-draft" onSelect={pick()}>
            {t("transfer.exportDraft")}
          </DropdownMenu.Item>
          {versions === null && !error && <div className="muted menu__note">{t("app.loading")}</div>}
          {versions?.map((v) => (
            <DropdownMenu.Item
              key={v.version}
              className="menu__item"
              data-testid={`export-version-${v.version}`}
              onSelect={pick(v.version)}
            >
              {t("transfer.exportVersion", { version: v.version })}
              {v.live && ` · ${t("transfer.live")}`}
              {v.note && <span className="muted"> — {v.note}</span>}
            </DropdownMenu.Item>
          ))}
          {versions?.length === 0 && <div className="muted menu__note">{t("transfer.noVersions")}</div>}
          {error && (
            <div className="error-text menu__note" role="alert" data-testid="export-error">
              {error}
            </div>
          )}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

const hasFiles = (e: DragEvent): boolean => Array.from(e.dataTransfer?.types ?? []).includes("Files");

/**
 * True while a file is dragged over the page; dropping a .json imports it. Other drags (the palette) are left alone.
 */
export function useJourneyFileDrop(): boolean {
  const [over, setOver] = useState(false);
  useEffect(() => {
    let depth = 0;
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth++;
      setOver(true);
    };
    const overPage = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = "copy";
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setOver(false);
      const file = e.dataTransfer?.files[0];
      if (file) void importJourneyFile(file);
    };
    window.addEventListener("dragenter", enter);
    window.addEventListener("dragover", overPage);
    window.addEventListener("dragleave", leave);
    window.addEventListener("drop", drop);
    return () => {
      window.removeEventListener("dragenter", enter);
      window.removeEventListener("dragover", overPage);
      window.removeEventListener("dragleave", leave);
      window.removeEventListener("drop", drop);
    };
  }, []);
  return over;
}
