# PostgreSQL from Debian for docker-compose.local.yml, configured like the official image by
# POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB; the port is PGPORT (default 5432).
FROM peregrine-local/debian:bookworm
RUN apt-get -o Acquire::Retries=3 update && apt-get -o Acquire::Retries=3 install -y --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/postgresql/data /var/run/postgresql \
 && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql
COPY docker/local/postgres-entrypoint.sh /usr/local/bin/postgres-entrypoint.sh
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data
USER postgres
CMD ["bash", "/usr/local/bin/postgres-entrypoint.sh"]
