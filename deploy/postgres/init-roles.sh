#!/bin/sh
# Run once by the postgres image when it initialises an empty data folder
# (/docker-entrypoint-initdb.d), as the image's superuser, which nothing else ever uses.
# The three roles of a Cellule deployment (README, Operations):
#   cellule_owner    owns the database and its schema; only the one-shot `migrate` service uses it
#   cellule_app      the API's group: DML on the working tables under row-level security (granted by
#                    the migrations); its login role cellule_api is what the replicas connect as
#   cellule_auditor  SELECT on the audit tables only (offline verification by an auditor)
set -eu
: "${CELLULE_OWNER_PASSWORD:?}" "${CELLULE_API_PASSWORD:?}" "${CELLULE_AUDITOR_PASSWORD:?}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_pw="$CELLULE_OWNER_PASSWORD" -v api_pw="$CELLULE_API_PASSWORD" -v auditor_pw="$CELLULE_AUDITOR_PASSWORD" <<'SQL'
CREATE ROLE cellule_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD :'owner_pw';
CREATE ROLE cellule_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
CREATE ROLE cellule_api LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD :'api_pw' IN ROLE cellule_app;
CREATE ROLE cellule_auditor LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD :'auditor_pw';
CREATE DATABASE cellule OWNER cellule_owner;
\connect cellule
ALTER SCHEMA public OWNER TO cellule_owner;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO cellule_app, cellule_auditor;
SQL
