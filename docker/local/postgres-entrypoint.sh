#!/usr/bin/env bash
# Creates the cluster, its user and database on the first start, then runs PostgreSQL in the foreground.
# It listens on 127.0.0.1 only: this image is for host networking, where every address is the host's.
set -euo pipefail
: "${POSTGRES_USER:=postgres}" "${POSTGRES_DB:=$POSTGRES_USER}" "${PGPORT:=5432}"
[[ -n "${POSTGRES_PASSWORD:-}" ]] || { echo "POSTGRES_PASSWORD must be set" >&2; exit 1; }
if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  initdb --username=postgres --auth-local=trust --auth-host=scram-sha-256 --pwfile=<(echo "$POSTGRES_PASSWORD") "$PGDATA" >/dev/null
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p $PGPORT" -w start >/dev/null
  if [[ "$POSTGRES_USER" != postgres ]]; then
    # psql's variables quote the name and the password, whatever characters they hold.
    psql -v ON_ERROR_STOP=1 -v user="$POSTGRES_USER" -v password="$POSTGRES_PASSWORD" -U postgres -d postgres -p "$PGPORT" -q \
      <<<"CREATE ROLE :\"user\" LOGIN SUPERUSER PASSWORD :'password';"
  fi
  [[ "$POSTGRES_DB" == postgres ]] || createdb -U postgres -p "$PGPORT" -O "$POSTGRES_USER" "$POSTGRES_DB"
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  echo "PostgreSQL initialised: user $POSTGRES_USER, database $POSTGRES_DB"
fi
exec postgres -D "$PGDATA" -c listen_addresses=127.0.0.1 -p "$PGPORT"
