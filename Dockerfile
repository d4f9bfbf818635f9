# syntax=docker/dockerfile:1.7
# Every backend service's image (auth, tickets, orders, expiration, payments), the service named by the
# build argument SERVICE, its workspace folder; skaffold.yaml passes it per artifact (ADR 006). Build
# context: the repository root, for the root lockfile and the `common` workspace:
#   docker build --build-arg SERVICE=auth --target runtime .
# Stages: deps (production dependencies), build (compiles common and the service), dev (runs the sources
# for skaffold's file sync), runtime (the final image: compiled code and production dependencies only).
# The client builds differently (Next.js standalone output): client/Dockerfile.

FROM node:20-bookworm-slim AS base
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
WORKDIR /app
# Declared once here; every stage below is built FROM this one and inherits it. No default: an image
# says which service it is.
ARG SERVICE

# Only the manifests, so the dependency layers are rebuilt only when they change. npm ci installs the
# listed workspaces from the root lockfile; the other workspaces' folders need not exist.
FROM base AS manifests
# An empty SERVICE would copy the root package.json over itself and fail later, far from the cause.
RUN test -n "$SERVICE" || { echo 'set the service: --build-arg SERVICE=<workspace>' >&2; exit 1; }
COPY package.json package-lock.json ./
COPY common/package.json common/
COPY ${SERVICE}/package.json ${SERVICE}/

FROM manifests AS deps
RUN npm ci --omit=dev --ignore-scripts -w "$SERVICE"

FROM manifests AS build
RUN npm ci --ignore-scripts --include-workspace-root -w common -w "$SERVICE"
COPY tsconfig.base.json ./
COPY common/tsconfig.json common/tsconfig.build.json common/
COPY common/src common/src
COPY ${SERVICE}/tsconfig.json ${SERVICE}/tsconfig.build.json ${SERVICE}/
COPY ${SERVICE}/src ${SERVICE}/src
RUN npm run build -w common && npm run build -w "$SERVICE"

# skaffold dev: runs the TypeScript sources with a watcher. The root file system stays read-only, so
# skaffold syncs changed files to /tmp/dev (an emptyDir in the Deployment); dev-register.cjs makes a
# synced copy of a file win over the one baked into the image, and each sync restarts the service.
FROM build AS dev
COPY dev-register.cjs /app/dev-register.cjs
WORKDIR /app/${SERVICE}
USER 1000:1000
CMD ["node", "--watch-path=/tmp", "--require", "/app/dev-register.cjs", "src/index.ts"]

FROM base AS runtime
ENV NODE_ENV=production
COPY --from=deps /app/ ./
COPY --from=build /app/common/dist common/dist
COPY --from=build /app/${SERVICE}/dist ${SERVICE}/dist
WORKDIR /app/${SERVICE}
# Numeric, so Kubernetes can verify runAsNonRoot; the files stay root-owned and read-only to it.
USER 1000:1000
EXPOSE 3000
# node is PID 1 and handles SIGTERM itself (common's runService drains, then exits).
CMD ["node", "dist/index.js"]
