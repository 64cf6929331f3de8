# One image for every Peregrine process; the command picks which one (see docker-compose.yml).
# Without a command it runs `npm start`, the whole pipeline in one container on port 3000.
# NODE_IMAGE: a Node.js 20 image with a user node; docker-compose.local.yml passes one built locally.
ARG NODE_IMAGE=node:20-bookworm-slim
FROM ${NODE_IMAGE}
WORKDIR /app
ENV NODE_ENV=production
# The official node:20 image ships npm 10, which this project does not install with (see .npmrc).
RUN [ "$(npm --version | cut -d. -f1)" -ge 11 ] || npm install --global --no-audit --no-fund npm@11
# The lockfile layer first, so that a change to the code does not reinstall the dependencies;
# patches/ with it, because the install applies them (postinstall: patch-package).
COPY package.json package-lock.json .npmrc ./
COPY patches ./patches
RUN npm ci --omit=dev --no-audit --no-fund --cache /tmp/npm-cache && rm -rf /tmp/npm-cache
COPY . .
USER node
# Inside a container the app must listen beyond loopback for a published port to reach it.
ENV HOST=0.0.0.0
EXPOSE 3000
CMD ["npm", "start"]
