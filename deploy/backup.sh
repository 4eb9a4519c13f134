#!/usr/bin/env bash
# Back up Lindungi: the PostgreSQL database (pg_dump, custom format) and the private files
# (uploads, evidence, claim documents, reports) into one dated folder.
#   DATABASE_URL=postgres://… PRIVATE_MEDIA_ROOT=/srv/lindungi/private deploy/backup.sh /backups
set -euo pipefail
target="${1:?usage: backup.sh DIRECTORY}"
: "${DATABASE_URL:?DATABASE_URL is required}"
media="${PRIVATE_MEDIA_ROOT:-var/private}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
folder="$target/lindungi-$stamp"
mkdir -p "$folder"
pg_dump --format=custom --no-owner --no-privileges --file="$folder/database.dump" "$DATABASE_URL"
if [ -d "$media" ]; then
  tar -C "$media" -czf "$folder/private.tar.gz" .
fi
( cd "$folder" && sha256sum ./* > SHA256SUMS )
echo "$folder"
