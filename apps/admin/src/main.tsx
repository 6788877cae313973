import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { createQueryClient } from "@voiceassist/ui";

import { createAppSession } from "./api";
import { App } from "./app";
import { createAppRouter } from "./router";
import "@voiceassist/ui/styles.css";
import "./styles.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

createRoot(root).render(
  <StrictMode>
    <App session={createAppSession()} queryClient={createQueryClient()} router={createAppRouter()} />
  </StrictMode>,
);
