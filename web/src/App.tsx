import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { getKey, setKey } from "./api/client.ts";
import { LANGS, setLang } from "./i18n/index.ts";
import { EditorPage } from "./pages/EditorPage.tsx";
import { JourneysPage } from "./pages/JourneysPage.tsx";
import { ReportPage } from "./report/ReportPage.tsx";
import { useRoute } from "./route.ts";
import { useOverlay } from "./store/overlay.ts";

export function LangSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <select
      className="lang-switch"
      data-testid="lang-switch"
      aria-label={t("app.language")}
      value={i18n.language}
      onChange={(e) => setLang(e.target.value as (typeof LANGS)[number])}
    >
      <option value="zh-CN">中文</option>
      <option value="en">English</option>
    </select>
  );
}

function SignIn({ onDone }: { onDone(): void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState("");
  return (
    <div className="sign-in">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!value.trim()) return;
          setKey(value.trim());
          onDone();
        }}
      >
        <h1>Lifeloop</h1>
        <p>{t("app.signIn.help")}</p>
        <label>
          {t("app.signIn.key")}
          <input data-testid="api-key" type="password" value={value} onChange={(e) => setValue(e.target.value)} autoFocus />
        </label>
        <button type="submit" className="primary">
          {t("app.signIn")}
        </button>
        <LangSwitch />
      </form>
    </div>
  );
}

export function App() {
  const route = useRoute();
  const [, signedIn] = useState(0);
  const journeyId = route.page === "editor" ? route.journeyId : null;
  useEffect(() => {
    // Numbers on the canvas belong to one journey (the report page sets them for its own).
    useOverlay.getState().set(null);
  }, [journeyId]);
  if (!getKey()) return <SignIn onDone={() => signedIn((n) => n + 1)} />;
  if (route.page === "editor" && route.panel === "report") return <ReportPage key={route.journeyId} journeyId={route.journeyId} />;
  return route.page === "editor" ? <EditorPage key={route.journeyId} journeyId={route.journeyId} panel={route.panel} /> : <JourneysPage />;
}
