#!/bin/sh
# azd predown hook (before azd down: removes our event subscriptions from adopted topics and the role on a hub DNS group).
# The logic is infra/hooks/outside-deployment.cjs (Node.js, shared with predown.ps1); idempotent, writes nothing
# to the azd environment, never runs azd provision.
set -eu
exec node "$(dirname "$0")/outside-deployment.cjs" predown
