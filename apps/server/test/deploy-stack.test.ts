/**
 * The compose stack behind Caddy (docker-compose.yml, deploy/Caddyfile), checked without Docker:
 * what reaches the host, where every Caddy site leads, and that the api's and Nextcloud's public
 * settings agree with Caddy's hosts, for a local run and for a real host alike.
 */
import ipaddr from "ipaddr.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { loadConfig } from "@voiceassist/server";
import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { PASSWORD, randomIp, uniqueEmail } from "@voiceassist/testing/users";

import {
  adaptCaddyfile,
  type ComposeFile,
  type ComposeService,
  composeConfig,
  containerPorts,
  loadCompose,
  repoRoot,
  type Site,
  sitesOf,
} from "./deploy/stack";

/** Secrets a real .env holds; the api refuses to start in production without them. */
const secrets = { JWT_SECRET: "a".repeat(64), NEXTCLOUD_ADMIN_PASSWORD: "nc-admin-password", POSTGRES_PASSWORD: "pg-password" };

const scenarios = [
  { name: "a local run (defaults)", env: { ...secrets }, domain: "voiceassist.localhost", issuer: "internal" },
  {
    name: "a real host (domain and ACME email)",
    env: { ...secrets, VOICEASSIST_DOMAIN: "clinic.example.org", ACME_EMAIL: "ops@clinic.example.org" },
    domain: "clinic.example.org",
    issuer: "acme",
  },
] as const;

/** Which compose service answers each public name. */
const publicSites = { api: "api", app: "web", admin: "admin", cloud: "nextcloud" } as const;

const service = (compose: ComposeFile, name: string): ComposeService => {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};
const env = (compose: ComposeFile, name: string) => service(compose, name).environment ?? {};
const list = (value: string | undefined) => (value ?? "").split(",").filter(Boolean);

