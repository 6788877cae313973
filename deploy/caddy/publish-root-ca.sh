#!/bin/sh
# caddy-ca (docker-compose.yml): publishes the public root certificate of Caddy's internal CA to
# the caddy-ca volume. Caddy keeps it under /data readable by root only; the api (Node, as user
# `node`) and Nextcloud (occ, as www-data) must read it to trust the local https:// names.
# With ACME certificates (CADDY_TLS is an email address) there is no internal root to trust.
set -eu

# Where Caddy keeps the root (XDG_DATA_HOME=/data in its image) and where it goes; both
# overridable so the test can run this script on a plain filesystem.
root=${CADDY_ROOT_CERT:-/data/caddy/pki/authorities/local/root.crt}
out=${CADDY_CA_OUT:-/ca/root.crt}
wait_seconds=${CADDY_CA_WAIT_SECONDS:-120}

if [ "${CADDY_TLS:-internal}" != internal ]; then
  # A root left over from a local run must not stay trusted on a real host.
  rm -f "$out"
  echo "caddy-ca: ACME certificates in use, no internal root to publish"
  exit 0
fi

# Caddy creates its CA when it starts; this service may start first.
waited=0
until [ -s "$root" ]; do
  if [ "$waited" -ge "$wait_seconds" ]; then
    echo "caddy-ca: $root did not appear within ${wait_seconds}s; is the caddy service running?" >&2
    exit 1
  fi
  sleep 1
  waited=$((waited + 1))
done

# Written beside the target and renamed, so a reader never sees half a certificate.
cp "$root" "$out.tmp"
chmod 0644 "$out.tmp"
mv "$out.tmp" "$out"
echo "caddy-ca: published the internal CA's root certificate"
