/** Arrays (add, remove, reorder) and records (key and value) of the generated form. */
import { ObjectBody } from "./structure.tsx";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { freshValue, shapeOf, type Shape } from "../schema.ts";
import { FieldMessages, Row, isObj, nameOf, useCtx, useLabel, type ViewProps } from "./context.tsx";

function move<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item!);
  return next;
}

export function ArrayField({
  path,
  value,
  label,
  shape,
  optional,
}: ViewProps & { shape: Extract<Shape, { type: "array" }>; optional: boolean }) {
  const { t } = useTranslation();
  const ctx = useCtx();
  const name = nameOf(ctx.base, path);
  const title = useLabel(label, path[path.length - 2]);
  const list = Array.isArray(value) ? value : [];
  const el = shapeOf(shape.element);
  // Small integer ranges (weekdays 1-7) read best as checkboxes.
  if (el.type === "number" && el.int && el.min !== undefined && el.max !== undefined && el.max - el.min <= 31) {
    const nums = list.filter((x): x is number => typeof x === "number");
    return (
      <Row label={title} name={name}>
        <div className="checks" data-testid={`field-${name}`}>
          {Array.from({ length: el.max - el.min + 1 }, (_, i) => el.min! + i).map((n) => (
            <label key={n} className="check">
              <input
                type="checkbox"
                data-testid={`field-${name}-${n}`}
                checked={nums.includes(n)}
                onChange={(e) => {
                  const next = e.target.checked ? [...nums, n].sort((a, b) => a - b) : nums.filter((x) => x !== n);
                  ctx.set(path, next.length === 0 && optional ? undefined : next);
                }}
              />
              {String(label) === "weekdays" ? t(`weekday.${n}`) : n}
            </label>
          ))}
        </div>
        <FieldMessages path={path} />
      </Row>
    );
  }
  const canAdd = shape.max === undefined || list.length < shape.max;
  const canRemove = shape.min === undefined || list.length > shape.min;
  return (
    <fieldset className="fieldset fieldset--list" data-testid={`fieldset-${name}`}>
      <legend>{title}</legend>
      <FieldMessages path={path} />
      {list.map((item, i) => (
        <div key={i} className="list-item" data-testid={`item-${name}.${i}`}>
          <div className="list-item__tools">
            <span className="list-item__n">{i + 1}</span>
            <button
              type="button"
              title={t("inspector.moveUp")}
              aria-label={t("inspector.moveUp")}
              data-testid={`up-${name}.${i}`}
              disabled={i === 0}
              onClick={() => ctx.set(path, move(list, i, i - 1))}
            >
              ↑
            </button>
            <button
              type="button"
              title={t("inspector.moveDown")}
              aria-label={t("inspector.moveDown")}
              data-testid={`down-${name}.${i}`}
              disabled={i === list.length - 1}
              onClick={() => ctx.set(path, move(list, i, i + 1))}
            >
              ↓
            </button>
            <button
              type="button"
              title={t("inspector.remove")}
              aria-label={t("inspector.remove")}
              data-testid={`remove-${name}.${i}`}
              disabled={!canRemove}
              onClick={() =>
                ctx.set(
                  path,
                  list.filter((_, j) => j !== i),
                )
              }
            >
              ✕
            </button>
          </div>
          {el.type === "object" || el.type === "variants" ? (
            <ObjectBody schema={shape.element} path={[...path, i]} value={item} />
          ) : (
            <ctx.Field schema={shape.element} path={[...path, i]} value={item} label={i} parent={list} />
          )}
        </div>
      ))}
      {canAdd && (
        <button
          type="button"
          className="link-button"
          data-testid={`add-${name}`}
          onClick={() =>
            ctx.set(path, [...list, freshItem(shape.element, list, String(label ?? "item"), ctx.defaults)])
          }
        >
          + {t("inspector.add")}
        </button>
      )}
    </fieldset>
  );
}

/** A new list item; an `id` field gets one not used yet in the list (branches, arms). */
function freshItem(
  element: z.ZodType,
  list: readonly unknown[],
  listName: string,
  defaults: Readonly<Record<string, unknown>>,
): unknown {
  const item = freshValue(element, undefined, defaults);
  if (isObj(item) && "id" in item) {
    // branches → b1, b2…; arms → a1…; segments → s1…
    const stem = /^[A-Za-z]/.test(listName) ? listName[0]!.toLowerCase() : "x";
    const ids = new Set(list.map((x) => (isObj(x) ? x.id : undefined)));
    let n = list.length + 1;
    while (ids.has(`${stem}${n}`)) n++;
    item.id = `${stem}${n}`;
  }
  return item;
}

export function RecordField({ path, value, label, shape }: ViewProps & { shape: Extract<Shape, { type: "record" }> }) {
  const { t } = useTranslation();
  const ctx = useCtx();
  const name = nameOf(ctx.base, path);
  const title = useLabel(label, path[path.length - 2]);
  const obj = isObj(value) ? value : {};
  const entries = Object.entries(obj);
  const rename = (from: string, to: string): void => {
    if (to === from || to in obj) return;
    ctx.set(path, Object.fromEntries(entries.map(([k, v]) => [k === from ? to : k, v])));
  };
  const valueIsScalar = !["object", "variants", "array", "record"].includes(shapeOf(shape.value).type);
  return (
    <fieldset className="fieldset fieldset--record" data-testid={`fieldset-${name}`}>
      <legend>{title}</legend>
      <FieldMessages path={path} />
      {entries.map(([k, v], i) => (
        <div key={k} className={`record-item${valueIsScalar ? " record-item--inline" : ""}`}>
          <input
            className="record-item__key"
            aria-label={t("inspector.key")}
            data-testid={`key-${name}.${i}`}
            defaultValue={k}
            onBlur={(e) => rename(k, e.target.value.trim())}
          />
          {valueIsScalar && (
            <ctx.Field schema={shape.value} path={[...path, k]} value={v} label={k} parent={obj} bare />
          )}
          <button
            type="button"
            aria-label={t("inspector.remove")}
            data-testid={`remove-${name}.${k}`}
            onClick={() => ctx.set(path, Object.fromEntries(entries.filter(([x]) => x !== k)))}
          >
            ✕
          </button>
          {!valueIsScalar && <ctx.Field schema={shape.value} path={[...path, k]} value={v} label={null} parent={obj} />}
        </div>
      ))}
      <button
        type="button"
        className="link-button"
        data-testid={`add-${name}`}
        onClick={() => {
          let n = entries.length + 1;
          while (`new_${n}` in obj) n++;
          ctx.set(path, { ...obj, [`new_${n}`]: freshValue(shape.value, undefined, ctx.defaults) });
        }}
      >
        + {t("inspector.add")}
      </button>
    </fieldset>
  );
}
