import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { freePort } from "@voiceassist/testing/ports";
import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { attachApp } from "@voiceassist/testing/vite";

export interface Stack {
  api: TestServer;
  /** The OpenID issuer, with `sso` on. */
  issuer: string | null;
  webUrl: string;
  adminUrl: string;
  close(): Promise<void>;
}

/**
 * The real API plus both apps, all on ephemeral ports. The app ports are bound
 * first so the API can start with exactly those origins in CORS_ORIGINS;
 * Vite then serves each app on its already-bound port.
 */
export async function startStack(env: Record<string, string> = {}, options: { sso?: boolean } = {}): Promise<Stack> {
  const [webHttp, adminHttp] = await Promise.all([listen(), listen()]);
  const webUrl = `http://localhost:${port(webHttp)}`;
  const adminUrl = `http://localhost:${port(adminHttp)}`;
  const cacheDir = await mkdtemp(join(tmpdir(), "va-e2e-vite-"));
  // WEB_URL: links in mails lead to this web app. Passkeys are bound to RP ID "localhost" (the
  // default) and made only from these two pages, so WEBAUTHN_ORIGINS names their ports.
  const origins = `${webUrl},${adminUrl}`;
  // Single sign-on: the issuer is the API's own address, so its port is chosen before it starts.
  const apiPort = options.sso ? await freePort() : undefined;
  const issuer = apiPort ? `http://127.0.0.1:${apiPort}/oidc` : null;
  const sso = issuer ? { OIDC_ISSUER: issuer, DATA_ENCRYPTION_KEY: randomBytes(32).toString("base64") } : {};
  const api = await startTestServer({
    port: apiPort,
    env: { CORS_ORIGINS: origins, WEBAUTHN_ORIGINS: origins, WEB_URL: webUrl, ...sso, ...env },
  });
  const [web, admin] = await Promise.all([
    attachApp("@voiceassist/web", webHttp, { apiUrl: api.trpcUrl, cacheDir: join(cacheDir, "web") }),
    attachApp("@voiceassist/admin", adminHttp, { apiUrl: api.trpcUrl, cacheDir: join(cacheDir, "admin"), webUrl }),
  ]);
  return {
    api,
    issuer,
    webUrl,
    adminUrl,
    async close() {
      await Promise.allSettled([web.close(), admin.close()]);
      await Promise.allSettled([close(webHttp), close(adminHttp)]);
      await api.close();
      await rm(cacheDir, { recursive: true, force: true });
    },
  };
}

function listen(): Promise<Server> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

const port = (server: Server) => (server.address() as AddressInfo).port;

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
