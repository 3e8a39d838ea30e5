/** Objects, optional objects, intersections and discriminated unions of the generated form. */
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { freshValue, shapeOf, variantOf, type Shape } from "../schema.ts";
import { FieldMessages, Row, isObj, nameOf, useCtx, useLabel, type Path, type ViewProps } from "./context.tsx";

/** Both sides of an intersection (a union and an object, like the entry policy) in one fieldset. */
export function Intersection({ path, value, label, parts, parent }: ViewProps & { parts: z.ZodType[] }) {
  const ctx = useCtx();
  const title = useLabel(label, path[path.length - 2]);
  const inner = parts.map((p, i) => (
    <ctx.Field key={i} schema={p} path={path} value={value} label={null} parent={parent} />
  ));
  if (label === null) return <>{inner}</>;
  return (
    <fieldset className="fieldset" data-testid={`fieldset-${nameOf(ctx.base, path)}`}>
      <legend>{title}</legend>
      <FieldMessages path={path} />
      {inner}
    </fieldset>
  );
}

export function ObjectFields({
  path,
  value,
  label,
  shape,
  legendless,
}: ViewProps & { shape: Extract<Shape, { type: "object" }>; legendless?: boolean }) {
  const ctx = useCtx();
  const title = useLabel(label, path[path.length - 2]);
  const obj = isObj(value) ? value : {};
  const fields = shape.fields.map(([key, s]) => (
    <ctx.Field key={key} schema={s} path={[...path, key]} value={obj[key]} label={key} parent={obj} />
  ));
  if (label === null || legendless) return <>{fields}</>;
  return (
    <fieldset className="fieldset" data-testid={`fieldset-${nameOf(ctx.base, path)}`}>
      <legend>{title}</legend>
      <FieldMessages path={path} />
      {fields}
    </fieldset>
  );
}

export function OptionalObject(props: ViewProps & { shape: Extract<Shape, { type: "object" }>; inner: z.ZodType }) {
  const { t } = useTranslation();
  const ctx = useCtx();
  const { path, value, label, inner } = props;
  const name = nameOf(ctx.base, path);
  const title = useLabel(label, path[path.length - 2]);
  if (value === undefined) {
    return (
      <div className="field field--optional">
        <button
          type="button"
          className="link-button"
          data-testid={`add-${name}`}
          onClick={() => ctx.set(path, freshValue(inner, undefined, ctx.defaults))}
        >
          + {t("inspector.addItem", { what: ctx.lang === "en" ? title.toLowerCase() : title })}
        </button>
        <FieldMessages path={path} />
      </div>
    );
  }
  return (
    <fieldset className="fieldset" data-testid={`fieldset-${name}`}>
      <legend>
        {title}
        <button
          type="button"
          className="link-button fieldset__remove"
          data-testid={`remove-${name}`}
          onClick={() => ctx.set(path, undefined)}
        >
          {t("inspector.remove")}
        </button>
      </legend>
      <FieldMessages path={path} />
      <ObjectFields {...props} legendless />
    </fieldset>
  );
}

export function Variants({ path, value, label, shape }: ViewProps & { shape: Extract<Shape, { type: "variants" }> }) {
  const { t, i18n } = useTranslation();
  // `option.<field>.<value>` where the same value means something else there (an experiment's window in days is
  // not a coupon's), else `option.<value>`.
  const optionKey = (v: string) =>
    typeof label === "string" && i18n.exists(`option.${label}.${v}`) ? `option.${label}.${v}` : `option.${v}`;
  const ctx = useCtx();
  const title = useLabel(label, path[path.length - 2]);
  const discTitle = useLabel(shape.discriminator);
  const current = variantOf(shape, value);
  const discPath = [...path, shape.discriminator];
  const name = nameOf(ctx.base, discPath);
  const body = (
    <>
      <Row label={discTitle} name={name}>
        <select
          id={`f-${name}`}
          data-testid={`field-${name}`}
          value={current.value}
          onChange={(e) => {
            const next = shape.options.find((o) => o.value === e.target.value)!;
            // Swap the sub-form: the new variant's defaults, keeping fields that still fit.
            ctx.set(path, freshValue(next.schema, value, ctx.defaults));
          }}
        >
          {shape.options.map((o) => (
            <option key={o.value} value={o.value}>
              {t(optionKey(o.value), { defaultValue: o.value })}
            </option>
          ))}
        </select>
        <FieldMessages path={discPath} />
      </Row>
      <ObjectBody schema={current.schema} path={path} value={value} />
    </>
  );
  if (label === null) return body;
  return (
    <fieldset className="fieldset" data-testid={`fieldset-${nameOf(ctx.base, path)}`}>
      <legend>{title}</legend>
      {body}
    </fieldset>
  );
}

/** A variant's fields without its own fieldset (the union's fieldset holds them). */
export function ObjectBody({ schema, path, value }: { schema: z.ZodType; path: Path; value: unknown }) {
  const ctx = useCtx();
  const shape = shapeOf(schema);
  if (shape.type !== "object") return <ctx.Field schema={schema} path={path} value={value} label={null} />;
  return <ObjectFields schema={schema} path={path} value={value} label={null} shape={shape} />;
}
