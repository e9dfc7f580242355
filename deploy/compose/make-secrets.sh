#!/usr/bin/env bash
# Makes the compose stack's secrets under deploy/compose/secrets (ignored by git): random passwords, client secrets
# and the personal data master key, one file each, without a trailing newline. Existing files are kept, so the
# stack's database and its encrypted personal data stay readable; delete a file to make a new one (and, for the
# database passwords and the master key, the volumes with it: docker compose down -v).
#
#   deploy/compose/make-secrets.sh
set -euo pipefail

dir="$(cd "$(dirname "$0")" && pwd)/secrets"
mkdir -p "$dir"
# Only the owner may list or enter the folder; the files themselves are readable by the containers' users
# (compose mounts them with their mode, and the images run as users of their own).
chmod 700 "$dir"

make() {
    local name="$1" command="$2"
    if [[ -s "$dir/$name" ]]; then
        echo "kept    $name"
        return
    fi
    (umask 022; eval "$command" | tr -d '\n' > "$dir/$name")
    echo "made    $name"
}

make postgres_superuser_password  'openssl rand -hex 24'
make db_owner_password            'openssl rand -hex 24'
make db_app_password              'openssl rand -hex 24'
make db_connect_password          'openssl rand -hex 24'
# 32 random bytes, base64: wraps every customer's data key (ADR 0032). Losing it loses the personal data.
make personal_data_master_key     'openssl rand -base64 32'
make keycloak_admin_password      'openssl rand -hex 16'
make oidc_operator_client_secret  'openssl rand -hex 32'
make oidc_shop_client_secret      'openssl rand -hex 32'
make oidc_metrics_client_secret   'openssl rand -hex 32'
make grafana_admin_password       'openssl rand -hex 16'
