# syntax=docker/dockerfile:1
#
# One image for every Ledgerline process. The process is chosen by the command, e.g.
#   docker run ledgerline node services/gateway/dist/main.js
#   docker run ledgerline node services/billing/dist/worker.js
# docker-compose.yml and the Kubernetes manifests (deploy/k8s) do exactly that for each process.

# Node 24, the current LTS (Node 20 reached end-of-life on 2026-04-30).
ARG NODE_IMAGE=node:24-bookworm-slim

# ---- manifests: just what npm needs to resolve the workspace tree, so the install layers below
# are reused until a package.json or the lock file changes. Add a line here for a new workspace.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
COPY package.json package-lock.json ./
COPY libs/contracts/package.json libs/contracts/
COPY libs/platform/package.json libs/platform/
COPY libs/api-client/package.json libs/api-client/
COPY services/auth/package.json services/auth/
COPY services/tenants/package.json services/tenants/
COPY services/customers/package.json services/customers/
COPY services/billing/package.json services/billing/
COPY services/payments/package.json services/payments/
COPY services/webhooks/package.json services/webhooks/
COPY services/gateway/package.json services/gateway/
COPY apps/dashboard/package.json apps/dashboard/

# ---- build: every dependency, then every workspace compiled to its dist/ by turbo (tsc -b; the
# dashboard by Vite).
FROM manifests AS build
# `npm ci` rejects the current lock file (it lacks the optional per-platform binaries of
# @swc/core, turbo and others for platforms other than Linux x64/arm64), so install with
# `npm install`, which still takes every version the lock pins and writes nothing back.
# Switch to `npm ci` once the lock file is regenerated in full.
RUN --mount=type=cache,target=/root/.npm npm install --no-save
COPY tsconfig.json tsconfig.base.json turbo.json ./
COPY libs/ libs/
COPY services/ services/
COPY apps/ apps/
ENV TURBO_TELEMETRY_DISABLED=1
RUN npx turbo run build

# ---- prod-deps: production dependencies only (no TypeScript, Jest, turbo, swc ...).
FROM manifests AS prod-deps
RUN --mount=type=cache,target=/root/.npm npm install --no-save --omit=dev

# ---- runtime: manifests + production node_modules + compiled output, run as the non-root user.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0
WORKDIR /app
COPY --from=prod-deps /app ./
COPY --from=build /app/libs/contracts/dist libs/contracts/dist
COPY --from=build /app/libs/platform/dist libs/platform/dist
COPY --from=build /app/services/auth/dist services/auth/dist
COPY --from=build /app/services/tenants/dist services/tenants/dist
COPY --from=build /app/services/customers/dist services/customers/dist
COPY --from=build /app/services/billing/dist services/billing/dist
COPY --from=build /app/services/payments/dist services/payments/dist
COPY --from=build /app/services/webhooks/dist services/webhooks/dist
COPY --from=build /app/services/gateway/dist services/gateway/dist
# the web dashboard's static files, served by the gateway at /app/ (DASHBOARD_DIR)
COPY --from=build /app/apps/dashboard/dist apps/dashboard/dist
USER node
# No default process: say which one to run.
CMD ["node", "-e", "console.error('Choose a process, e.g.: node services/gateway/dist/main.js or node services/billing/dist/worker.js'); process.exit(64)"]
