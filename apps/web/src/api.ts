import { createLocalStorageTokenStore, createSessionClient } from "@voiceassist/client";

const apiUrl = import.meta.env.VITE_API_URL || "http://localhost:8000/trpc";

/** The app's one session: tokens in localStorage so a reload stays signed in. */
export function createAppSession() {
  return createSessionClient({
    url: apiUrl,
    store: createLocalStorageTokenStore({ key: "voiceassist.web.tokens" }),
  });
}
