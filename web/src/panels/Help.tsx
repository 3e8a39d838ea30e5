import { useTranslation } from "react-i18next";
import { SHORTCUTS } from "../canvas/shortcuts.ts";
import { Dialog } from "../ui/Dialog.tsx";

export function Help({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  return (
    <Dialog title={t("help.title")} testId="help" onClose={onClose}>
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
    </Dialog>
  );
}
