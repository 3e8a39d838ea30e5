/**
 * UI language: zh-CN and en, switchable, remembered in localStorage. Each area of the editor owns
 * its strings (`strings.ts` beside its components); they are merged into one namespace here.
 * Node-kind labels and summaries come from the shared registry, which is already bilingual.
 */
import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import type { Lang } from "@lifeloop/shared";
import { strings as common } from "./strings.ts";
import { strings as canvas } from "../canvas/strings.ts";
import { strings as inspector } from "../inspector/strings.ts";
import { strings as panels } from "../panels/strings.ts";
import { strings as pages } from "../pages/strings.ts";
import { strings as report } from "../report/strings.ts";
import { strings as compliance } from "../compliance/strings.ts";
import { strings as backtest } from "../backtest/strings.ts";
import { strings as pools } from "../pools/strings.ts";
import { strings as redemption } from "../redemption/strings.ts";
import { strings as stages } from "../stages/strings.ts";
import { strings as levels } from "../levels/strings.ts";

export type Strings = { en: Record<string, string>; "zh-CN": Record<string, string> };
export const LANGS = ["zh-CN", "en"] as const satisfies readonly Lang[];
const LANG_STORAGE = "lifeloop.lang";

const parts: Strings[] = [
  common,
  canvas,
  inspector,
  panels,
  pages,
  report,
  compliance,
  backtest,
  redemption,
  pools,
  stages,
  levels,
];
const merge = (lang: keyof Strings) => Object.assign({}, ...parts.map((p) => p[lang]));

function initialLang(): Lang {
  const stored = typeof localStorage === "undefined" ? null : localStorage.getItem(LANG_STORAGE);
  if (stored === "en" || stored === "zh-CN") return stored;
  const nav = typeof navigator === "undefined" ? "en" : navigator.language;
  return nav.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

const startLang = initialLang();
// The page's language from the start, not only after a switch: screen readers and fonts read it.
if (typeof document !== "undefined") document.documentElement.lang = startLang;

void i18next.use(initReactI18next).init({
  resources: { en: { translation: merge("en") }, "zh-CN": { translation: merge("zh-CN") } },
  lng: startLang,
  fallbackLng: "en",
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function setLang(lang: Lang): void {
  localStorage.setItem(LANG_STORAGE, lang);
  void i18next.changeLanguage(lang);
  document.documentElement.lang = lang;
}

export default i18next;
