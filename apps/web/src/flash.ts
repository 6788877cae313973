import { createContext, useContext } from "react";

import type { Flash as BaseFlash, FlashState } from "@voiceassist/ui";

/** A one-off message carried to the next screen (e.g. why the user is back at sign-in). */
export interface Flash extends BaseFlash {
  /** Pre-fills the sign-in form after registration. */
  email?: string;
}

/** Held by the root route; kept in memory only, so an email never lands in the address bar. */
export const FlashContext = createContext<FlashState<Flash>>({ flash: null, setFlash: () => undefined });

export const useFlash = () => useContext(FlashContext);
