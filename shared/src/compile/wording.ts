/**
 * The wording lint of financial promotion: phrases a workspace forbids in message text (each with
 * the rule it breaks) and the risk notice a message tagged as investment promotion must carry. The
 * policy is compile input, kept by the API; the compiler stays pure.
 *
 * Matching is on normalised text, so the usual tricks do not slip a phrase through: full-width
 * letters and digits (ＧＵＡＲＡＮＴＥＥＤ), spaces between the characters ("稳 赚", "稳　赚"), zero-width
 * characters, upper case.
 */
import { z } from "zod";

export interface ForbiddenPhrase {
  phrase: string;
  /** The rule the phrase breaks, in the workspace's words: shown beside the issue. */
  rule: string;
}

export interface WordingPolicy {
  forbidden: readonly ForbiddenPhrase[];
  /** Text every investment-promotion message must contain; null when the workspace requires none. */
  riskNotice: string | null;
}

/** One phrase: short enough that a list of hundreds stays cheap to match on every keystroke. */
export const PhraseText = z.string().trim().min(1).max(100);
export const RuleText = z.string().trim().min(1).max(300);
export const RiskNoticeText = z.string().trim().min(1).max(300);

export const DEFAULT_RISK_NOTICE = "理财有风险，投资需谨慎";

const PROMISE = "不得承诺保本保收益（《商业银行理财业务监督管理办法》第四十四条）";
const NO_RISK = "不得宣传零风险或回避风险提示（《金融产品网络营销管理办法》）";

/** What a Chinese financial-promotion workspace starts with. */
export const DEFAULT_FORBIDDEN_PHRASES: readonly ForbiddenPhrase[] = [
  { phrase: "保本", rule: PROMISE },
  { phrase: "稳赚", rule: PROMISE },
  { phrase: "收益率保证", rule: PROMISE },
  { phrase: "保证收益", rule: PROMISE },
  { phrase: "零风险", rule: NO_RISK },
  { phrase: "无风险", rule: NO_RISK },
  { phrase: "guaranteed returns", rule: "no promise of principal or returns (financial promotion rules)" },
  { phrase: "risk-free", rule: "no claim that an investment carries no risk (financial promotion rules)" },
];

/** Whitespace of every width, and the zero-width characters that look like nothing. */
const INVISIBLE = /[\s\u200B-\u200D\u2060\uFEFF]/gu;

/** NFKC (full-width → half-width, compatibility forms), no whitespace or zero-width characters, lower case. */
export function normaliseWording(text: string): string {
  return text.normalize("NFKC").replace(INVISIBLE, "").toLowerCase();
}

/** The forbidden phrases `text` contains, in the policy's order, each once. */
export function forbiddenIn(text: string, forbidden: readonly ForbiddenPhrase[]): ForbiddenPhrase[] {
  const t = normaliseWording(text);
  return forbidden.filter((f) => {
    const p = normaliseWording(f.phrase);
    return p !== "" && t.includes(p);
  });
}

/** True when one of the texts carries the notice (compared normalised, so spacing does not matter). */
export function carriesNotice(texts: readonly string[], notice: string): boolean {
  const n = normaliseWording(notice);
  return n === "" || texts.some((t) => normaliseWording(t).includes(n));
}
