# syntax=docker/dockerfile:1
# One image recipe for every PACE service:
#   docker build --build-arg SERVICE=gateway -t pace/gateway .
# Every image holds the whole compiled tree (the migration tool needs every service's
# migrations) and differs only in what it starts; the layers are shared between services.
ARG NODE_IMAGE=node:20-bookworm-slim

# --- dependencies, from the lockfile alone (cached until package*.json change) ---------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Nothing in this dependency set needs an install script (see STACK.md); skipping them keeps
# the build reproducible and closes a supply-chain door.
RUN npm ci --no-audit --no-fund --ignore-scripts

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force

# --- build: swc to dist/ ------------------------------------------------------------------
FROM deps AS compiled
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY scripts scripts
COPY libs libs
COPY services services
COPY apps apps
COPY proto proto
RUN node scripts/build.js

FROM compiled AS build
ARG SERVICE
COPY deploy/docker/describe-service.js /tmp/describe-service.js
RUN test -n "${SERVICE}" || (echo 'build with --build-arg SERVICE=<name> (a service in scripts/services.ts)' >&2; exit 1) \
 && node /tmp/describe-service.js "${SERVICE}" /app/service.json

# --- vendor fakes for docker compose only (never deployed): `docker build --target fakes` ---
# Google sign-in and Property Finder stand-ins (scripts/fakes.ts); they need the dev
# dependencies (oauth2-mock-server), so they start from the compiled tree with every package.
FROM compiled AS fakes
RUN mkdir -p /data && chown 1000:1000 /data
USER 1000:1000
CMD ["node", "dist/scripts/fakes.js"]

# --- runtime ------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
# tini is PID 1: it forwards SIGTERM to node (which drains in-flight work, see
# libs/platform/src/shutdown.ts) and reaps zombies.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PACE_SERVICE=${SERVICE} \
    NODE_OPTIONS=--enable-source-maps
COPY --from=prod-deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --from=build --chown=root:root /app/proto ./proto
COPY --from=build --chown=root:root /app/service.json ./service.json
COPY --chown=root:root package.json ./
COPY --chown=root:root deploy/docker/healthcheck.js ./healthcheck.js
# The entry point of this image's service; `node dist/scripts/db.js run <service>` (the
# migration Job) runs from the same image.
RUN printf "require('./dist/services/%s/src/main.js');\n" "${SERVICE}" > main.js \
 && node -e "require.resolve('./dist/services/${SERVICE}/src/main.js')"
# The files belong to root and are read-only to the service's user (uid 1000, "node"); /data is
# the one writable place, for a volume (compose: the listings media of the local store).
RUN mkdir -p /data && chown 1000:1000 /data
USER 1000:1000
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 CMD ["node", "/app/healthcheck.js"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "main.js"]
