/**
 * Times for people, in the journey's time zone. Amounts and rates are formatted (and parsed) by
 * shared's one money formatter: `formatAmount`, `formatBps`, `parseAmount`, `parsePercent`.
 */
import type { Lang } from "@lifeloop/shared";

const locale = (lang: Lang): string => (lang === "zh-CN" ? "zh-CN" : "en-US");

/** "2026-03-01T01:00:00Z" in Asia/Shanghai → "2026-03-01 09:00" (en) / "2026/03/01 09:00" (zh-CN). */
export function formatDate(iso: string, timeZone: string, lang: Lang, options: { seconds?: boolean } = {}): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = new Intl.DateTimeFormat(locale(lang), {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    ...(options.seconds ? { second: "2-digit" } : {}),
    hourCycle: "h23",
  }).formatToParts(d);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  const sep = lang === "zh-CN" ? "/" : "-";
  const time = `${get("hour")}:${get("minute")}${options.seconds ? `:${get("second")}` : ""}`;
  return `${get("year")}${sep}${get("month")}${sep}${get("day")} ${time}`;
}
