/** What the report's sections share: the card, the empty line, tiles, the CSV link, colours, chart sizes, names. */
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { reportCsv, type CsvSection, type Lang } from "@lifeloop/shared";
import { api, getKey } from "../../api/client.ts";
import { messageOf, nodeName } from "../../panels/common.tsx";
import type { Doc } from "../../store/editor.ts";
import { downloadText } from "../../files.ts";
import { csvUrl, type Report } from "../model.ts";

export const COLORS = [
  "#4f46e5",
  "#16a34a",
  "#d97706",
  "#dc2626",
  "#0891b2",
  "#9333ea",
  "#db2777",
  "#65a30d",
  "#475569",
];
export const CHART_W = 560;
export const CHART_H = 220;

export type Ctx = { report: Report; doc: Doc | null; lang: Lang };

export const nameOf = (doc: Doc | null, id: string, lang: Lang) =>
  nodeName(
    doc?.nodes.find((n) => n.id === id),
    id,
    lang,
  );

/** The section's CSV from the API (with the key, which a plain link would not send). */
function CsvLink({ report, section }: { report: Report; section: CsvSection }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const name = `${report.journeyId}-${report.source === "simulation" ? "simulation-" : ""}${section}.csv`;
  if (report.source === "simulation")
    // The API's CSV reads live facts; a simulation's is written here, by the engine's own writer.
    return (
      <span className="report__csv">
        <button
          type="button"
          className="link"
          data-testid={`csv-${section}`}
          title={t("report.csv.simulation")}
          onClick={() => downloadText(name, reportCsv(report, section), "text/csv")}
        >
          ⬇ {t("report.csv")}
        </button>
      </span>
    );
  const by = report.breakdown?.by ?? null;
  const href = csvUrl(report.journeyId, section, report.version, report.retention.unit, by);
  return (
    <span className="report__csv">
      <a
        href={href}
        data-testid={`csv-${section}`}
        download={name}
        onClick={(e) => {
          // A link alone would go without the bearer key: fetch it with the key, then save it.
          if (!getKey()) return;
          e.preventDefault();
          setError(null);
          api.reportCsv(report.journeyId, section, report.version, report.retention.unit, by).then(
            (text) => downloadText(name, text, "text/csv"),
            (err: unknown) => setError(messageOf(err)),
          );
        }}
      >
        ⬇ {t("report.csv")}
      </a>
      {error && (
        <span className="error-text" role="alert" data-testid={`csv-error-${section}`}>
          {error}
        </span>
      )}
    </span>
  );
}

export function Section({
  id,
  title,
  csv,
  report,
  children,
}: {
  id: string;
  title: string;
  csv?: CsvSection;
  report: Report;
  children: ReactNode;
}) {
  return (
    <section className="report__section" data-testid={`section-${id}`}>
      <header className="report__section-head">
        <h2>{title}</h2>
        {csv && <CsvLink report={report} section={csv} />}
      </header>
      {children}
    </section>
  );
}

export function Empty({ id, children }: { id: string; children: ReactNode }) {
  return (
    <p className="report__empty muted" data-testid={`empty-${id}`}>
      {children}
    </p>
  );
}

export function Tile({
  id,
  label,
  value,
  sub,
}: {
  id: string;
  label: string;
  value: string;
  sub?: string | undefined;
}) {
  return (
    <div className="report__tile">
      <div className="report__tile-label">{label}</div>
      <div className="report__tile-value" data-testid={id}>
        {value}
      </div>
      {sub && <div className="report__tile-sub muted">{sub}</div>}
    </div>
  );
}

export function useExitLabel() {
  const { t, i18n } = useTranslation();
  return (reason: string) => (i18n.exists(`report.exit.${reason}`) ? t(`report.exit.${reason}`) : reason);
}
