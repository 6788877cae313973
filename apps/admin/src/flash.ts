import { createContext, useContext } from "react";

import type { Flash } from "@voiceassist/ui";

interface FlashState {
  flash: Flash | null;
  setFlash: (flash: Flash | null) => void;
}

/** A one-off message for the next screen (why the operator is back at sign-in); held by the root route. */
export const FlashContext = createContext<FlashState>({ flash: null, setFlash: () => undefined });

export const useFlash = () => useContext(FlashContext);
