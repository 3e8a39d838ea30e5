/**
 * The compiler's issues in plain words, in the editor's two languages. An issue's own `message`
 * is precise and technical (it names ids and paths, for the API and the CLI); a person building a
 * journey reads `plainIssue`: what is wrong and what to do, with the exact name that matters
 * (`{{name}}`: the first quoted name in the message; `{{branch}}`: the branch a `handles.*`
 * field names). When the technical message says more than the plain one, it is kept as `detail`.
 */
import type { Lang } from "../schema/common.ts";
import type { Issue } from "./issues.ts";

interface Entry {
  en: string;
  "zh-CN": string;
  /** The technical message adds something the plain one leaves out: show it beneath. */
  detail?: true;
}

export const ISSUE_MESSAGES: Readonly<Record<string, Entry>> = {
  schema_version: {
    en: "This file is not a Lifeloop journey this version can read.",
    "zh-CN": "此文件不是当前版本能读取的 Lifeloop 旅程。",
    detail: true,
  },
  schema: { en: "This value is not in the right form.", "zh-CN": "此处的值格式不正确。", detail: true },
  unknown_field: {
    en: "There is a field here that does not belong.",
    "zh-CN": "这里有一个不属于此处的字段。",
    detail: true,
  },
  duplicate_id: {
    en: "The id {{name}} is used twice; give each one its own.",
    "zh-CN": "编号 {{name}} 重复了，请为每一项取不同的编号。",
  },
  unknown_kind: {
    en: "This step is of a kind this editor does not know.",
    "zh-CN": "编辑器不认识这种步骤。",
    detail: true,
  },
  dangling_edge: {
    en: "A connection leads to a step that is no longer there.",
    "zh-CN": "有一条连线指向已不存在的步骤。",
    detail: true,
  },
  edge_into_trigger: {
    en: "Nothing can lead into a trigger: people only enter the journey there.",
    "zh-CN": "触发节点前不能再接连线：用户只能从触发节点进入旅程。",
  },
  unknown_handle: {
    en: "A connection leaves from a branch this step does not have.",
    "zh-CN": "有一条连线从此步骤不存在的分支引出。",
    detail: true,
  },
  handle_multiple_edges: {
    en: "Branch {{name}} leads to two steps; connect it to one.",
    "zh-CN": "分支 {{name}} 连到了两个步骤，只能连一个。",
  },
  handle_unconnected: {
    en: "Branch “{{branch}}” leads nowhere yet: connect it to the next step.",
    "zh-CN": "分支「{{branch}}」还没有连接，请连到下一步。",
  },
  journey_empty: {
    en: "Add a first step: drag one from the palette and connect the trigger to it.",
    "zh-CN": "请添加第一个步骤：从左侧拖入一个节点，并把触发节点连到它。",
  },
  no_trigger: {
    en: "The journey has no trigger, so nobody can enter it.",
    "zh-CN": "旅程没有触发节点，没有人能进入。",
  },
  unreachable_node: {
    en: "No path from a trigger reaches this step, so nobody will get here.",
    "zh-CN": "没有从触发节点通往此步骤的路径，不会有人到达这里。",
  },
  cycle_without_wait: {
    en: "These steps form a loop with no wait: a person would go round forever. Add a wait in the loop.",
    "zh-CN": "这些步骤构成了没有等待的循环，用户会无限循环。请在循环中加入等待。",
    detail: true,
  },
  reward_in_loop: {
    en: "This reward sits in a loop with no lifetime cap and no budget: one person could get it again and again.",
    "zh-CN": "此奖励位于循环中，且没有终身上限和预算：同一用户可能被反复发放。",
  },
  reward_unbounded: {
    en: "Nothing limits what this reward can cost: add a per-person cap or a budget.",
    "zh-CN": "此奖励没有任何成本限制：请设置个人上限或活动预算。",
  },
  budget_conflict: {
    en: "Budget {{name}} has a different amount, unit or pace in another reward; one budget has one of each.",
    "zh-CN": "预算 {{name}} 在另一个奖励中的金额、单位或节奏不同；同一预算只能有一个金额与节奏。",
    detail: true,
  },
  wait_without_timeout: {
    en: "Waiting for {{name}} needs a timeout, or people who never do it wait forever.",
    "zh-CN": "等待 {{name}} 需要设置超时，否则一直未发生该事件的用户会永远等待。",
  },
  message_quiet_hours_off: {
    en: "This message ignores quiet hours: it may wake people at night.",
    "zh-CN": "此消息不遵守免打扰时段，可能在夜间打扰用户。",
  },
  entry_once_repeating: {
    en:
      "People can enter only once ever, but this journey is made to run again and again: each person gets " +
      "through once in a lifetime. Let them enter again (always, or once per period).",
    "zh-CN":
      "用户终身只能进入一次，但此旅程是为反复触发设计的：每人一生只会经过一次。请允许再次进入（每次都可进入，或每周期一次）。",
    detail: true,
  },
  priority_without_group: {
    en: "A priority only decides between journeys of one group, and this journey is in none: set its group.",
    "zh-CN": "优先级只在同一互斥组的旅程之间起作用，而此旅程不属于任何组：请设置它的组。",
  },
  group_period_without_group: {
    en: "A group period only keeps journeys of one group apart, and this journey is in none: set its group.",
    "zh-CN": "互斥周期只在同一互斥组的旅程之间起作用，而此旅程不属于任何组：请设置它的组。",
  },
  live_reward_overlap: {
    en:
      "{{name}} is live, starts on the same event and also rewards: one event may reward a person twice. " +
      "Change one trigger, keep their people apart, or put both in one group.",
    "zh-CN":
      "{{name}} 正在运行，由同一事件触发且同样发放奖励：同一事件可能让一个人拿到两份奖励。" +
      "请修改触发条件、让人群互斥，或把两者放进同一互斥组。",
  },
  money_without_currency: {
    en: "{{name}} is money, but no currency is given for it: set the catalog's currency.",
    "zh-CN": "{{name}} 是金额，但没有指定币种：请在数据目录中设置币种。",
  },
  unknown_variable: {
    en: "{{name}} cannot be read here.",
    "zh-CN": "此处无法读取 {{name}}。",
    detail: true,
  },
  bad_aggregate: {
    en: "This total or count is not written the way it must be.",
    "zh-CN": "此汇总或计数的写法不正确。",
    detail: true,
  },
  rule_over_limit: { en: "This rule is too large to run.", "zh-CN": "此规则过于庞大，无法运行。", detail: true },
  template_syntax: {
    en: "A {{ or }} is not closed, or a placeholder is empty.",
    "zh-CN": "有 {{ 或 }} 没有闭合，或占位符为空。",
  },
  template_money_currency: {
    en: "The money format needs a currency here: write it as | money:CNY, or mark the field as money in the catalog.",
    "zh-CN": "此处金额格式需要币种：请写成 | money:CNY，或在数据目录中把该字段标为金额。",
    detail: true,
  },
  wording_forbidden: {
    en: "This text uses {{name}}, which this workspace forbids: {{rule}}",
    "zh-CN": "文案含有禁用词 {{name}}：{{rule}}",
  },
  risk_notice_missing: {
    en: "This message promotes an investment, so it must carry the risk notice {{name}}.",
    "zh-CN": "此消息属于投资推广，须包含风险提示 {{name}}。",
  },
  too_large: { en: "This is too large.", "zh-CN": "内容过大。", detail: true },
  too_deep: { en: "This is nested too deeply.", "zh-CN": "嵌套层级过深。", detail: true },
  not_json: { en: "This is not valid JSON.", "zh-CN": "这不是有效的 JSON。", detail: true },
  forbidden_key: { en: "A key named {{name}} is not allowed.", "zh-CN": "不允许使用名为 {{name}} 的键。" },
  refused_operator: {
    en: "This rule uses an operation that is not allowed.",
    "zh-CN": "此规则使用了不允许的运算。",
    detail: true,
  },
  unknown_operator: {
    en: "This rule uses an operation Lifeloop does not know: {{name}}.",
    "zh-CN": "此规则使用了未知的运算：{{name}}。",
  },
  forbidden_path: {
    en: "This rule reads a name that is not allowed.",
    "zh-CN": "此规则读取了不允许的名称。",
    detail: true,
  },
  invalid_rule: { en: "This rule is not valid.", "zh-CN": "此规则无效。", detail: true },
  bad_argument: {
    en: "An operation in this rule is given the wrong values.",
    "zh-CN": "规则中某个运算的参数不正确。",
    detail: true,
  },
  limit_depth: { en: "This rule is nested too deeply.", "zh-CN": "此规则嵌套过深。", detail: true },
  limit_nodes: { en: "This rule is too long.", "zh-CN": "此规则过长。", detail: true },
  limit_array: { en: "A list in this rule is too long.", "zh-CN": "规则中的列表过长。", detail: true },
  limit_string: { en: "A text in this rule is too long.", "zh-CN": "规则中的文本过长。", detail: true },
  limit_steps: { en: "This rule takes too many steps to work out.", "zh-CN": "此规则计算步骤过多。", detail: true },
  unknown_segment: { en: "There is no segment {{name}} in this journey.", "zh-CN": "旅程中没有分群 {{name}}。" },
  segment_cycle: { en: "Segments refer to each other in a circle.", "zh-CN": "分群之间相互循环引用。", detail: true },
  missing_env: {
    en: "This rule needs something that is not available here.",
    "zh-CN": "此规则需要的信息在此处不可用。",
    detail: true,
  },
  runtime_error: { en: "This rule fails when it runs.", "zh-CN": "此规则运行时出错。", detail: true },
};

