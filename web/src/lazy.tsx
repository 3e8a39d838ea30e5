/**
 * Code-splitting: the parts of the editor a first screen does not show (the editor page, the report,
 * the simulate panel, the rule builder, dialogs) are separate chunks, loaded when opened. `lazyNamed`
 * makes a React.lazy component of a module's named export; `<Deferred>` shows a line while it loads
 * and says so, with a reload, when it cannot be loaded (a build replaced under an open page) or fails.
 */
import { lazy, Suspense, useState, type ComponentProps, type ComponentType, type ReactNode } from "react";
import { ErrorBoundary, type FallbackProps } from "react-error-boundary";
import { useTranslation } from "react-i18next";

// `any` props: each part keeps its component's own prop types through M[K]; this only names the constraint.
// React.lazy accepts components of any props; each part's own props are typed at its call site
// biome-ignore lint/suspicious/noExplicitAny: the reason above
type AnyComponent = ComponentType<any>;

/** A lazily loaded component; `preload()` fetches its chunk ahead (once loaded, it renders without suspending). */
export interface LazyPart<C extends AnyComponent> {
  (props: ComponentProps<C>): ReactNode;
  preload(): Promise<void>;
}

const parts: Array<LazyPart<AnyComponent>> = [];

export function lazyNamed<M extends Record<K, AnyComponent>, K extends keyof M & string>(
  load: () => Promise<M>,
  name: K,
): LazyPart<M[K]> {
  let ready: M[K] | null = null;
  const preload = async () => {
    ready ??= (await load())[name];
  };
  const Lazy = lazy(async () => {
    await preload();
    return { default: ready! };
  });
  // called once per part at module load (never during render), so each part is one stable component
  // biome-ignore lint/correctness/noComponentHookFactories: the reason above
  const Part = (props: ComponentProps<M[K]>) => {
    // Chosen once per mount: switching from the lazy wrapper to the loaded component would remount it.
    const [Component] = useState<AnyComponent>(() => ready ?? Lazy);
    return <Component {...props} />;
  };
  Part.preload = preload;
  parts.push(Part);
  return Part;
}

/** Loads every lazy part defined so far (component tests, which test the parts and not their loading). */
export const preloadAll = (): Promise<void> => Promise.all(parts.map((p) => p.preload())).then(() => undefined);

function Loading({ inline }: { inline: boolean }) {
  const { t } = useTranslation();
  return (
    <div className={inline ? "deferred muted" : "page-message"} role="status" data-testid="deferred-loading">
      {t("app.loading")}
    </div>
  );
}

function Failed({ error }: FallbackProps) {
  const { t } = useTranslation();
  return (
    <div className="page-message" role="alert" data-testid="deferred-failed">
      <p>
        {t("app.error")}: {error instanceof Error ? error.message : String(error)}
      </p>
      <button type="button" onClick={() => window.location.reload()}>
        {t("app.reload")}
      </button>
    </div>
  );
}

/**
 * Suspense and an error boundary around a lazy part; `inline` for a part of a page (a panel, a
 * field), not a whole page.
 */
export function Deferred({ children, inline = false }: { children: ReactNode; inline?: boolean }) {
  return (
    <ErrorBoundary FallbackComponent={Failed}>
      <Suspense fallback={<Loading inline={inline} />}>{children}</Suspense>
    </ErrorBoundary>
  );
}
