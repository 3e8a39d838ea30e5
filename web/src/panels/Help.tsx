import { useTranslation } from "react-i18next";
import { SHORTCUTS } from "../canvas/shortcuts.ts";

export function Help({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  return (
    <div className="dialog" role="dialog" aria-label={t("help.title")} data-testid="help">
      <header>
        <h2>{t("help.title")}</h2>
        <button type="button" onClick={onClose} aria-label={t("app.close")}>
          ✕
        </button>
      </header>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.label}>
              <td>
                <kbd>{s.keys}</kbd>
              </td>
              <td>{t(s.label)}</td>
            </tr>
          ))}
          <tr>
            <td>
              <kbd>Shift + drag</kbd>
            </td>
            <td>{t("shortcut.boxSelect")}</td>
          </tr>
          <tr>
            <td>
              <kbd>Ctrl/⌘ + click</kbd>
            </td>
            <td>{t("shortcut.multiSelect")}</td>
          </tr>
        </tbody>
      </table>
      <p className="muted">{t("help.dragHint")}</p>
    </div>
  );
}
