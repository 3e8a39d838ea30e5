/**
 * The catalog dialog's form as typed text, and the item it stands for: points, stock and the limit
 * are whole numbers (points are never fractional), and an empty stock or limit means none.
 */
import type { CatalogItem, CatalogItemFields } from "../api/client.ts";

export interface ItemDraft {
  id: string;
  nameEn: string;
  nameZh: string;
  points: string;
  stock: string;
  limit: string;
}

export const emptyDraft = (): ItemDraft => ({ id: "", nameEn: "", nameZh: "", points: "", stock: "", limit: "" });

export const draftOf = (item: CatalogItem): ItemDraft => ({
  id: item.id,
  nameEn: item.name.en,
  nameZh: item.name.zh,
  points: String(item.points),
  stock: item.stock === null ? "" : String(item.stock),
  limit: item.perPersonLimit === null ? "" : String(item.perPersonLimit),
});

/** Which field is not a whole number, or the fields to send. */
export function fieldsOf(
  d: ItemDraft,
): { ok: true; fields: CatalogItemFields } | { ok: false; field: "points" | "stock" | "limit"; min: number } {
  const whole = (text: string, min: number): number | null | undefined => {
    const t = text.trim();
    if (t === "") return null;
    return /^\d+$/.test(t) && Number(t) >= min && Number.isSafeInteger(Number(t)) ? Number(t) : undefined;
  };
  const points = whole(d.points, 1);
  if (points === undefined || points === null) return { ok: false, field: "points", min: 1 };
  const stock = whole(d.stock, 0);
  if (stock === undefined) return { ok: false, field: "stock", min: 0 };
  const limit = whole(d.limit, 1);
  if (limit === undefined) return { ok: false, field: "limit", min: 1 };
  return {
    ok: true,
    fields: { name: { en: d.nameEn.trim(), zh: d.nameZh.trim() }, points, stock, perPersonLimit: limit },
  };
}
