import { createContext, useContext } from "react";

import type { Flash, FlashState } from "@voiceassist/ui";

/** A one-off message for the next screen (why the operator is back at sign-in); held by the root route. */
export const FlashContext = createContext<FlashState<Flash>>({ flash: null, setFlash: () => undefined });

export const useFlash = () => useContext(FlashContext);
