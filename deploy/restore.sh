#!/usr/bin/env bash
# Restore a backup made by backup.sh into an EMPTY database and an empty files folder; the
# checksums are verified first. Then run `manage.py migrate` (a no-op for the same version).
#   DATABASE_URL=postgres://…/lindungi_restored PRIVATE_MEDIA_ROOT=/srv/… deploy/restore.sh FOLDER
set -euo pipefail
folder="${1:?usage: restore.sh BACKUP_FOLDER}"
: "${DATABASE_URL:?DATABASE_URL is required}"
media="${PRIVATE_MEDIA_ROOT:-var/private}"
( cd "$folder" && sha256sum --check --quiet SHA256SUMS )
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$DATABASE_URL" "$folder/database.dump"
if [ -f "$folder/private.tar.gz" ]; then
  mkdir -p "$media"
  tar -C "$media" -xzf "$folder/private.tar.gz"
fi
echo "restored $folder"
