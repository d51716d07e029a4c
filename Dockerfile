# syntax=docker/dockerfile:1
# Multi-stage build: compile everything, then ship only production dependencies and build output.
# Node.js 26 is the current LTS line (Active LTS since 2026-10-28; Node 20 reached its end of life in April 2026),
# on Debian 13 (trixie), the current Debian stable.

FROM node:26-trixie-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY admin-ui/package.json admin-ui/
RUN npm ci
COPY tsconfig.json ./
# The admin UI's build precompresses its files with scripts/precompress-assets.mjs.
COPY scripts scripts
COPY shared shared
COPY server server
COPY admin-ui admin-ui
RUN npm run build

FROM node:26-trixie-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY admin-ui/package.json admin-ui/
RUN npm ci --omit=dev --workspace server --include-workspace-root=false && npm cache clean --force
COPY --from=build /app/shared/dist shared/dist
COPY --from=build /app/server/dist server/dist
COPY --from=build /app/admin-ui/dist admin-ui/dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "server/dist/main.js"]
