/**
 * The rule builder's value box. For a money field (the catalog marks `transaction.amount` as CNY,
 * so is a month's sum of it) the value is typed in yuan — "10000" for ¥10,000.00 — and the rule
 * keeps fen (1000000), as the engine compares; "between" takes two amounts. Other fields get
 * react-querybuilder's own editor.
 */
import { ValueEditor, type ValueEditorProps } from "react-querybuilder";
import { MoneyInput } from "./AmountInput.tsx";
import { fieldKindOf } from "./rules.ts";

/** A rule's value as minor units, when it is one (the builder may hold "1000000" or 1000000). */
function minorOf(v: unknown): number | undefined {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isSafeInteger(n) ? n : undefined;
}

export function MoneyValueEditor(props: ValueEditorProps) {
  // react-querybuilder hands back the field option we gave it, typed without our own `kind`.
  const field = fieldKindOf(props.fieldData);
  if (field.kind !== "money" || !field.currency || props.valueSource === "field")
    return (
      // A title is no label (not everyone is shown it): the editor is named by a label around it too.
      // biome-ignore lint/a11y/noLabelWithoutControl: the label wraps ValueEditor, which renders the input it names
      <label className="rule-value">
        <span className="visually-hidden">{props.title}</span>
        <ValueEditor {...props} />
      </label>
    );
  if (props.operator === "null" || props.operator === "notNull") return null;
  const currency = field.currency;
  const id = (i: number) => `${props.path.join("-")}-value-${i}`;
  const onOne = (n: number | undefined) => props.handleOnChange(n ?? "");
  if (props.operator === "between" || props.operator === "notBetween") {
    const pair: unknown[] = Array.isArray(props.value)
      ? props.value
      : typeof props.value === "string"
        ? props.value.split(",")
        : [];
    const set = (i: number, n: number | undefined) => {
      const next = [minorOf(pair[0]) ?? "", minorOf(pair[1]) ?? ""];
      next[i] = n ?? "";
      props.handleOnChange(next);
    };
    return (
      <span className="rule-value rule-value--between" data-testid="rule-money">
        <MoneyInput
          id={id(0)}
          testId="rule-money-0"
          label={`${props.title ?? ""} 1`}
          value={minorOf(pair[0])}
          currency={currency}
          min={0}
          onChange={(n) => set(0, n)}
        />
        <span aria-hidden> – </span>
        <MoneyInput
          id={id(1)}
          testId="rule-money-1"
          label={`${props.title ?? ""} 2`}
          value={minorOf(pair[1])}
          currency={currency}
          min={0}
          onChange={(n) => set(1, n)}
        />
      </span>
    );
  }
  return (
    <span className="rule-value" data-testid="rule-money">
      <MoneyInput
        id={id(0)}
        testId="rule-money-0"
        label={props.title}
        value={minorOf(props.value)}
        currency={currency}
        min={0}
        onChange={onOne}
      />
    </span>
  );
}
