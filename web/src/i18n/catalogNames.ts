/**
 * What people call the things a rule reads: an event ("交易"), its property ("金额"), a person's
 * attribute ("注册时间"), as the catalog labels them, else the attributes every workspace has, else
 * the raw name. Words are joined as each language writes them: "本月交易金额合计" in Chinese when
 * both sides are labelled, "本月 transaction amount 合计" when a raw name stands between.
 */
import type { Catalog, FieldLabel, Lang, SummaryNames } from "@lifeloop/shared";

const said = (label: FieldLabel | undefined, lang: Lang): string | undefined => label?.[lang];

/** Attributes the editor offers in every journey, named in both languages. */
const COMMON_ATTRIBUTES: Record<string, FieldLabel> = {
  tier: { en: "tier", "zh-CN": "等级" },
  registeredAt: { en: "registration time", "zh-CN": "注册时间" },
  nickname: { en: "nickname", "zh-CN": "昵称" },
};

export function eventName(catalog: Catalog | undefined, type: string, lang: Lang): string {
  const def = catalog && Object.hasOwn(catalog.events, type) ? catalog.events[type] : undefined;
  return said(def?.label, lang) ?? type;
}

/**
 * A property's name: the event's label for it, or, with no event known (`event.props.amount` in a
 * rule that may run on several), the one label every event that labels it agrees on.
 */
export function propName(catalog: Catalog | undefined, event: string | undefined, prop: string, lang: Lang): string {
  const events = catalog?.events ?? {};
  if (event !== undefined) {
    const def = Object.hasOwn(events, event) ? events[event] : undefined;
    return said(def?.propLabels?.[prop], lang) ?? prop;
  }
  const found = new Set(
    Object.values(events)
      .map((d) => said(d.propLabels?.[prop], lang))
      .filter((l): l is string => l !== undefined),
  );
  return found.size === 1 ? [...found][0]! : prop;
}

export function attributeName(catalog: Catalog | undefined, attribute: string, lang: Lang): string {
  const own = catalog?.attributeLabels;
  const label = own && Object.hasOwn(own, attribute) ? own[attribute] : undefined;
  const common = Object.hasOwn(COMMON_ATTRIBUTES, attribute) ? COMMON_ATTRIBUTES[attribute] : undefined;
  return said(label, lang) ?? said(common, lang) ?? attribute;
}

const HAN_END = /\p{Script=Han}$/u;
const HAN_START = /^\p{Script=Han}/u;

/** Words as a sentence: Chinese runs Chinese words together, and spaces off Latin names and digits. */
export function words(parts: readonly string[], lang: Lang): string {
  let out = "";
  for (const p of parts) {
    if (p === "") continue;
    const tight = lang === "zh-CN" && HAN_END.test(out) && HAN_START.test(p);
    out = out === "" ? p : `${out}${tight ? "" : " "}${p}`;
  }
  return out;
}

/** The names node summaries say ("返利交易金额的 3%"), from a catalog in one language. */
export function summaryNames(catalog: Catalog | undefined, lang: Lang): SummaryNames {
  return {
    event: (type) => eventName(catalog, type, lang),
    property: (name, event) => propName(catalog, event, name, lang),
    attribute: (name) => attributeName(catalog, name, lang),
  };
}
