# syntax=docker/dockerfile:1
# The ctindex image: the npm package as published (package.json "files": dist/, rules/,
# index-templates/, kibana-saved-objects/) with its production dependencies, owned by root and run
# as UID 10001. Nothing writes inside it at run time, so it runs with a read-only root filesystem.
#
#   docker build -t ghcr.io/ctindex/ctindex:0.1.0 --build-arg REVISION=$(git rev-parse HEAD) .
#   docker run --rm --read-only ghcr.io/ctindex/ctindex:0.1.0 sync --bucket … --es-url …
#
# test/integration/package-install.int.test.ts repeats the same steps without Docker (build, pack,
# unpack, `npm ci --omit=dev --ignore-scripts` with the lockfile) and runs the CLI from a read-only
# copy as UID 10001, against Elasticsearch and an S3 API server.

# Node 20, as package.json "engines" requires. For reproducible builds pin the digest as well
# (node:20.20.2-bookworm-slim@sha256:…) and let Dependabot or Renovate move it.
ARG NODE_VERSION=20.20.2

# ---- build: compile and pack ------------------------------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /src
# Dependencies first: this layer is reused until the lockfile changes. No install scripts are
# needed to compile, and the dev tools' native add-ons would need a toolchain this image lacks.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build
COPY rules ./rules
COPY index-templates ./index-templates
COPY kibana-saved-objects ./kibana-saved-objects
# Packing applies "files", so the image gets exactly what `npm install ctindex` would.
RUN mkdir /pkg && npm pack --pack-destination /pkg && mv /pkg/ctindex-*.tgz /pkg/ctindex.tgz

# ---- prod: the package and its production dependencies -----------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS prod
WORKDIR /app
COPY --from=build /pkg/ctindex.tgz /tmp/ctindex.tgz
# The lockfile is not part of a package; with it, production gets the dependency versions that
# were tested. No production dependency has an install script.
COPY package-lock.json ./
RUN tar -xzf /tmp/ctindex.tgz --strip-components=1 --no-same-owner -C /app \
 && npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# ---- runtime -----------------------------------------------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ARG NODE_VERSION
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="ctindex" \
      org.opencontainers.image.description="AWS CloudTrail logs from S3 into Elasticsearch as rule-tagged security events, with Wazuh-compatible rules and Kibana dashboards" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/ctindex/ctindex" \
      org.opencontainers.image.documentation="https://github.com/ctindex/ctindex/blob/main/docs/kubernetes.md" \
      org.opencontainers.image.base.name="docker.io/library/node:${NODE_VERSION}-bookworm-slim"

ENV NODE_ENV=production
# No package manager at run time: nothing installs anything, and what is absent cannot be exploited
# or flagged by a scanner. The named user gives UID 10001 a passwd entry (tools that look up the
# current user) and a home that does not exist, so nothing is tempted to write there.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack /opt/yarn-* \
           /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg \
 && groupadd --system --gid 10001 ctindex \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin ctindex

# Root-owned and not writable by the user: even without a read-only root filesystem the process
# cannot change its own code, rules or templates.
COPY --from=prod /app /app

# Numeric, so Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
USER 10001:10001
WORKDIR /app
# Logs go to stderr (JSON lines when it is not a terminal), the run summary to stdout.
ENTRYPOINT ["node", "/app/dist/cli/main.js"]
CMD ["--help"]
