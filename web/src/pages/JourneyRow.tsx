/**
 * One row of the journeys list: status, live version, problems, nodes, last edit, unpublished
 * changes; open, duplicate, archive.
 */
import type { MouseEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Lang } from "@lifeloop/shared";
import type { JourneySummary } from "../api/client.ts";
import { hrefOf, navigate } from "../route.ts";
import { formatWhen } from "./newJourney.ts";

export function JourneyRow({
  j,
  lang,
  busy,
  onDuplicate,
  onArchive,
}: {
  j: JourneySummary;
  lang: Lang;
  busy: boolean;
  onDuplicate(): void;
  onArchive(to: boolean): void;
}) {
  const { t } = useTranslation();
  const href = hrefOf({ page: "editor", journeyId: j.id });
  const when = formatWhen(j.updatedAt, lang);
  const stop = (fn: () => void) => (e: MouseEvent) => {
    e.stopPropagation();
    fn();
  };
  return (
    <tr
      className="journeys__row"
      data-testid={`journey-row-${j.id}`}
      onClick={() => navigate({ page: "editor", journeyId: j.id })}
    >
      <td>
        <a href={href} className="journeys__name" onClick={(e) => e.stopPropagation()}>
          {j.name}
        </a>
        <div className="journeys__id">{j.id}</div>
      </td>
      <td>
        <span className={`status status--${j.status}`} data-testid={`row-status-${j.id}`}>
          {t(`status.${j.status}`)}
        </span>
        {j.liveVersion !== null && j.hasUnpublishedChanges && (
          <span
            className="journeys__unpublished"
            data-testid={`row-unpublished-${j.id}`}
            title={t("journeys.unpublished")}
          >
            ● {t("journeys.unpublished.short")}
          </span>
        )}
      </td>
      <td data-testid={`row-version-${j.id}`} title={j.liveVersion === null ? t("journeys.noVersion") : undefined}>
        {j.liveVersion === null ? <span className="muted">—</span> : `v${j.liveVersion}`}
      </td>
      <td className="journeys__problems">
        {j.problems.errors > 0 && (
          <span
            className="badge badge--error"
            data-testid={`row-errors-${j.id}`}
            title={t("journeys.errors", { count: j.problems.errors })}
          >
            ✕ {j.problems.errors}
          </span>
        )}
        {j.problems.warnings > 0 && (
          <span
            className="badge badge--warning"
            data-testid={`row-warnings-${j.id}`}
            title={t("journeys.warnings", { count: j.problems.warnings })}
          >
            ⚠ {j.problems.warnings}
          </span>
        )}
        {j.problems.errors === 0 && j.problems.warnings === 0 && (
          <span className="badge badge--ok" data-testid={`row-ok-${j.id}`} title={t("journeys.noProblems")}>
            ✓
          </span>
        )}
      </td>
      <td className="num" data-testid={`row-nodes-${j.id}`}>
        {j.nodeCount}
      </td>
      <td data-testid={`row-updated-${j.id}`}>
        <time dateTime={j.updatedAt} title={when.absolute}>
          {when.relative}
        </time>
        <div className="journeys__when">
          {when.absolute} · {t("journeys.updatedBy", { who: j.updatedBy })}
        </div>
      </td>
      <td className="journeys__actions">
        <a
          className="btn-link"
          data-testid={`btn-report-${j.id}`}
          href={hrefOf({ page: "editor", journeyId: j.id, panel: "report" })}
          onClick={(e) => e.stopPropagation()}
        >
          {t("journeys.report")}
        </a>
        <button type="button" data-testid={`btn-duplicate-${j.id}`} onClick={stop(onDuplicate)} disabled={busy}>
          {t("journeys.duplicate")}
        </button>
        {j.status === "archived" ? (
          <button
            type="button"
            data-testid={`btn-unarchive-${j.id}`}
            onClick={stop(() => onArchive(false))}
            disabled={busy}
          >
            {t("journeys.unarchive")}
          </button>
        ) : (
          <button
            type="button"
            data-testid={`btn-archive-${j.id}`}
            onClick={stop(() => onArchive(true))}
            disabled={busy}
          >
            {t("journeys.archive")}
          </button>
        )}
      </td>
    </tr>
  );
}
