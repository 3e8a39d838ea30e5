/**
 * A dialog whose content is read from the API: its intro, the error if the read (or a later change)
 * failed, "loading" until the value arrives, then the content drawn from it.
 */
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Dialog } from "./Dialog.tsx";

interface LoadingDialogProps<T> {
  title: string;
  testId: string;
  onClose(): void;
  intro: string;
  /** What went wrong, said to the person (role alert); null when nothing did. */
  error: string | null;
  errorTestId: string;
  /** Null while it loads. */
  value: T | null;
  children(value: T): ReactNode;
}

export function LoadingDialog<T>({
  title,
  testId,
  onClose,
  intro,
  error,
  errorTestId,
  value,
  children,
}: LoadingDialogProps<T>) {
  const { t } = useTranslation();
  return (
    <Dialog title={title} testId={testId} className="publish" onClose={onClose}>
      <p className="muted">{intro}</p>
      {error && (
        <p className="error-text" role="alert" data-testid={errorTestId}>
          {error}
        </p>
      )}
      {value === null ? !error && <p className="muted">{t("app.loading")}</p> : children(value)}
    </Dialog>
  );
}
