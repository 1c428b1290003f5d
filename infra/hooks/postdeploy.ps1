# azd postdeploy hook (after every code deployment: the same, and the event subscriptions once the function is listed).
# The logic is infra/hooks/outside-deployment.cjs (Node.js, shared with postdeploy.sh); idempotent, writes nothing
# to the azd environment, never runs azd provision.
$ErrorActionPreference = 'Stop'
node (Join-Path $PSScriptRoot 'outside-deployment.cjs') postdeploy
exit $LASTEXITCODE