/**
 * Messages of the document's own schema (shared/src/schema, the kinds' params) and zod's built-in
 * ones, in plain words. The `schema` code covers them all; what is wrong is in the message.
 */
const SCHEMA: ReadonlyArray<[RegExp, Entry]> = [
  [
    /^use 1-64 letters, digits, '_' or '-', starting with a letter or digit$/,
    {
      en: "Use 1–64 letters, digits, _ or -, starting with a letter or digit.",
      "zh-CN": "请使用 1–64 位字母、数字、_ 或 -，并以字母或数字开头。",
    },
  ],
  [
    /^1-64 letters, digits, '_' or '-'$/,
    { en: "Use 1–64 letters, digits, _ or -.", "zh-CN": "请使用 1–64 位字母、数字、_ 或 -。" },
  ],
  [
    /^1-64 letters, digits, '_', ':' or '-'$/,
    { en: "Use 1–64 letters, digits, _, : or -.", "zh-CN": "请使用 1–64 位字母、数字、_、: 或 -。" },
  ],
  [/^must not be empty$/, { en: "This cannot be empty.", "zh-CN": "不能为空。" }],
  [
    /^an event type: /,
    {
      en: "An event name starts with a letter: letters, digits, _ . : or - (up to 64).",
      "zh-CN": "事件名须以字母开头，可含字母、数字、_ . : -（最多 64 位）。",
    },
  ],
  [
    /^a property name /,
    {
      en: "A property name: letters, digits and _ (dotted for nested ones).",
      "zh-CN": "属性名只能含字母、数字和 _（嵌套属性用 . 连接）。",
    },
  ],
  [
    /^an attribute name: /,
    { en: "An attribute name: letters, digits and _.", "zh-CN": "属性名只能含字母、数字和 _。" },
  ],
  [/^this attribute name is reserved$/, { en: "This attribute name is reserved.", "zh-CN": "此属性名为系统保留。" }],
  [
    /^a duration such as /,
    { en: "A duration such as 30m, 24h, 7d or 2w.", "zh-CN": "请填写时长，如 30m、24h、7d 或 2w。" },
  ],
  [
    /^a window such as /,
    {
      en: "A period such as 7d, 30d, month or prev_month.",
      "zh-CN": "请填写时间范围，如 7d、30d、month 或 prev_month。",
    },
  ],
  [/^an IANA time zone /, { en: "A time zone such as Asia/Shanghai.", "zh-CN": "请选择时区，如 Asia/Shanghai。" }],
  [/^a local time "HH:MM"/, { en: "A time of day such as 09:30.", "zh-CN": "请填写时间，如 09:30。" }],
  [
    /^a local date-time /,
    { en: "A date and time such as 2026-12-12 10:00.", "zh-CN": "请填写日期和时间，如 2026-12-12 10:00。" },
  ],
  [
    /^an ISO 4217 currency code /,
    { en: "A currency code such as CNY, HKD or USD.", "zh-CN": "请填写币种代码，如 CNY、HKD 或 USD。" },
  ],
  [
    /^must be a whole number of minor units$/,
    { en: "A whole number (of fen, cents or points).", "zh-CN": "须为整数（分、积分等最小单位）。" },
  ],
  [/^a message needs a body$/, { en: "A message needs some text.", "zh-CN": "消息需要填写正文。" }],
  [
    /^a coupon's value and currency go together$/,
    { en: "A coupon's value needs its currency, and a currency its value.", "zh-CN": "优惠券的面值和币种需同时填写。" },
  ],
  [
    /^a cap needs a count, an amount or both$/,
    { en: "A cap needs a number of times, an amount, or both.", "zh-CN": "上限需要填写次数、金额或两者。" },
  ],
  [
    /^arm weights plus control must add up to 100/,
    { en: "The groups and the control group must add up to 100.", "zh-CN": "各实验组与对照组的比例之和须为 100。" },
  ],
  [
    /^"(else|control)" is reserved/,
    { en: "“{{name}}” is reserved; pick another id.", "zh-CN": "「{{name}}」为保留编号，请换一个。" },
  ],
  [/ id ".*" is used twice$/, { en: "This id is used twice.", "zh-CN": "编号重复了。" }],
  [/^a whole percentage$/, { en: "A whole percentage.", "zh-CN": "请填写整数百分比。" }],
  [/^Invalid input: expected (number|int), received (undefined|null)$/, { en: "Required.", "zh-CN": "必填。" }],
  [
    /^Invalid input: expected (string|object|array|boolean), received undefined$/,
    { en: "Required.", "zh-CN": "必填。" },
  ],
  [/^Invalid input: expected int, received number$/, { en: "A whole number.", "zh-CN": "须为整数。" }],
  [/^Invalid input: expected number/, { en: "A number.", "zh-CN": "须为数字。" }],
  [/^Too small: expected number to be >=(-?[\d.]+)$/, { en: "At least {{n}}.", "zh-CN": "不能小于 {{n}}。" }],
  [/^Too big: expected number to be <=(-?[\d.]+)$/, { en: "At most {{n}}.", "zh-CN": "不能大于 {{n}}。" }],
  [/^Too small: expected string to have >=1 characters$/, { en: "This cannot be empty.", "zh-CN": "不能为空。" }],
  [
    /^Too big: expected string to have <=(\d+) characters$/,
    { en: "At most {{n}} characters.", "zh-CN": "最多 {{n}} 个字符。" },
  ],
  [/^Too small: expected array to have >=(\d+) items$/, { en: "Add at least {{n}}.", "zh-CN": "至少添加 {{n}} 项。" }],
  [/^Too big: expected array to have <=(\d+) items$/, { en: "At most {{n}} items.", "zh-CN": "最多 {{n}} 项。" }],
  [/^Invalid option/, { en: "Pick one of the options.", "zh-CN": "请从选项中选择。" }],
  [/^Invalid discriminator value/, { en: "Pick one of the options.", "zh-CN": "请从选项中选择。" }],
];

