/**
 * The compose stack's two one-shot scripts, run with a POSIX shell as compose would run them:
 * deploy/caddy/publish-root-ca.sh on a plain filesystem, and deploy/nextcloud/sso-setup.sh
 * against a recording stand-in for occ (test/deploy/fake-occ.sh), with the environment
 * docker-compose.yml gives the nextcloud-sso service.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { minimalChildEnv } from "@voiceassist/testing/env";

import { loadCompose, repoRoot } from "./deploy/stack";

const CERT = "-----BEGIN CERTIFICATE-----\nMIIBozCCAUmgAwIBAgIQ\n-----END CERTIFICATE-----\n";
const made: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "va-deploy-"));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe("publish-root-ca.sh (caddy-ca)", () => {
  const script = join(repoRoot, "deploy/caddy/publish-root-ca.sh");
  const setup = (caddyTls: string, waitSeconds = "5") => {
    const dir = freshDir();
    const env = {
      ...minimalChildEnv(),
      CADDY_TLS: caddyTls,
      CADDY_ROOT_CERT: join(dir, "data/root.crt"),
      CADDY_CA_OUT: join(dir, "ca/root.crt"),
      CADDY_CA_WAIT_SECONDS: waitSeconds,
    };
    mkdirSync(join(dir, "data"));
    mkdirSync(join(dir, "ca"));
    return { env, root: env.CADDY_ROOT_CERT, out: env.CADDY_CA_OUT };
  };
  const run = (env: Record<string, string>) =>
    new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = spawn("sh", [script], { env });
      let stderr = "";
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
      });
      child.on("close", (code) => done({ code, stderr }));
    });

  it("waits for Caddy to create its CA, then publishes the root readable by everyone", async () => {
    const { env, root, out } = setup("internal");
    const finished = run(env);
    // Caddy creates the CA a moment after it starts; the script must still be waiting for it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(existsSync(out)).toBe(false);
    writeFileSync(root, CERT, { mode: 0o600 });
    expect((await finished).code).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(CERT);
    expect(statSync(out).mode & 0o777).toBe(0o644);
  });

  it("with ACME certificates publishes nothing and removes a root left from a local run", async () => {
    const { env, root, out } = setup("ops@clinic.example.org");
    writeFileSync(root, CERT);
    writeFileSync(out, CERT);
    expect((await run(env)).code).toBe(0);
    expect(existsSync(out)).toBe(false);
  });

  it("fails, saying why, when Caddy never creates its CA", async () => {
    const { env, out } = setup("internal", "1");
    const result = await run(env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/did not appear within 1s; is the caddy service running\?/);
    expect(existsSync(out)).toBe(false);
  });
});

describe("sso-setup.sh (nextcloud-sso)", () => {
  const script = join(repoRoot, "deploy/nextcloud/sso-setup.sh");
  const fakeOcc = join(repoRoot, "apps/server/test/deploy/fake-occ.sh");
  const CLIENT_ID = "nextcloud-client-id";
  const SECRET = "s3cret-shown-once-in-voiceassist";

  /** A Nextcloud as the image installs it: localhost and nextcloud trusted, no apps, no certificates. */
  const nextcloud = (options: { installed?: boolean; clientsecretEnv?: boolean } = {}) => {
    const state = freshDir();
    for (const dir of ["trusted", "apps", "certs"]) mkdirSync(join(state, dir));
    writeFileSync(join(state, "trusted/0"), "localhost\n");
    writeFileSync(join(state, "trusted/1"), "nextcloud\n");
    if (options.installed ?? true) writeFileSync(join(state, "installed"), "");
    if (options.clientsecretEnv ?? true) writeFileSync(join(state, "clientsecret-env"), "");
    return state;
  };

  /** Runs the script with the nextcloud-sso service's environment from docker-compose.yml. */
  const run = (state: string, composeEnv: Record<string, string>, extra: Record<string, string> = {}) => {
    const service = loadCompose(composeEnv).services["nextcloud-sso"]?.environment ?? {};
    const caDir = freshDir();
    const result = spawnSync("sh", [script], {
      env: { ...minimalChildEnv(), ...service, OCC: `sh ${fakeOcc} ${state}`, CA_ROOT: join(caDir, "root.crt"), TMPDIR: caDir, ...extra },
      encoding: "utf8",
    });
    return { ...result, calls: calls(state) };
  };
  const withClient = { NEXTCLOUD_OIDC_CLIENT_ID: CLIENT_ID, NEXTCLOUD_OIDC_CLIENT_SECRET: SECRET };

  /** Every occ call so far, as its argument list. */
  const calls = (state: string): string[][] => {
    const file = join(state, "calls");
    if (!existsSync(file)) return [];
    return readFileSync(file, "utf8")
      .split("--end--\n")
      .filter(Boolean)
      .map((call) => call.split("\n").filter(Boolean));
  };
  const called = (list: string[][], ...prefix: string[]) => list.filter((call) => prefix.every((part, i) => call[i] === part));
  const provider = (list: string[][]) => called(list, "user_oidc:provider", "VoiceAssist").filter((c) => c.length > 2);

  it("until the client id and secret are set, only adds the public name and says single sign-on is off", () => {
    const state = nextcloud();
    const result = run(state, {});
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/single sign-on stays off/);
    expect(readFileSync(join(state, "trusted/2"), "utf8")).toBe("cloud.voiceassist.localhost\n");
    expect(result.calls.filter((c) => c[0] !== "status" && c[0] !== "config:system:get")).toEqual([
      ["config:system:set", "trusted_domains", "2", "--value=cloud.voiceassist.localhost"],
    ]);
  });

  it("refuses to run against a Nextcloud that is not installed yet", () => {
    for (const env of [{}, withClient]) {
      const state = nextcloud({ installed: false });
      const result = run(state, env);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/not installed yet/);
      expect(result.calls.map((c) => c[0])).toEqual(["status"]);
    }
  });

  it("connects user_oidc so that sub is the Nextcloud user id and admin follows the groups claim", () => {
    const state = nextcloud();
    const result = run(state, withClient);
    expect(result.status, result.stderr).toBe(0);
    const issuer = loadCompose(withClient).services.api?.environment?.OIDC_ISSUER;

    expect(called(result.calls, "app:install", "user_oidc")).toHaveLength(1);
    const [saved] = provider(result.calls);
    expect(saved).toEqual(
      expect.arrayContaining([
        `--clientid=${CLIENT_ID}`,
        `--discoveryuri=${issuer}/.well-known/openid-configuration`,
        "--scope=openid email profile groups",
        "--unique-uid=0",
        "--mapping-uid=sub",
        "--mapping-groups=groups",
        "--group-provisioning=1",
        "--group-whitelist-regex=/^admin$/",
      ]),
    );
    // The secret reaches occ through its environment, never on a command line (`ps` shows those).
    expect(saved).toContain("--clientsecret-env=NEXTCLOUD_OIDC_CLIENT_SECRET");
    expect(result.calls.flat().some((arg) => arg.includes(SECRET))).toBe(false);
    expect(readFileSync(join(state, "secret-in-env"), "utf8")).toBe(SECRET);

    // Accounts are VoiceAssist's: user_oidc signs into them and makes none of its own.
    for (const key of ["disable_account_creation", "soft_auto_provision", "enrich_login_id_token_with_userinfo"]) {
      expect(called(result.calls, "config:system:set", "user_oidc", key), key).toEqual([
        ["config:system:set", "user_oidc", key, "--type=boolean", "--value=true"],
      ]);
    }
    expect(called(result.calls, "config:app:set", "--type=string", "--value=0", "user_oidc", "allow_multiple_user_backends")).toHaveLength(
      1,
    );
    expect(called(result.calls, "config:app:set", "core", "newUser.sendEmail", "--value=no")).toHaveLength(1);
    // The URIs the admin registers in VoiceAssist, as the docs give them.
    expect(result.stdout).toContain("redirect URI:            https://cloud.voiceassist.localhost/apps/user_oidc/code");
    expect(result.stdout).toContain(
      "back-channel logout URI: https://cloud.voiceassist.localhost/apps/user_oidc/backchannel-logout/VoiceAssist",
    );
  });

  it("on a local run trusts Caddy's internal CA and lets Nextcloud call *.localhost", () => {
    const state = nextcloud();
    const caDir = freshDir();
    writeFileSync(join(caDir, "root.crt"), CERT);
    const result = run(state, withClient, { CA_ROOT: join(caDir, "root.crt") });
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(join(state, "certs/voiceassist-local-ca.crt"), "utf8")).toBe(CERT);
    expect(called(result.calls, "config:system:set", "allow_local_remote_servers", "--type=boolean", "--value=true")).toHaveLength(1);
    expect(readFileSync(join(state, "trusted/2"), "utf8")).toBe("cloud.voiceassist.localhost\n");
  });

  it("a second run converges: no second install, no second trusted domain", () => {
    const state = nextcloud();
    expect(run(state, withClient).status).toBe(0);
    const before = calls(state).length;
    const second = run(state, withClient);
    expect(second.status, second.stderr).toBe(0);
    const again = second.calls.slice(before);
    expect(called(again, "app:install")).toEqual([]);
    expect(called(again, "app:enable", "user_oidc")).toHaveLength(1);
    expect(called(again, "config:system:set", "trusted_domains")).toEqual([]);
    expect(provider(again)).toEqual(provider(second.calls.slice(0, before)));
  });

  it("on a real host keeps Nextcloud's local-address protection and drops a local CA imported before", () => {
    const state = nextcloud({ clientsecretEnv: false });
    writeFileSync(join(state, "certs/voiceassist-local-ca.crt"), CERT);
    writeFileSync(join(state, "trusted/5"), "files.clinic.example.org\n"); // an admin's own entry, index 2 is free
    const result = run(state, { ...withClient, VOICEASSIST_DOMAIN: "clinic.example.org", ACME_EMAIL: "ops@clinic.example.org" });
    expect(result.status, result.stderr).toBe(0);
    expect(called(result.calls, "config:system:set", "allow_local_remote_servers")).toEqual([]);
    expect(existsSync(join(state, "certs/voiceassist-local-ca.crt"))).toBe(false);
    expect(readFileSync(join(state, "trusted/2"), "utf8")).toBe("cloud.clinic.example.org\n");
    expect(readFileSync(join(state, "trusted/5"), "utf8")).toBe("files.clinic.example.org\n");
    const [saved] = provider(result.calls);
    expect(saved).toContain("--discoveryuri=https://api.clinic.example.org/oidc/.well-known/openid-configuration");
    // An older user_oidc without --clientsecret-env is given the secret as an option.
    expect(saved).toContain(`--clientsecret=${SECRET}`);
    expect(result.stdout).toContain("https://cloud.clinic.example.org/apps/user_oidc/backchannel-logout/VoiceAssist");
  });
});
