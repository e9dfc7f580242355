#!/bin/bash
# Keycloak's entrypoint in the compose stack: the realm import (orderflow-realm.json) names each client secret by a
# placeholder that Keycloak resolves from the environment; the secrets themselves are files under /run/secrets
# (make-secrets.sh), so they are read into the environment here, inside the container, and never appear in
# compose.yaml. Development mode: plain HTTP, no hostname checks, its own file database inside the container.
set -euo pipefail

export KC_BOOTSTRAP_ADMIN_USERNAME=admin
KC_BOOTSTRAP_ADMIN_PASSWORD="$(< /run/secrets/keycloak_admin_password)"
ORDERFLOW_OPERATOR_CLIENT_SECRET="$(< /run/secrets/oidc_operator_client_secret)"
ORDERFLOW_SHOP_CLIENT_SECRET="$(< /run/secrets/oidc_shop_client_secret)"
ORDERFLOW_METRICS_CLIENT_SECRET="$(< /run/secrets/oidc_metrics_client_secret)"
export KC_BOOTSTRAP_ADMIN_PASSWORD ORDERFLOW_OPERATOR_CLIENT_SECRET ORDERFLOW_SHOP_CLIENT_SECRET \
    ORDERFLOW_METRICS_CLIENT_SECRET

# The same port inside the network and on the host: tokens name http://keycloak:8180/realms/orderflow as their
# issuer wherever they were asked for, which is what orderflow checks (ORDERFLOW_OIDC_ISSUER_URI).
exec /opt/keycloak/bin/kc.sh start-dev --import-realm --http-port=8180
