import { createLocalStorageTokenStore, createSessionClient } from "@voiceassist/client";

const apiUrl = import.meta.env.VITE_API_URL || "http://localhost:8000/trpc";

/** The panel's one session; its own storage key, apart from the web app's. */
export function createAppSession() {
  return createSessionClient({
    url: apiUrl,
    store: createLocalStorageTokenStore({ key: "voiceassist.admin.tokens" }),
  });
}

export const NOT_ADMIN_MESSAGE = "This account does not have admin access. Sign in with an administrator account.";
