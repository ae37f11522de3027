# syntax=docker/dockerfile:1
# muster's container image: one exporter for many backends.
#
#   docker build -t muster:0.1.0 .
#   docker run -p 9777:9777 -v "$PWD/muster.yaml:/etc/muster/muster.yaml:ro" muster:0.1.0
#
# Two stages: `build` installs the workspace, compiles it and lets `pnpm deploy` gather the
# exporter with its production dependencies only into /out; the runtime stage holds /out and
# Node, and runs as an unprivileged user. deploy/README.md explains each choice, and how
# deploy/image-test builds and runs this file with buildah where no Docker engine runs.
#
# Behind a TLS-intercepting proxy, hand its CA to the build steps that reach the npm registry:
#   docker build --secret id=npm-ca,src=/path/to/ca.pem .
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
ARG PNPM_VERSION=10.34.9
ENV CI=true \
    npm_config_store_dir=/pnpm/store
# corepack cannot always verify pnpm's signature: install the pinned pnpm with npm.
RUN --mount=type=secret,id=npm-ca,required=false \
    if [ -f /run/secrets/npm-ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npm-ca; fi; \
    npm install --global --no-fund --no-audit --loglevel=error "pnpm@${PNPM_VERSION}"
WORKDIR /src
COPY . .
# Only the exporter and the workspace packages it needs (plugins, core, SDK, and the test kits its
# build type-checks against), from the lockfile as it is; the store is a cache kept between builds.
RUN --mount=type=secret,id=npm-ca,required=false \
    --mount=type=cache,id=muster-pnpm-store,target=/pnpm/store \
    if [ -f /run/secrets/npm-ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npm-ca; fi; \
    pnpm install --frozen-lockfile --no-optional --filter "@muster/exporter..." \
 && pnpm --filter "@muster/exporter..." run build \
 && pnpm --filter @muster/exporter deploy --prod --legacy /out \
 && rm -rf /out/node_modules/.bin

FROM ${NODE_IMAGE}
LABEL org.opencontainers.image.title="muster" \
      org.opencontainers.image.description="One Prometheus exporter for many backends." \
      org.opencontainers.image.licenses="Apache-2.0"
# Two malloc arenas instead of up to 8 per core: Node's threads allocate little (see apps/exporter/src/node-flags.ts).
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2
WORKDIR /app
# Owned by root and read-only to the user muster runs as.
COPY --from=build /out/ /app/
# A default config (HTTP health of muster itself, this host's CPU and memory); mount yours over
# it: a file at /etc/muster/muster.yaml, or the folder /etc/muster with secrets beside it.
COPY deploy/image/muster.yaml /etc/muster/muster.yaml
USER 10001:10001
EXPOSE 9777
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.MUSTER_PORT || 9777) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "--max-semi-space-size=2", "--heap-growing-percent=20", "/app/dist/cli.js"]
CMD ["start", "--config", "/etc/muster/muster.yaml"]
