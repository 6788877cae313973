import type { IncomingMessage, ServerResponse } from "node:http";

import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

import { finishInteraction, FinishRefused, oidcPage, type ApiDeps } from "@voiceassist/api";
import { safeErrorMessage } from "@voiceassist/db";

import { errorEnvelope } from "./error-envelope";
import { helmetHeaders } from "./security-headers";

/**
 * The provider renders a few pages (errors, the logout question, form_post):
 * inline styles, and scripts only by the hashes the provider adds to
 * script-src itself. No form-action: the logout form redirects to the
 * application's registered URI, which form-action would block.
 */
const PROVIDER_CSP = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";

/**
 * Mounts the OpenID Provider at the issuer's path. The provider (a Koa app)
 * gets the raw request with the mount stripped, and always sees the
 * issuer's scheme and host, so every URL it prints agrees with the issuer
 * however the request reached us. Two routes of ours sit beside it: the
 * interaction URL, which sends the browser to the web app's sign-in page,
 * and the finish URL the web app sends it back to.
 */
export async function registerOidc(app: FastifyInstance, deps: ApiDeps, issuer: string, webUrl: string) {
  const issuerUrl = new URL(issuer);
  const mount = issuerUrl.pathname.replace(/\/+$/, "");
  const headers = { ...helmetHeaders(), "content-security-policy": PROVIDER_CSP };
  const oidc = deps.oidc;

  const prepare = (request: FastifyRequest, reply: FastifyReply) => {
    reply.hijack();
    const res = reply.raw;
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.setHeader("x-request-id", request.id);
    return res;
  };

  const unavailable = (request: FastifyRequest, reply: FastifyReply) =>
    reply.status(503).send(errorEnvelope(503, "Single sign-on is not available: the server has no DATA_ENCRYPTION_KEY", request.id));

  const failed = (request: FastifyRequest, res: ServerResponse, error: unknown) => {
    request.log.error({ reason: safeErrorMessage(error) }, "oidc request failed");
    if (!res.headersSent) {
      res.statusCode = 500;
      res.setHeader("content-type", "text/html; charset=utf-8");
      res.end(oidcPage("Sign-in could not continue", "<p>Something went wrong on our side. Try again later.</p>"));
    } else res.destroy();
  };

  await app.register(async (scope) => {
    // The provider reads request bodies itself (form-encoded token requests among them).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (_request, _payload, done) => done(null));

    scope.get<{ Params: { uid: string } }>(`${mount}/interaction/:uid`, (request, reply) => {
      reply.header("cache-control", "no-store");
      return reply.redirect(`${webUrl.replace(/\/$/, "")}/oidc/login?uid=${encodeURIComponent(request.params.uid)}`, 303);
    });

    scope.get<{ Params: { uid: string }; Querystring: { ticket?: string } }>(`${mount}/interaction/:uid/finish`, async (request, reply) => {
      if (!oidc) return unavailable(request, reply);
      const res = prepare(request, reply);
      res.setHeader("cache-control", "no-store");
      const ticket = typeof request.query.ticket === "string" ? request.query.ticket : "";
      try {
        await app.trackWork(finishInteraction(oidc, deps.db, request.raw, res, { uid: request.params.uid, ticket }));
      } catch (error) {
        if (!(error instanceof FinishRefused)) return failed(request, res, error);
        res.statusCode = 400;
        res.setHeader("content-type", "text/html; charset=utf-8");
        res.end(oidcPage("Sign-in could not continue", `<p>${error.message}</p>`));
      }
    });

    const forward = async (request: FastifyRequest, reply: FastifyReply) => {
      if (!oidc) return unavailable(request, reply);
      const provider = await oidc.provider();
      const res = prepare(request, reply);
      const req = request.raw as IncomingMessage & { originalUrl?: string };
      const url = req.url ?? "/";
      req.originalUrl = url;
      req.url = url.slice(mount.length) || "/";
      req.headers["x-forwarded-proto"] = issuerUrl.protocol.slice(0, -1);
      req.headers["x-forwarded-host"] = issuerUrl.host;
      try {
        await app.trackWork(provider.callback()(req, res));
      } catch (error) {
        failed(request, res, error);
      }
    };
    scope.all(mount, forward);
    scope.all(`${mount}/*`, forward);
  });
}
