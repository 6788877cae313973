import type { CDPSession, Page } from "playwright-core";

/**
 * Chromium's virtual authenticator on one page, over the DevTools protocol:
 * a platform authenticator (internal transport, CTAP2) that keeps resident
 * keys and verifies the user at once. The page's navigator.credentials is
 * the browser's own; only the hardware is simulated.
 */
export async function addVirtualAuthenticator(page: Page) {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    /** The credentials the authenticator holds, with their sign counts. */
    credentials: async () => (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials,
  };
}
