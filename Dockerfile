# Cellule image: the API and the web workspace (/app). The embedded PostgreSQL is for development: in a container, set
# DATABASE_URL (see docker-compose.yml), CELLULE_KEYRING and CELLULE_TOKEN_SECRET.
FROM node:20-bookworm-slim AS build
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

FROM node:20-bookworm-slim
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
EXPOSE 3000
# The node flags of `npm start` (package.json), which the benchmark measures.
CMD ["node", "--max-semi-space-size=8", "dist/src/main.js"]
