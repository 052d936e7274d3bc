# One image for the gateway and every subgraph, on Node 22 LTS; the compose file picks the command. No secret is baked
# in: keys, passwords and the pseudonym key come as files at run time (docker-compose.yml's secrets), and
# .dockerignore keeps ./keys and ./deploy/secrets out of the build context.
FROM node:22-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json tsconfig.json ./
COPY platform/package.json platform/
COPY gateway/package.json gateway/
COPY scripts/package.json scripts/
COPY subgraphs/single-window/package.json subgraphs/single-window/
COPY subgraphs/civil-status/package.json subgraphs/civil-status/
COPY subgraphs/business-registration/package.json subgraphs/business-registration/
COPY subgraphs/land/package.json subgraphs/land/
COPY subgraphs/tax/package.json subgraphs/tax/
COPY portal/package.json portal/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
ENV NODE_ENV=production APOLLO_TELEMETRY_DISABLED=1
WORKDIR /app
COPY --from=build /app /app
USER node
CMD ["node", "gateway/dist/main.js", "--host", "0.0.0.0"]
