#!/bin/sh
# azd postdeploy hook (after every code deployment: the same, and the event subscriptions once the function is listed).
# The logic is infra/hooks/outside-deployment.cjs (Node.js, shared with postdeploy.ps1); idempotent, writes nothing
# to the azd environment, never runs azd provision.
set -eu
exec node "$(dirname "$0")/outside-deployment.cjs" postdeploy
