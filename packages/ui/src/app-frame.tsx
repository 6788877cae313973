import { type Context, type ReactNode, useState } from "react";

import { useSession } from "./api-provider";
import type { Flash } from "./flash";
import { AppName } from "./page";
import { useSignedIn } from "./use-signed-in";

/** What an app's flash context holds: the one-off message for the next screen. */
export interface FlashState<F extends Flash> {
  flash: F | null;
  setFlash: (flash: F | null) => void;
}

/**
 * The frame every app's root route renders: the product name for page titles, the top bar,
 * and the flash message, which lives in memory only so nothing it carries reaches the address bar.
 */
export function AppFrame<F extends Flash>({
  name,
  flashContext: FlashContext,
  children,
}: {
  name: string;
  /** An app's flash may add fields, but only optional ones: the frame itself sets plain ones ("session ended"). */
  flashContext: Context<FlashState<F>>;
  children: ReactNode;
}) {
  const [flash, setFlash] = useState<F | null>(null);
  // Sound while app flashes add only optional fields, as the note on flashContext asks.
  useSignedIn(useSession(), setFlash as (flash: Flash | null) => void);
  return (
    <AppName value={name}>
      <FlashContext value={{ flash, setFlash }}>
        <header className="topbar">
          <span className="brand">{name}</span>
        </header>
        {children}
      </FlashContext>
    </AppName>
  );
}
