#!/bin/sh
# `docker compose --profile demo up`: a few demo applicants through the public API, once.
set -eu
api="${GATEWAY_URL:-http://gateway:3000}/api/v1"
if curl -fsS "$api/applicants?limit=1" | grep -q '"id"'; then
  echo "demo data already there; nothing to seed"
  exit 0
fi
post() {
  curl -fsS -XPOST "$api/applicants" -H 'content-type: application/json' -d "$1" >/dev/null
}
post '{"firstName":"Aisha","lastName":"Khan","phones":["050 123 4567"]}'
post '{"firstName":"Omar","lastName":"Haddad","phones":["+971 55 000 1111"]}'
post '{"firstName":"Layla","lastName":"Nasser","phones":["052 987 6543"]}'
echo "seeded 3 demo applicants"
