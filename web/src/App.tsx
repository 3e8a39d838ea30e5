import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { getKey, setKey } from "./api/client.ts";
import { LangSwitch } from "./i18n/LangSwitch.tsx";
import { Deferred, lazyNamed } from "./lazy.tsx";
import { JourneysPage } from "./pages/JourneysPage.tsx";
import { useRoute } from "./route.ts";
import { useOverlay } from "./store/overlay.ts";

// The journeys list is the first screen and comes with the entry; the editor (React Flow, the
// compiler, the inspector) and the report (charts) are chunks of their own, fetched when opened.
const EditorPage = lazyNamed(() => import("./pages/EditorPage.tsx"), "EditorPage");
const ReportPage = lazyNamed(() => import("./report/ReportPage.tsx"), "ReportPage");
const StagesPage = lazyNamed(() => import("./stages/StagesPage.tsx"), "StagesPage");

function SignIn({ onDone }: { onDone(): void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState("");
  return (
    <main className="sign-in">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!value.trim()) return;
          setKey(value.trim());
          onDone();
        }}
      >
        <h1>Lifeloop</h1>
        <p>{t("app.signIn.help")}</p>
        <label>
          {t("app.signIn.key")}
          <input
            data-testid="api-key"
            type="password"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            autoFocus
          />
        </label>
        <button type="submit" className="primary">
          {t("app.signIn")}
        </button>
        <LangSwitch />
      </form>
    </main>
  );
}

export function App() {
  const route = useRoute();
  const [, signedIn] = useState(0);
  const journeyId = route.page === "editor" ? route.journeyId : null;
  // journeyId is the trigger: the effect re-runs when the route opens another journey
  // biome-ignore lint/correctness/useExhaustiveDependencies: the reason above
  useEffect(() => {
    // Numbers on the canvas belong to one journey (the report page sets them for its own).
    useOverlay.getState().set(null);
  }, [journeyId]);
  if (!getKey()) return <SignIn onDone={() => signedIn((n) => n + 1)} />;
  if (route.page === "list") return <JourneysPage />;
  if (route.page === "stages")
    return (
      <Deferred>
        <StagesPage />
      </Deferred>
    );
  return (
    <Deferred>
      {route.panel === "report" ? (
        <ReportPage key={route.journeyId} journeyId={route.journeyId} />
      ) : (
        <EditorPage key={route.journeyId} journeyId={route.journeyId} panel={route.panel} />
      )}
    </Deferred>
  );
}
