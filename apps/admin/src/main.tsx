import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { AppRoot, createQueryClient } from "@voiceassist/ui";

import { createAppSession } from "./api";
import { createAppRouter } from "./router";
import "@voiceassist/ui/styles.css";
import "./styles.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

createRoot(root).render(
  <StrictMode>
    <AppRoot session={createAppSession()} queryClient={createQueryClient()} router={createAppRouter()} />
  </StrictMode>,
);
