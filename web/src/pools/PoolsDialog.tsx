/**
 * Coupon pools where a marketer keeps them: every pool with its codes, those handed out and those left, and an
 * import of a file of codes into a pool (named as a reward's coupon names it). The API reads the file and says
 * what was added and what was a duplicate, or, for a file it cannot read, where each problem is; the engine keeps
 * the codes. Who may import (a publisher) is the API's to say; its refusal is shown as it says it.
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiFailure, api, type CouponPool, type ErrorIssue } from "../api/client.ts";
import { useLang } from "../i18n/useLang.ts";
import { messageOf } from "../panels/common.tsx";
import { FilePicker } from "../ui/FilePicker.tsx";
import { LoadingDialog } from "../ui/LoadingDialog.tsx";

const POOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export function PoolsDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const [pools, setPools] = useState<CouponPool[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [issues, setIssues] = useState<ErrorIssue[]>([]);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [name, setName] = useState("");
  const [file, setFile] = useState<File | null>(null);

  const read = async () => setPools((await api.couponPools()).pools);
  /** A 503 (the engine down, or none configured) in the page's language; anything else as the API says it. */
  const said = (e: unknown) => (e instanceof ApiFailure && e.status === 503 ? t("pools.engineDown") : messageOf(e));
  // biome-ignore lint/correctness/useExhaustiveDependencies: read once when the dialog opens
  useEffect(() => {
    read().catch((e: unknown) => setError(said(e)));
  }, []);

  const submit = async () => {
    setError(null);
    setIssues([]);
    setDone(null);
    const pool = name.trim();
    if (!POOL_NAME.test(pool)) return setError(t("pools.needName"));
    if (!file) return setError(t("pools.needFile"));
    setBusy(true);
    try {
      const a = await api.importCouponCodes(pool, await file.text());
      setDone(t("pools.imported", { pool: a.pool, added: a.added, duplicates: a.duplicates, remaining: a.remaining }));
      setFile(null);
      await read();
    } catch (e) {
      setError(said(e));
      if (e instanceof ApiFailure) setIssues(e.issues);
    } finally {
      setBusy(false);
    }
  };

  const n = (x: number) => x.toLocaleString(lang);
  return (
    <LoadingDialog
      title={t("pools.title")}
      testId="pools-dialog"
      onClose={onClose}
      intro={t("pools.intro")}
      error={error}
      errorTestId="pools-error"
      value={pools}
    >
      {(pools) => (
        <>
          {issues.length > 0 && (
            <section className="publish__section" data-testid="pools-issues">
              <p>{t("pools.issues")}</p>
              <ul>
                {issues.map((i) => (
                  <li key={`${i.path}:${i.message}`}>
                    <code>{i.path}</code> {i.message}
                  </li>
                ))}
              </ul>
            </section>
          )}
          <section className="publish__section">
            <h3>{t("pools.list", { count: pools.length })}</h3>
            {pools.length === 0 ? (
              <p className="muted" data-testid="pools-none">
                {t("pools.none")}
              </p>
            ) : (
              <table className="counts" data-testid="pools-list">
                <thead>
                  <tr>
                    <th>{t("pools.pool")}</th>
                    <th>{t("pools.codes")}</th>
                    <th>{t("pools.handed")}</th>
                    <th>{t("pools.remaining")}</th>
                  </tr>
                </thead>
                <tbody>
                  {pools.map((p) => (
                    <tr key={p.pool} data-testid={`pool-${p.pool}`}>
                      <td>{p.pool}</td>
                      <td>{n(p.codes)}</td>
                      <td>{n(p.handed)}</td>
                      <td>{n(p.remaining)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section className="publish__section">
            <h3>{t("pools.import")}</h3>
            <form
              data-testid="pools-form"
              onSubmit={(e) => {
                e.preventDefault();
                void submit();
              }}
            >
              <label className="field">
                <span className="field__label">{t("pools.name")}</span>
                <span className="field__control">
                  <input
                    data-testid="pools-name"
                    value={name}
                    disabled={busy}
                    onChange={(e) => setName(e.target.value)}
                  />
                </span>
                <span className="muted">{t("pools.name.help")}</span>
              </label>
              <div className="field">
                <span className="field__label">{t("pools.file")}</span>
                <span className="field__control">
                  <FilePicker
                    accept=".csv,.txt,.json,text/csv,text/plain,application/json"
                    testId="pools-file"
                    fileName={file?.name ?? null}
                    onFile={setFile}
                  />
                </span>
              </div>
              <button type="submit" className="primary" data-testid="pools-submit" disabled={busy}>
                {t("pools.submit")}
              </button>
              {done && (
                <p role="status" data-testid="pools-done">
                  {done}
                </p>
              )}
            </form>
          </section>
        </>
      )}
    </LoadingDialog>
  );
}
