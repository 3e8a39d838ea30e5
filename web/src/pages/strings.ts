import type { Strings } from "../i18n/index.ts";

export const strings: Strings = {
  en: {},
  "zh-CN": {},
};
