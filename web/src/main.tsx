import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "@xyflow/react/dist/style.css";
import "./styles.css";
import "./i18n/index.ts";
import { adoptKeyFromUrl } from "./api/client.ts";
import { App } from "./App.tsx";

adoptKeyFromUrl();
createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
