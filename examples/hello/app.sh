#!/bin/sh
# Serves /srv/www on $PORT in the foreground (so the container lives as long as the server).
set -e
echo "hello: serving /srv/www on port ${PORT:-8080} as $(id -un)"
exec httpd -f -v -p "${PORT:-8080}" -h /srv/www
