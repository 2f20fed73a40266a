#!/bin/sh
# Copies the explorer's front-end dependencies, pinned by package-lock.json,
# from node_modules into static/vendor, where explorer.go embeds them.
# Re-run it after changing the pinned version: ./explorer/vendor.sh
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --silent
version=$(node -p 'require("./node_modules/cytoscape/package.json").version')
mkdir -p static/vendor
cp node_modules/cytoscape/dist/cytoscape.min.js static/vendor/cytoscape.min.js
cp node_modules/cytoscape/LICENSE static/vendor/cytoscape.LICENSE
cat > static/vendor/README.md <<README
# Vendored front-end code

Copied from node_modules by \`explorer/vendor.sh\`; do not edit by hand.

| File | npm package | Version | Licence |
|---|---|---|---|
| \`cytoscape.min.js\` | [cytoscape](https://www.npmjs.com/package/cytoscape) (\`dist/cytoscape.min.js\`) | ${version} | MIT (\`cytoscape.LICENSE\`) |

The version is pinned by \`explorer/package.json\` and \`explorer/package-lock.json\`.
README
echo "vendored cytoscape ${version}"
