/** Rule fields (the visual rule builder, loaded when first shown) and raw JSON fields of the generated form. */
import { useMemo, useRef } from "react";
import { useTranslation } from "react-i18next";
import { InputError, parseUntrustedJson, type Rule } from "@lifeloop/shared";
import { Deferred, lazyNamed } from "../../lazy.tsx";
import { FieldMessages, Row, nameOf, useCtx, useLabel, type ViewProps } from "./context.tsx";
// The visual rule builder (react-querybuilder) is fetched the first time a rule field is shown.
const RuleBuilder = lazyNamed(() => import("../RuleBuilder.tsx"), "RuleBuilder");

export function RuleField({ path, value, label, parent, optional }: ViewProps & { optional: boolean }) {
  const ctx = useCtx();
  const name = nameOf(ctx.base, path);
  const title = useLabel(label, path[path.length - 2]);
  const context = useMemo(() => ctx.ruleContext(parent), [ctx, parent]);
  return (
    <div className="field field--rule" data-field={name}>
      <span className="field__label">{title}</span>
      <Deferred inline>
        <RuleBuilder
          value={value as Rule | undefined}
          optional={optional}
          context={context}
          testId={`field-${name}`}
          onChange={(rule) => ctx.set(path, rule)}
        />
      </Deferred>
      <FieldMessages path={path} deep />
    </div>
  );
}

/** Anything the walker has no control for: edited as JSON, applied only when it parses. */
export function JsonField({ path, value, label }: ViewProps) {
  const { t } = useTranslation();
  const ctx = useCtx();
  const name = nameOf(ctx.base, path);
  const title = useLabel(label, path[path.length - 2]);
  const error = useRef<HTMLParagraphElement>(null);
  return (
    <Row label={title} name={name}>
      <textarea
        id={`f-${name}`}
        data-testid={`field-${name}`}
        defaultValue={value === undefined ? "" : JSON.stringify(value, null, 2)}
        onChange={(e) => {
          try {
            ctx.set(path, e.target.value.trim() === "" ? undefined : parseUntrustedJson(e.target.value));
            if (error.current) error.current.textContent = "";
          } catch (err) {
            if (!(err instanceof InputError)) throw err;
            if (error.current) error.current.textContent = t("inspector.jsonInvalid", { message: err.message });
          }
        }}
      />
      <p className="field-error" ref={error} role="alert" />
      <FieldMessages path={path} />
    </Row>
  );
}
