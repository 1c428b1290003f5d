# azd postdeploy hook: create the Event Grid event subscriptions once the function code exists.
# Event Grid validates an AzureFunction destination when the subscription is created, so the first
# provision (before `azd deploy`) runs with deployEventSubscriptions=false; this hook runs the second one.
$ErrorActionPreference = 'Stop'

if ($env:AUTOPILOT_EVENT_SUBSCRIPTIONS -eq 'true') {
  Write-Host 'Event Grid event subscriptions already provisioned (AUTOPILOT_EVENT_SUBSCRIPTIONS=true).'
  exit 0
}

Write-Host 'Function code deployed: provisioning the Event Grid event subscriptions (second pass).'
azd env set AUTOPILOT_EVENT_SUBSCRIPTIONS true
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
azd provision --no-prompt
exit $LASTEXITCODE
