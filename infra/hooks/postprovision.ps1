# azd postprovision hook (after every provision: the private DNS zones group, the role on a hub DNS group, and the event subscriptions when the code is already deployed).
# The logic is infra/hooks/outside-deployment.cjs (Node.js, shared with postprovision.sh); idempotent, writes nothing
# to the azd environment, never runs azd provision.
$ErrorActionPreference = 'Stop'
node (Join-Path $PSScriptRoot 'outside-deployment.cjs') postprovision
exit $LASTEXITCODE
