#!/bin/sh
# azd postprovision hook (after every provision: the private DNS zones group, the role on a hub DNS group, and the event subscriptions when the code is already deployed).
# The logic is infra/hooks/outside-deployment.cjs (Node.js, shared with postprovision.ps1); idempotent, writes nothing
# to the azd environment, never runs azd provision.
set -eu
exec node "$(dirname "$0")/outside-deployment.cjs" postprovision
