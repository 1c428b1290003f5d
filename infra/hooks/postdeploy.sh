#!/bin/sh
# azd postdeploy hook: create the Event Grid event subscriptions once the function code exists.
# Event Grid validates an AzureFunction destination when the subscription is created, so the first
# provision (before `azd deploy`) runs with deployEventSubscriptions=false; this hook runs the second one.
set -eu

if [ "${AUTOPILOT_EVENT_SUBSCRIPTIONS:-false}" = "true" ]; then
  echo "Event Grid event subscriptions already provisioned (AUTOPILOT_EVENT_SUBSCRIPTIONS=true)."
  exit 0
fi

echo "Function code deployed: provisioning the Event Grid event subscriptions (second pass)."
azd env set AUTOPILOT_EVENT_SUBSCRIPTIONS true
azd provision --no-prompt
