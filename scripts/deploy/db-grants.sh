#!/usr/bin/env bash
# Prints the SQL that gives each subgraph its own MariaDB database and its own user with rights on that database only
# (no global privilege, no GRANT OPTION): database and user both `${DB_PREFIX}_<subgraph>` (dashes as underscores),
# the password read from <passwords dir>/<subgraph>.password (scripts/deploy/secrets.sh makes them). Run as root, any
# number of times: existing users get the password of the file and exactly these rights again.
#   DB_PREFIX=onestop db-grants.sh <passwords dir> | mariadb -uroot -p
set -euo pipefail
dir="${1:?usage: db-grants.sh <passwords dir>}"
prefix="${DB_PREFIX:-onestop}"
collation="${DB_COLLATION:-utf8mb4_vietnamese_ci}"
[[ "$prefix" =~ ^[A-Za-z0-9_]{1,40}$ ]] || { echo "db-grants.sh: DB_PREFIX must be letters, digits and _ (got '$prefix')" >&2; exit 2; }
[[ "$collation" =~ ^[A-Za-z0-9_]+$ ]] || { echo "db-grants.sh: not a collation: $collation" >&2; exit 2; }
# The subgraphs (scripts/src/stack/subgraphs.ts; a test checks the two lists agree).
subgraphs=(single-window civil-status business-registration land tax)
# What TypeORM's migrations and the subgraph need on its own database, nothing more.
rights="SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, REFERENCES, CREATE TEMPORARY TABLES, LOCK TABLES, CREATE VIEW, SHOW VIEW"
for subgraph in "${subgraphs[@]}"; do
  name="${prefix}_${subgraph//-/_}"
  file="$dir/$subgraph.password"
  [ -s "$file" ] || { echo "db-grants.sh: $file is missing or empty" >&2; exit 1; }
  password="$(tr -d '\n' < "$file")"
  # the passwords secrets.sh makes are URL-safe base64: nothing to quote in SQL or in a URL
  [[ "$password" =~ ^[A-Za-z0-9_-]{24,}$ ]] || { echo "db-grants.sh: $file: use at least 24 characters of A-Z a-z 0-9 _ -" >&2; exit 1; }
  cat <<SQL
CREATE DATABASE IF NOT EXISTS \`$name\` CHARACTER SET utf8mb4 COLLATE $collation;
CREATE USER IF NOT EXISTS '$name'@'%' IDENTIFIED BY '$password';
ALTER USER '$name'@'%' IDENTIFIED BY '$password';
REVOKE ALL PRIVILEGES, GRANT OPTION FROM '$name'@'%';
GRANT $rights ON \`$name\`.* TO '$name'@'%';
SQL
done
