# syntax=docker/dockerfile:1
#
# VoiceAssist images, one multi-stage file, three targets:
#
#   docker build --target api   -t voiceassist-api   .
#   docker build --target web   -t voiceassist-web   --build-arg VITE_API_URL=https://api.example.com/trpc .
#   docker build --target admin -t voiceassist-admin --build-arg VITE_API_URL=https://api.example.com/trpc \
#     --build-arg VITE_WEB_URL=https://app.example.com .
#
# (docker-compose.yml builds all three.) The default target, the last stage, is `api`.
# BuildKit (the default builder since Docker 23) builds only the stages a target needs.

ARG NODE_IMAGE=node:20-bookworm-slim
ARG NGINX_IMAGE=nginx:1.27-alpine

# ---------------------------------------------------------------------------
# base: Node 20 (ships npm 10; `npm ci` reads the lockfileVersion 3 lock fine)
# ---------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS base
WORKDIR /app
ENV npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false

# ---------------------------------------------------------------------------
# manifests: only the package.json files + lockfile (+ patches/, which the
# postinstall step applies to node_modules), so the `npm ci` layer below
# is rebuilt when dependencies change, not on every source edit. A new workspace
# under apps/ or packages/ is picked up without editing this file.
# ---------------------------------------------------------------------------
FROM base AS manifests
COPY . /src
RUN mkdir -p /manifests \
 && cd /src \
 && cp package.json package-lock.json /manifests/ \
 && cp -r patches /manifests/ \
 && find apps packages -mindepth 2 -maxdepth 2 -name package.json -exec cp --parents {} /manifests/ \;

# ---------------------------------------------------------------------------
# deps: the whole workspace's node_modules, exactly from the lockfile, with
# devDependencies: the Vite builds need vite/@vitejs/plugin-react. The api
# image below gets a pruned copy without them.
# ---------------------------------------------------------------------------
FROM base AS deps
COPY --from=manifests /manifests/ ./
RUN npm ci --no-audit --no-fund && npm cache clean --force

# ---------------------------------------------------------------------------
# source: dependencies + the sources (.dockerignore keeps node_modules, dist,
# .env, .git, ... out of the context).
# ---------------------------------------------------------------------------
FROM deps AS source
COPY . .

# ---------------------------------------------------------------------------
# web / admin: Vite builds baked with the API URL, served by nginx.
# VITE_API_URL is read at *build* time and ends up in the JS bundle: it must be
# the URL the user's browser reaches the API at.
# ---------------------------------------------------------------------------
FROM source AS web-build
ARG VITE_API_URL=http://localhost:8000/trpc
ENV VITE_API_URL=${VITE_API_URL}
# No sourcemaps in the served bundle: they would publish the original sources.
RUN npm run build -w @voiceassist/web -- --sourcemap false

FROM source AS admin-build
ARG VITE_API_URL=http://localhost:8000/trpc
ENV VITE_API_URL=${VITE_API_URL}
# The web app's origin: the panel links admins to its Security page to set up a second factor.
ARG VITE_WEB_URL=http://localhost:3000
ENV VITE_WEB_URL=${VITE_WEB_URL}
# The API's OIDC_ISSUER, shown on the Connected apps page; empty: <origin of VITE_API_URL>/oidc.
ARG VITE_OIDC_ISSUER=
ENV VITE_OIDC_ISSUER=${VITE_OIDC_ISSUER}
RUN npm run build -w @voiceassist/admin -- --sourcemap false

FROM ${NGINX_IMAGE} AS web
COPY deploy/nginx/spa.conf /etc/nginx/conf.d/default.conf
COPY --from=web-build /app/apps/web/dist/ /usr/share/nginx/html/
EXPOSE 80
HEALTHCHECK --interval=30s --timeout=5s --start-period=5s --retries=3 \
  CMD wget -q -O /dev/null http://127.0.0.1/healthz || exit 1

FROM ${NGINX_IMAGE} AS admin
COPY deploy/nginx/spa.conf /etc/nginx/conf.d/default.conf
COPY --from=admin-build /app/apps/admin/dist/ /usr/share/nginx/html/
EXPOSE 80
HEALTHCHECK --interval=30s --timeout=5s --start-period=5s --retries=3 \
  CMD wget -q -O /dev/null http://127.0.0.1/healthz || exit 1

# ---------------------------------------------------------------------------
# api-runtime: the esbuild bundle (built here because the process may not
# write to /app; the embedded-database template is left out, the container
# uses Postgres), then the tree with production dependencies only. `npm prune`
# keeps the installed (and patched, see patches/) packages it does not remove.
# ---------------------------------------------------------------------------
FROM source AS api-runtime
RUN node apps/server/scripts/built.mjs --build --no-template \
  && npm prune --omit=dev --no-audit --no-fund && npm cache clean --force

# ---------------------------------------------------------------------------
# api: Fastify + tRPC, run from its bundle (`npm run start:server`). A fresh
# layer from the pruned tree, so no devDependency is in any layer. It applies
# the Drizzle migrations (packages/db/migrations) itself at start-up. Files stay
# root-owned and read-only to the process, which runs as `node`.
# ---------------------------------------------------------------------------
FROM base AS api
COPY --from=api-runtime /app /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000
USER node
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=40s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8000)+'/trpc/health.live',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["npm", "run", "start:server"]
