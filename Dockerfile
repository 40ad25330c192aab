# Cellule API image. The embedded PostgreSQL is for development: in a container, set
# DATABASE_URL (see docker-compose.yml), CELLULE_KEYRING and CELLULE_TOKEN_SECRET.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
COPY scripts ./scripts
COPY bench ./bench
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
# The server and its migrations only: not the demo seed (dist/scripts, a published password)
# nor the benchmark (dist/bench).
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/migrations ./dist/migrations
COPY package.json ./
COPY policies ./policies
USER node
EXPOSE 3000
# The node flags of `npm start` (package.json), which the benchmark measures.
CMD ["node", "--max-semi-space-size=8", "dist/src/main.js"]
