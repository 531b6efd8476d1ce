#!/bin/sh
# Patroni's post_bootstrap (patroni.yml): runs once, on the node that initialises the cluster, with a
# superuser connection string as its argument. Creates what `motcua migrate` needs: the motcua role
# (password MOTCUA_DB_PASSWORD, the compose file's POSTGRES_PASSWORD) and its database.
set -eu
: "${MOTCUA_DB_PASSWORD:?set MOTCUA_DB_PASSWORD}"
psql "$1" -v ON_ERROR_STOP=1 -q -v password="$MOTCUA_DB_PASSWORD" <<'SQL'
CREATE ROLE motcua LOGIN PASSWORD :'password';
CREATE DATABASE motcua OWNER motcua;
SQL
