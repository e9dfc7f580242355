#!/usr/bin/env bash
# Run once by the postgres image on an empty data directory (docker-entrypoint-initdb.d), as the superuser: the
# roles and the database of README's "External PostgreSQL and Kafka" (ADR 0028). The passwords come from the
# secret files; Flyway then creates the schema as orderflow_owner and grants the other two roles their share
# (db/migration/afterMigrate.sql).
set -euo pipefail

owner_password="$(< /run/secrets/db_owner_password)"
app_password="$(< /run/secrets/db_app_password)"
connect_password="$(< /run/secrets/db_connect_password)"

# psql substitutes :'name' with the quoted value, so no password is spliced into the SQL text by the shell.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v owner_password="$owner_password" -v app_password="$app_password" \
    -v connect_password="$connect_password" <<'SQL'
CREATE ROLE orderflow_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE orderflow_app LOGIN PASSWORD :'app_password';
CREATE ROLE orderflow_connect LOGIN REPLICATION PASSWORD :'connect_password';
CREATE DATABASE orderflow OWNER orderflow_owner;
REVOKE ALL ON DATABASE orderflow FROM PUBLIC;
GRANT CONNECT ON DATABASE orderflow TO orderflow_app, orderflow_connect;
SQL
