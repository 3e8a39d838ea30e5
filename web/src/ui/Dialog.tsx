/**
 * The editor's modal dialogs, on Radix UI's primitives (no hand-written focus code): focus moves into
 * the dialog and stays there, Escape closes it, the page behind is inert (hidden from assistive
 * technology, no pointer events, no scrolling) and focus goes back where it was on close.
 *
 * - `Dialog`: a titled dialog with a close button; a click outside closes it too.
 * - `AlertDialog`: something to acknowledge or decide (a refused file, "archive a live journey?"):
 *   role alertdialog, closed only by its buttons or Escape.
 */
import * as RadixAlert from "@radix-ui/react-alert-dialog";
import * as RadixDialog from "@radix-ui/react-dialog";
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

/**
 * Radix gives focus back to a dialog's Trigger; these dialogs are opened by state (a toolbar button,
 * a shortcut, a failed import), so the element focused when one opened is kept and focused again.
 */
function useReturnFocus(): (event: Event) => void {
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null));
  return (event) => {
    event.preventDefault();
    if (opener?.isConnected) opener.focus();
  };
}

interface DialogProps {
  title: string;
  testId: string;
  onClose(): void;
  children: ReactNode;
  /** Extra class names beside `dialog` (e.g. "publish"). */
  className?: string;
  /** data-testid of the ✕ button. */
  closeTestId?: string;
}

export function Dialog({ title, testId, onClose, children, className, closeTestId }: DialogProps) {
  const { t } = useTranslation();
  const returnFocus = useReturnFocus();
  return (
    <RadixDialog.Root open onOpenChange={(open) => !open && onClose()}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="dialog-backdrop" />
        {/* No Description element: the dialog's content describes itself (Radix asks for this to be said). */}
        <RadixDialog.Content
          className={className ? `dialog ${className}` : "dialog"}
          data-testid={testId}
          aria-describedby={undefined}
          onCloseAutoFocus={returnFocus}
        >
          <header>
            <RadixDialog.Title>{title}</RadixDialog.Title>
            <RadixDialog.Close type="button" aria-label={t("app.close")} data-testid={closeTestId}>
              ✕
            </RadixDialog.Close>
          </header>
          {children}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

interface AlertDialogProps {
  title: string;
  testId: string;
  onClose(): void;
  children: ReactNode;
  /** The confirming button (omitted: the dialog only informs, and its one button closes it). */
  action?: { label: string; testId: string; danger?: boolean; run(): void };
  /** The button that dismisses: "Cancel" beside an action, "Close" alone. */
  cancelTestId?: string;
}

export function AlertDialog({ title, testId, onClose, children, action, cancelTestId }: AlertDialogProps) {
  const { t } = useTranslation();
  const returnFocus = useReturnFocus();
  return (
    <RadixAlert.Root open onOpenChange={(open) => !open && onClose()}>
      <RadixAlert.Portal>
        <RadixAlert.Overlay className="dialog-backdrop" />
        <RadixAlert.Content className="dialog dialog--alert" data-testid={testId} onCloseAutoFocus={returnFocus}>
          <header>
            <RadixAlert.Title>{title}</RadixAlert.Title>
          </header>
          <RadixAlert.Description asChild>
            <div>{children}</div>
          </RadixAlert.Description>
          <footer className="dialog__actions">
            <RadixAlert.Cancel type="button" data-testid={cancelTestId}>
              {action ? t("app.cancel") : t("app.close")}
            </RadixAlert.Cancel>
            {action && (
              <RadixAlert.Action
                type="button"
                className={action.danger ? "primary danger" : "primary"}
                data-testid={action.testId}
                onClick={action.run}
              >
                {action.label}
              </RadixAlert.Action>
            )}
          </footer>
        </RadixAlert.Content>
      </RadixAlert.Portal>
    </RadixAlert.Root>
  );
}
