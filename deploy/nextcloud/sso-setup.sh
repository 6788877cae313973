#!/bin/sh
# nextcloud-sso (docker-compose.yml): makes sure Nextcloud answers to its public name behind
# Caddy, and signs Nextcloud's users in through VoiceAssist's OpenID Provider with Nextcloud's
# user_oidc app once a client is configured. Runs as www-data in the Nextcloud image, against the
# installed instance. Every step sets an end state rather than making a change, so a second run
# changes nothing: it is safe on every `docker compose up`. What each setting means, and why:
# docs/sso-nextcloud.md.
set -eu

# user_oidc's name for the provider; it is part of the back-channel logout URL registered in VoiceAssist.
PROVIDER=VoiceAssist
OCC=${OCC:-php /var/www/html/occ}
CA_ROOT=${CA_ROOT:-/caddy-ca/root.crt}

domain=${VOICEASSIST_DOMAIN:?VOICEASSIST_DOMAIN is not set}
cloud="https://cloud.$domain"
issuer="https://api.$domain/oidc"

# shellcheck disable=SC2086 # OCC is a command with its arguments
occ() { $OCC --no-interaction --no-warnings "$@"; }
say() { echo "nextcloud-sso: $*"; }

if ! occ status --output=json | grep -q '"installed":true'; then
  say "Nextcloud is not installed yet" >&2
  exit 1
fi

# --- Nextcloud behind Caddy (with or without single sign-on) -----------------------------------

# The public name, also on an instance installed before it was in NEXTCLOUD_TRUSTED_DOMAINS:
# without it Nextcloud refuses every request that comes through Caddy.
if ! occ config:system:get trusted_domains | grep -qxF "cloud.$domain"; then
  free=0 # the first unused index: an admin's own entries are never overwritten
  while occ config:system:get trusted_domains "$free" >/dev/null 2>&1; do free=$((free + 1)); done
  occ config:system:set trusted_domains "$free" --value="cloud.$domain"
fi

if [ -z "${NEXTCLOUD_OIDC_CLIENT_ID:-}" ] || [ -z "${NEXTCLOUD_OIDC_CLIENT_SECRET:-}" ]; then
  say "NEXTCLOUD_OIDC_CLIENT_ID and NEXTCLOUD_OIDC_CLIENT_SECRET are not both set; single sign-on stays off (docs/sso-nextcloud.md)"
  exit 0
fi

# --- Single sign-on ------------------------------------------------------------------------------

# Links without /index.php/: user_oidc's redirect URI is then https://cloud.<domain>/apps/user_oidc/code.
occ config:system:set htaccess.RewriteBase --value=/
occ maintenance:update:htaccess

# A local run: user_oidc calls https://api.<domain> over Caddy's internal CA, so Nextcloud trusts
# that CA's root; on a real host (ACME) a root imported earlier is removed again.
if [ -s "$CA_ROOT" ]; then
  # Imported under this file name, which the removal below looks for.
  cp "$CA_ROOT" "${TMPDIR:-/tmp}/voiceassist-local-ca.crt"
  occ security:certificates:import "${TMPDIR:-/tmp}/voiceassist-local-ca.crt"
elif occ security:certificates | grep -q voiceassist-local-ca.crt; then
  occ security:certificates:remove voiceassist-local-ca.crt
fi

# *.localhost is a "local" address to Nextcloud, which refuses to call one unless allowed. Only
# for a local run: on a real host api.<domain> is a public name and the protection stays on.
case "$domain" in
  localhost | *.localhost) occ config:system:set allow_local_remote_servers --type=boolean --value=true ;;
esac

# --- user_oidc -----------------------------------------------------------------------------------

if occ app:getpath user_oidc >/dev/null 2>&1; then
  occ app:enable user_oidc
else
  occ app:install user_oidc
fi

# The secret stays off the command line where this user_oidc version can read it from the environment.
if occ user_oidc:provider --help | grep -q -- '--clientsecret-env'; then
  secret_option=--clientsecret-env=NEXTCLOUD_OIDC_CLIENT_SECRET
else
  secret_option=--clientsecret=$NEXTCLOUD_OIDC_CLIENT_SECRET
fi

# sub (the VoiceAssist user id) is the Nextcloud user id as it is, not hashed with the provider
# (--unique-uid=0): the account VoiceAssist provisioned is the one signed into. Only the "admin"
# group follows the groups claim; other group memberships are Nextcloud's own.
occ user_oidc:provider "$PROVIDER" \
  --clientid="$NEXTCLOUD_OIDC_CLIENT_ID" \
  "$secret_option" \
  --discoveryuri="$issuer/.well-known/openid-configuration" \
  --scope="openid email profile groups" \
  --unique-uid=0 \
  --mapping-uid=sub \
  --mapping-email=email \
  --mapping-display-name=name \
  --mapping-groups=groups \
  --group-provisioning=1 \
  --group-whitelist-regex='/^admin$/' \
  --send-id-token-hint=1 \
  --check-bearer=0

# Claims come from userinfo too (groups is a scope claim); accounts are VoiceAssist's: user_oidc
# signs into the one VoiceAssist provisioned and never creates one of its own.
occ config:system:set user_oidc enrich_login_id_token_with_userinfo --type=boolean --value=true
occ config:system:set user_oidc auto_provision --type=boolean --value=true
occ config:system:set user_oidc soft_auto_provision --type=boolean --value=true
occ config:system:set user_oidc disable_account_creation --type=boolean --value=true

# No Nextcloud passwords: no "set your password" mail for provisioned accounts, and "Forgot
# password?" leads to VoiceAssist's own reset.
occ config:app:set core newUser.sendEmail --value=no
occ config:system:set lost_password_link --value="https://app.$domain/forgot-password"

# SSO only: the login page sends everyone to VoiceAssist; the local admin keeps /login?direct=1.
if [ "${NEXTCLOUD_SSO_ONLY:-true}" = true ]; then
  occ config:app:set --type=string --value=0 user_oidc allow_multiple_user_backends
else
  occ config:app:set --type=string --value=1 user_oidc allow_multiple_user_backends
fi

say "provider $PROVIDER configured against $issuer"
say "redirect URI:            $cloud/apps/user_oidc/code"
say "back-channel logout URI: $cloud/apps/user_oidc/backchannel-logout/$PROVIDER"
say "post-logout redirect:    $cloud/"
