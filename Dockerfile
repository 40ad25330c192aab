# Cellule image: the API and the web workspace (/app), on Node's current LTS (24). The embedded PostgreSQL is
# for development: in a container, set DATABASE_URL (see docker-compose.yml), CELLULE_KEYRING and
# CELLULE_TOKEN_SECRET. The same image runs the one-shot migration (node dist/src/cli/migrate.js, as the
# owner role) and the API (as the application role). It runs as the unprivileged `node` user (uid 1000) and
# writes nothing to its filesystem, so it runs with a read-only root filesystem.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY web/package.json ./web/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
COPY scripts ./scripts
COPY bench ./bench
COPY web ./web
# Builds the API and the web workspace (web/dist, served under /app); the workspace's packages
# are build-time only (devDependencies), so the prune leaves them out of the image.
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
# The server and its migrations only: not the demo seed (dist/scripts, a published password)
# nor the benchmark (dist/bench).
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/migrations ./dist/migrations
COPY --from=build /app/web/dist ./web/dist
COPY package.json ./
COPY policies ./policies
USER node
# 3000: the API, behind the TLS proxy; 9464: Prometheus metrics, for the internal network only.
EXPOSE 3000 9464
# The node flags of `npm start` (package.json), which the benchmark measures.
CMD ["node", "--max-semi-space-size=8", "dist/src/main.js"]
