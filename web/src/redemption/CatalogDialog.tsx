/**
 * The redemption catalog where a marketer keeps it: every item with its price in points, the stock
 * left and the per-person limit, in the workspace's two languages; add, edit and retire items. The
 * API decides who may (a publisher); its refusal is shown as it says it. Points are whole numbers.
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, type CatalogItem } from "../api/client.ts";
import { useLang } from "../i18n/useLang.ts";
import { messageOf } from "../panels/common.tsx";
import { LoadingDialog } from "../ui/LoadingDialog.tsx";
import { draftOf, emptyDraft, fieldsOf, type ItemDraft } from "./item-form.ts";

export function CatalogDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const [items, setItems] = useState<CatalogItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** The form: a new item (editing null) or the one being edited. */
  const [draft, setDraft] = useState<ItemDraft>(emptyDraft);
  const [editing, setEditing] = useState<string | null>(null);

  const read = async () => setItems((await api.catalogItems()).items);
  // biome-ignore lint/correctness/useExhaustiveDependencies: read once when the dialog opens
  useEffect(() => {
    read().catch((e: unknown) => setError(messageOf(e)));
  }, []);

  const run = async (write: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await write();
      await read();
      return true;
    } catch (e) {
      setError(messageOf(e));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const nameOf = (item: CatalogItem) => (lang === "zh-CN" ? item.name.zh : item.name.en);
  const labels = { points: t("redemption.points"), stock: t("redemption.stock"), limit: t("redemption.limit") };
  const submit = () => {
    const parsed = fieldsOf(draft);
    if (!parsed.ok) {
      setError(t("redemption.notWhole", { field: labels[parsed.field], min: parsed.min }));
      return;
    }
    const write =
      editing === null
        ? () => api.createCatalogItem({ id: draft.id.trim(), ...parsed.fields })
        : () => api.updateCatalogItem(editing, parsed.fields);
    void run(write).then((ok) => {
      if (!ok) return;
      setDraft(emptyDraft());
      setEditing(null);
    });
  };
  const set = (key: keyof ItemDraft) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [key]: e.target.value }));
  const field = (key: keyof ItemDraft, label: string, extra: { help?: string; numeric?: boolean } = {}) => (
    <label className="field">
      <span className="field__label">{label}</span>
      <span className="field__control">
        <input
          data-testid={`catalog-field-${key}`}
          value={draft[key]}
          inputMode={extra.numeric ? "numeric" : undefined}
          disabled={busy || (key === "id" && editing !== null)}
          onChange={set(key)}
        />
      </span>
      {extra.help && <span className="muted">{extra.help}</span>}
    </label>
  );

  return (
    <LoadingDialog
      title={t("redemption.title")}
      testId="catalog-dialog"
      onClose={onClose}
      intro={t("redemption.intro")}
      error={error}
      errorTestId="catalog-error"
      value={items}
    >
      {(items) => (
        <>
          <section className="publish__section">
            <h3>{t("redemption.items", { count: items.length })}</h3>
            {items.length === 0 ? (
              <p className="muted" data-testid="catalog-none">
                {t("redemption.none")}
              </p>
            ) : (
              <table className="counts" data-testid="catalog-items">
                <thead>
                  <tr>
                    <th>{t("redemption.id")}</th>
                    <th>{lang === "zh-CN" ? t("redemption.nameZh") : t("redemption.nameEn")}</th>
                    <th>{t("redemption.points")}</th>
                    <th>{t("redemption.stock")}</th>
                    <th>{t("redemption.limit")}</th>
                    <th>{t("redemption.redeemed")}</th>
                    <th>
                      <span className="visually-hidden">{t("redemption.actions")}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((item) => (
                    <tr key={item.id} data-testid={`catalog-item-${item.id}`}>
                      <td>{item.id}</td>
                      <td>
                        {nameOf(item)}
                        {item.retiredAt !== null && <span className="muted"> · {t("redemption.retired")}</span>}
                      </td>
                      <td>{item.points.toLocaleString(lang)}</td>
                      <td>{item.stock === null ? t("redemption.unlimited") : item.stock.toLocaleString(lang)}</td>
                      <td>{item.perPersonLimit === null ? t("redemption.noLimit") : item.perPersonLimit}</td>
                      <td>{item.redeemed.toLocaleString(lang)}</td>
                      <td>
                        <button
                          type="button"
                          disabled={busy || item.retiredAt !== null}
                          aria-label={t("redemption.editItem", { name: nameOf(item) })}
                          data-testid={`catalog-edit-${item.id}`}
                          onClick={() => {
                            setEditing(item.id);
                            setDraft(draftOf(item));
                          }}
                        >
                          {t("redemption.edit")}
                        </button>
                        <button
                          type="button"
                          disabled={busy || item.retiredAt !== null}
                          aria-label={t("redemption.retireItem", { name: nameOf(item) })}
                          data-testid={`catalog-retire-${item.id}`}
                          onClick={() => void run(() => api.retireCatalogItem(item.id))}
                        >
                          {t("redemption.retire")}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section className="publish__section">
            <h3>{editing === null ? t("redemption.add") : t("redemption.editItem", { name: editing })}</h3>
            <form
              data-testid="catalog-form"
              onSubmit={(e) => {
                e.preventDefault();
                submit();
              }}
            >
              {field("id", t("redemption.id"))}
              {field("nameZh", t("redemption.nameZh"))}
              {field("nameEn", t("redemption.nameEn"))}
              {field("points", t("redemption.points"), { numeric: true })}
              {field("stock", t("redemption.stock"), { numeric: true, help: t("redemption.stock.help") })}
              {field("limit", t("redemption.limit"), { numeric: true, help: t("redemption.limit.help") })}
              <button type="submit" className="primary" data-testid="catalog-submit" disabled={busy}>
                {editing === null ? t("redemption.create") : t("redemption.save")}
              </button>
              {editing !== null && (
                <button
                  type="button"
                  data-testid="catalog-cancel"
                  onClick={() => {
                    setEditing(null);
                    setDraft(emptyDraft());
                  }}
                >
                  {t("redemption.cancel")}
                </button>
              )}
            </form>
          </section>
        </>
      )}
    </LoadingDialog>
  );
}