describe.each(scenarios)("the compose stack for $name", (scenario) => {
  let compose: ComposeFile;
  let sites: Site[];
  let caddyIp: string;

  beforeAll(() => {
    compose = loadCompose(scenario.env);
    const caddyEnv = env(compose, "caddy");
    sites = sitesOf(adaptCaddyfile(caddyEnv));
    caddyIp = service(compose, "caddy").networks?.default?.ipv4_address ?? "";
  });

  const host = (name: keyof typeof publicSites) => `${name}.${scenario.domain}`;

  it("is what docker-compose itself makes of the file (so the checks below read the real thing)", () => {
    const reference = composeConfig(scenario.env);
    if (!reference.ok) throw new Error(`docker-compose config failed: ${reference.error}`);
    for (const name of ["api", "caddy", "caddy-ca", "nextcloud", "nextcloud-sso", "nextcloud-loopback"]) {
      expect(reference.file.services[name]?.environment ?? {}, name).toEqual(env(compose, name));
      expect(reference.file.services[name]?.extra_hosts ?? [], name).toEqual(service(compose, name).extra_hosts ?? []);
    }
    expect(reference.file.services.caddy?.networks).toEqual(service(compose, "caddy").networks);
  });

  it("publishes only Caddy's 80 and 443 to the world; api, web, admin and Nextcloud publish nothing", () => {
    for (const name of Object.values(publicSites)) expect(service(compose, name).ports, name).toBeUndefined();
    expect(service(compose, "caddy").ports).toEqual(expect.arrayContaining(["80:80", "443:443", "443:443/udp"]));
    // Anything else on the host is bound to loopback only (databases and the mail catcher, for a host-run API).
    for (const [name, svc] of Object.entries(compose.services)) {
      if (name === "caddy") continue;
      for (const port of svc.ports ?? []) expect(port, `${name} publishes ${port}`).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it("serves exactly the four public names, each to the service and port behind it", () => {
    expect(sites.map((s) => s.host).sort()).toEqual(
      Object.keys(publicSites)
        .map((n) => `${n}.${scenario.domain}`)
        .sort(),
    );
    for (const [name, target] of Object.entries(publicSites)) {
      const site = sites.find((s) => s.host === host(name as keyof typeof publicSites));
      expect(site?.upstreams, name).toHaveLength(1);
      const [upstreamHost, upstreamPort] = (site?.upstreams[0] ?? "").split(":");
      expect(upstreamHost, name).toBe(target);
      expect(containerPorts(service(compose, target)), name).toContain(Number(upstreamPort));
    }
    // The api's own PORT is the one Caddy dials.
    expect(sites.find((s) => s.host === host("api"))?.upstreams).toEqual([`api:${env(compose, "api").PORT}`]);
  });

  it(`gets its certificates from the ${scenario.issuer} issuer`, () => {
    const caddy = adaptCaddyfile(env(compose, "caddy"));
    const policies = caddy.apps.tls?.automation?.policies ?? [];
    const covering = policies.filter((p) => sites.every((s) => p.subjects?.includes(s.host)));
    expect(covering).toHaveLength(1);
    const issuers = covering[0]?.issuers ?? [];
    if (scenario.issuer === "internal") expect(issuers.map((i) => i.module)).toEqual(["internal"]);
    else expect(issuers).toContainEqual(expect.objectContaining({ module: "acme", email: scenario.env.ACME_EMAIL }));
  });

  it("adds HSTS only where the upstream sends none, and strips X-Real-IP before Nextcloud", () => {
    for (const site of sites) expect(site.defaultHeaders, site.host).toEqual(["Strict-Transport-Security"]);
    expect(sites.find((s) => s.host === host("cloud"))?.strippedRequestHeaders).toContain("X-Real-IP");
  });

  it("gives the api public URLs, CORS origins, passkey settings and the OIDC issuer of Caddy's hosts", () => {
    const api = env(compose, "api");
    const https = (name: keyof typeof publicSites) => `https://${host(name)}`;
    expect(api.PUBLIC_URL).toBe(https("api"));
    expect(api.WEB_URL).toBe(https("app"));
    expect(api.ADMIN_URL).toBe(https("admin"));
    expect(api.OIDC_ISSUER).toBe(`${https("api")}/oidc`);
    expect(list(api.CORS_ORIGINS).sort()).toEqual([https("admin"), https("app"), https("cloud")]);
    expect(list(api.WEBAUTHN_ORIGINS).sort()).toEqual([https("admin"), https("app")]);
    // Passkeys bind to one domain both apps share. A single label such as "localhost" is a top-level
    // domain to browsers' public-suffix rules and is refused for a subdomain's page.
    expect(api.WEBAUTHN_RP_ID).toBe(scenario.domain);
    expect(api.WEBAUTHN_RP_ID).toContain(".");
    for (const origin of list(api.WEBAUTHN_ORIGINS)) expect(new URL(origin).hostname.endsWith(`.${api.WEBAUTHN_RP_ID}`)).toBe(true);
    for (const app of ["web", "admin"]) expect(service(compose, app).build?.args?.VITE_API_URL, app).toBe(`${https("api")}/trpc`);
    // The admin panel's enrolment page sends admins to the web app's Security page.
    expect(service(compose, "admin").build?.args?.VITE_WEB_URL).toBe(https("app"));
  });

  it("is accepted by the server's own configuration, which then trusts Caddy's address alone", () => {
    const config = loadConfig(env(compose, "api"), repoRoot);
    expect(config.NODE_ENV).toBe("production");
    expect(config.TRUST_PROXY).toEqual([caddyIp]);
    expect(config.WEBAUTHN_RP_ID).toBe(scenario.domain);
    expect(config.CORS_ORIGINS).toEqual(list(env(compose, "api").CORS_ORIGINS));
  });

  it("pins Caddy's address inside the subnet, and the api and Nextcloud believe only that address", () => {
    const subnet = compose.networks?.default?.ipam?.config?.[0]?.subnet ?? "";
    expect(ipaddr.parse(caddyIp).match(ipaddr.parseCIDR(subnet))).toBe(true);
    expect(env(compose, "api").TRUST_PROXY).toBe(caddyIp);
    expect(env(compose, "nextcloud").TRUSTED_PROXIES).toBe(caddyIp);
    expect(env(compose, "nextcloud").APACHE_DISABLE_REWRITE_IP).toBe("1");
    // Inside the network the public names lead to Caddy too (back-channel logout from the api).
    expect(service(compose, "api").extra_hosts?.sort()).toEqual(
      Object.keys(publicSites)
        .map((n) => `${host(n as keyof typeof publicSites)}:${caddyIp}`)
        .sort(),
    );
    // Nextcloud's loopback port 443 (where libcurl sends *.localhost) leads to Caddy.
    const loopback = service(compose, "nextcloud-loopback");
    expect(loopback.network_mode).toBe("service:nextcloud");
    expect(loopback.entrypoint?.slice(-2)).toEqual([caddyIp, "443"]);
  });

  it("tells Nextcloud and its SSO setup the same public name", () => {
    const cloudUrl = `https://${host("cloud")}`;
    for (const name of ["nextcloud", "nextcloud-sso"]) {
      expect(env(compose, name).OVERWRITEPROTOCOL, name).toBe("https");
      expect(env(compose, name).OVERWRITECLIURL, name).toBe(cloudUrl);
      expect(env(compose, name).TRUSTED_PROXIES, name).toBe(caddyIp);
    }
    expect(env(compose, "nextcloud").NEXTCLOUD_TRUSTED_DOMAINS?.split(" ")).toContain(host("cloud"));
    expect(env(compose, "nextcloud-sso").VOICEASSIST_DOMAIN).toBe(scenario.domain);
    expect(env(compose, "caddy").VOICEASSIST_DOMAIN).toBe(scenario.domain);
  });

  it("starts the api only after the internal CA's root is published, and the SSO setup after Nextcloud is installed", () => {
    expect(service(compose, "api").depends_on?.["caddy-ca"]?.condition).toBe("service_completed_successfully");
    expect(service(compose, "nextcloud-sso").depends_on?.nextcloud?.condition).toBe("service_healthy");
    expect(env(compose, "api").NODE_EXTRA_CA_CERTS).toBe("/caddy-ca/root.crt");
  });
});

describe("the api behind Caddy (TRUST_PROXY from docker-compose.yml)", () => {
  let server: TestServer;
  let caddyIp: string;
  beforeAll(async () => {
    const compose = loadCompose(secrets);
    caddyIp = service(compose, "caddy").networks?.default?.ipv4_address ?? "";
    server = await startTestServer({ env: { TRUST_PROXY: env(compose, "api").TRUST_PROXY } });
  });
  afterAll(() => server?.close());

  // Each test signs in to its own unknown account: the per-account lock must not be what answers 429.
  const login = (remoteAddress: string, forwardedFor: string, email: string) =>
    server.app.inject({
      method: "POST",
      url: "/trpc/auth.login",
      remoteAddress,
      headers: { "content-type": "application/json", "x-forwarded-for": forwardedFor },
      payload: JSON.stringify({ json: { email, password: PASSWORD } }),
    });

  it("rate-limits each client Caddy forwards by its own address", async () => {
    const [client, email] = [randomIp(), uniqueEmail("behind-caddy")];
    for (let i = 0; i < 10; i++) expect((await login(caddyIp, client, email)).statusCode).toBe(401);
    expect((await login(caddyIp, client, email)).statusCode).toBe(429);
    // Another client through the same Caddy keeps its own budget.
    expect((await login(caddyIp, randomIp(), email)).statusCode).toBe(401);
  });

  it("ignores X-Forwarded-For from any other container, so no one else can rotate their address", async () => {
    const [otherContainer, email] = ["172.30.80.77", uniqueEmail("spoofer")];
    for (let i = 0; i < 10; i++) expect((await login(otherContainer, randomIp(), email)).statusCode).toBe(401);
    expect((await login(otherContainer, randomIp(), email)).statusCode).toBe(429);
  });
});
