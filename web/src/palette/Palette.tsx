/** Every kind in the shared registry, grouped by category; drag one onto the canvas (or click to add it). */
import { allKinds, type KindMeta, type Lang } from "@lifeloop/shared";
import { KIND_MIME } from "../canvas/Canvas.tsx";
import { useLang } from "../i18n/useLang.ts";

const CATEGORIES: KindMeta["category"][] = ["entry", "logic", "timing", "action", "end"];
const CATEGORY_LABEL: Record<KindMeta["category"], Record<Lang, string>> = {
  entry: { en: "Entry", "zh-CN": "入口" },
  logic: { en: "Logic", "zh-CN": "逻辑" },
  timing: { en: "Timing", "zh-CN": "时间" },
  action: { en: "Actions", "zh-CN": "动作" },
  end: { en: "End", "zh-CN": "结束" },
};

export function Palette({ onAdd }: { onAdd(kind: string): void }) {
  const lang = useLang();
  return (
    <aside className="palette" data-testid="palette" aria-label={lang === "zh-CN" ? "节点" : "Nodes"}>
      {CATEGORIES.map((cat) => (
        <section key={cat}>
          <h2>{CATEGORY_LABEL[cat][lang]}</h2>
          {allKinds()
            .filter((k) => k.meta.category === cat)
            .map((k) => (
              <button
                key={k.kind}
                type="button"
                className="palette__item"
                data-testid={`palette-${k.kind}`}
                draggable
                title={k.meta.description[lang]}
                style={{ borderLeftColor: k.meta.color }}
                onDragStart={(e) => {
                  e.dataTransfer.setData(KIND_MIME, k.kind);
                  e.dataTransfer.effectAllowed = "copy";
                }}
                onClick={() => onAdd(k.kind)}
              >
                <span aria-hidden>{k.meta.icon}</span> {k.meta.label[lang]}
              </button>
            ))}
        </section>
      ))}
    </aside>
  );
}
