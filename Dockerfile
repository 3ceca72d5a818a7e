# The principia command line as a container image, for sweeps sharded over a cluster
# (docs/scale-out.md; deploy/kubernetes/). Build it from the repository root:
#
#   docker build -t principia-cli:0.1.0 .
#
# and push it where your cluster pulls from (docs/scale-out.md, "What to change for your cluster").
FROM node:22-bookworm-slim

WORKDIR /opt/principia
ENV NODE_ENV=production

# Runtime dependencies only. The CLI needs esbuild (bin/principia.mjs bundles graph-nodes/cli on
# first use) and, where no bundle can be built, tsx: both are in "dependencies", so they stay.
COPY package.json package-lock.json ./
# onnxruntime-node's CPU binaries are in its package; skip its optional CUDA download.
ENV ONNXRUNTIME_NODE_INSTALL=skip
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY tsconfig.json ./
COPY bin ./bin
COPY graph-nodes ./graph-nodes
COPY presets ./presets

# Build the CLI bundle now (node_modules/.cache/principia-cli), so no pod spends time on it, and
# put `principia` on the PATH for shell commands (the merge Job's).
RUN node bin/principia.mjs --help > /dev/null \
  && ln -s /opt/principia/bin/principia.mjs /usr/local/bin/principia

# The base image's unprivileged user; results folders must be writable by it (fsGroup 1000).
USER node

ENTRYPOINT ["node", "/opt/principia/bin/principia.mjs"]
CMD ["--help"]