export interface PlainIssue {
  /** What is wrong and what to do, in the person's language. */
  text: string;
  /** The compiler's exact words, when they add something (names, paths); null otherwise. */
  detail: string | null;
}

const fill = (template: string, values: Record<string, string>): string =>
  template.replace(/\{\{(\w+)\}\}/g, (m, k: string) => values[k] ?? m);

/** A schema message (the form's own or the compiler's `schema` issue) in plain words, or null when unknown. */
export function plainSchemaMessage(message: string, lang: Lang): string | null {
  for (const [re, entry] of SCHEMA) {
    const m = re.exec(message);
    if (!m) continue;
    const n = m[1] ?? "";
    return fill(entry[lang], { n, name: n });
  }
  return null;
}

/** An issue in plain words, in `lang`; `names.branch` is the branch as the canvas labels it. */
export function plainIssue(
  issue: Pick<Issue, "code" | "message" | "field">,
  lang: Lang,
  names: { branch?: string } = {},
): PlainIssue {
  if (issue.code === "schema") {
    const known = plainSchemaMessage(issue.message, lang);
    if (known) return { text: known, detail: null };
  }
  const entry = ISSUE_MESSAGES[issue.code];
  if (!entry) return { text: issue.message, detail: null };
  const name = /"([^"]*)"/.exec(issue.message)?.[1] ?? "";
  const branch = names.branch ?? /^handles\.(.+)$/.exec(issue.field ?? "")?.[1] ?? name;
  // A workspace rule a wording issue cites, in the workspace's own words: "… (rule: …)".
  const rule = /\(rule: (.*)\)$/.exec(issue.message)?.[1] ?? "";
  const text = fill(entry[lang], { name: name ? `“${name}”` : "", branch, rule });
  return { text: text.replace(/\s{2,}/g, " "), detail: entry.detail ? issue.message : null };
}
