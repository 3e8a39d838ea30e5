/** The UI language, as the registry and shared formatters take it: one hook for every part of the editor. */
import { useTranslation } from "react-i18next";
import type { Lang } from "@lifeloop/shared";

export const langOf = (language: string): Lang => (language === "zh-CN" ? "zh-CN" : "en");

export function useLang(): Lang {
  const { i18n } = useTranslation();
  return langOf(i18n.language);
}
