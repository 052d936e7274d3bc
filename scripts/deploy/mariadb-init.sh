# Sourced (not executed: keep this file without its x bit) by the MariaDB image's entrypoint on its first start, from
# /docker-entrypoint-initdb.d: a database and a user per subgraph with rights on that database only (db-grants.sh),
# through the entrypoint's own root client. To apply them again later (a renewed password):
#   docker compose exec mariadb sh -c 'bash /opt/onestop/db-grants.sh /run/onestop/db | mariadb -uroot -p"$(cat /run/onestop/db/root.password)"'
bash /opt/onestop/db-grants.sh /run/onestop/db | docker_process_sql
