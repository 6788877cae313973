#!/bin/sh
# Stands in for Nextcloud's occ in deploy-scripts.test.ts (OCC="sh fake-occ.sh <state dir>"):
# records every call and answers the few commands sso-setup.sh reads from, keeping what the
# calls change in the state directory, so that a second run of the script meets the first's result.
set -eu
state=$1
shift
while [ $# -gt 0 ] && { [ "$1" = --no-interaction ] || [ "$1" = --no-warnings ]; }; do shift; done
printf '%s\n' "$@" "--end--" >>"$state/calls"

case "$1" in
  status)
    if [ -e "$state/installed" ]; then echo '{"installed":true,"maintenance":false}'; else echo '{"installed":false}'; fi
    ;;
  config:system:get)
    [ "$2" = trusted_domains ] || exit 1
    if [ $# -ge 3 ]; then
      [ -f "$state/trusted/$3" ] || exit 1
      cat "$state/trusted/$3"
    else
      cat "$state"/trusted/* 2>/dev/null || true
    fi
    ;;
  config:system:set)
    if [ "$2" = trusted_domains ]; then printf '%s\n' "${4#--value=}" >"$state/trusted/$3"; fi
    ;;
  app:getpath)
    [ -e "$state/apps/$2" ] || exit 1
    echo "/var/www/html/custom_apps/$2"
    ;;
  app:install)
    touch "$state/apps/$2"
    ;;
  security:certificates)
    ls "$state/certs"
    ;;
  security:certificates:import)
    cp "$2" "$state/certs/"
    ;;
  security:certificates:remove)
    rm "$state/certs/$2"
    ;;
  user_oidc:provider)
    if [ "${2:-}" = --help ]; then
      echo "  -s, --clientsecret=CLIENTSECRET  OpenID client secret"
      if [ -e "$state/clientsecret-env" ]; then
        echo "      --clientsecret-env=CLIENTSECRET-ENV  Environment variable that contains the OpenID client secret"
      fi
      exit 0
    fi
    # What occ could read from its environment when the provider is saved.
    printf '%s' "${NEXTCLOUD_OIDC_CLIENT_SECRET:-}" >"$state/secret-in-env"
    ;;
esac
