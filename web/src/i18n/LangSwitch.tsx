/** The language switch every page's header shows (its own module: pages import it, not App.tsx). */
import { useTranslation } from "react-i18next";
import { type LANGS, setLang } from "./index.ts";

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
