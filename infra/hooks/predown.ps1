# azd predown hook (before azd down: removes our event subscriptions from adopted topics and the role on a hub DNS group).
# The logic is infra/hooks/outside-deployment.cjs (Node.js, shared with predown.sh); idempotent, writes nothing
# to the azd environment, never runs azd provision.
$ErrorActionPreference = 'Stop'
node (Join-Path $PSScriptRoot 'outside-deployment.cjs') predown
exit $LASTEXITCODE
