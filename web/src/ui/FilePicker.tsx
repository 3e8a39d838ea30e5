/**
 * A file chooser in the page's language: a button and the chosen file's name over a hidden native
 * input, whose "Choose File · No file chosen" the browser writes in its own language, not the
 * page's (English in a Chinese page on an English browser).
 */
import { useId, useRef } from "react";
import { useTranslation } from "react-i18next";

export function FilePicker({
  accept,
  testId,
  fileName,
  onFile,
}: {
  accept: string;
  testId: string;
  /** The file chosen so far, if any. */
  fileName: string | null;
  onFile(file: File): void;
}) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const nameId = useId();
  return (
    <span className="file-picker">
      <button
        type="button"
        data-testid={`${testId}-button`}
        aria-describedby={nameId}
        onClick={() => input.current?.click()}
      >
        {t("file.choose")}
      </button>
      <span id={nameId} className="file-picker__name" data-testid={`${testId}-name`}>
        {fileName ?? t("file.none")}
      </span>
      <input
        ref={input}
        type="file"
        accept={accept}
        hidden
        data-testid={testId}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = "";
          if (file) onFile(file);
        }}
      />
    </span>
  );
}
