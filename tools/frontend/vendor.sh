#!/bin/sh
# Copies the front-end dependencies, pinned by package-lock.json, from
# node_modules into the directories the Go packages embed:
#   explorer/static/vendor  Cytoscape.js and the fCoSE layout (with its two
#                           libraries), for the explorer;
#   api/graphiql            GraphiQL and React, for the page at /.
# Re-run it after changing a pinned version: ./tools/frontend/vendor.sh
# (npm ci installs exactly what the lock file names; nothing else is fetched).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$here"
npm ci --no-audit --no-fund --ignore-scripts --silent

version() { node -p "require('./node_modules/$1/package.json').version"; }
licence() { node -p "require('./node_modules/$1/package.json').license"; }

# copy PACKAGE FILE DEST-DIR [NAME]: one file of a package, and its licence
# as NAME.LICENSE beside it; prints the table row for the README.
copy() {
	pkg=$1 file=$2 dest=$3 name=${4:-$(basename "$2")}
	cp "node_modules/$pkg/$file" "$dest/$name"
	cp "node_modules/$pkg/LICENSE" "$dest/${name%.js}.LICENSE"
	printf '| `%s` | [%s](https://www.npmjs.com/package/%s) (`%s`) | %s | %s (`%s`) |\n' \
		"$name" "$pkg" "$pkg" "$file" "$(version "$pkg")" "$(licence "$pkg")" "${name%.js}.LICENSE"
}

readme() {
	cat <<README
# Vendored front-end code

Copied from node_modules by \`tools/frontend/vendor.sh\`; do not edit by hand.
The versions are pinned by \`tools/frontend/package.json\` and \`tools/frontend/package-lock.json\`.

| File | npm package | Version | Licence |
|---|---|---|---|
README
}

explorer="$root/explorer/static/vendor"
rm -rf "$explorer" && mkdir -p "$explorer"
{
	readme
	copy cytoscape dist/cytoscape.min.js "$explorer"
	copy layout-base layout-base.js "$explorer"
	copy cose-base cose-base.js "$explorer"
	copy cytoscape-fcose cytoscape-fcose.js "$explorer"
} > "$explorer/README.md.tmp"
mv "$explorer/README.md.tmp" "$explorer/README.md"

graphiql="$root/api/graphiql/vendor"
rm -rf "$graphiql" && mkdir -p "$graphiql"
{
	readme
	copy react umd/react.production.min.js "$graphiql"
	copy react-dom umd/react-dom.production.min.js "$graphiql"
	copy graphiql graphiql.min.js "$graphiql"
	cp node_modules/graphiql/graphiql.min.css "$graphiql/graphiql.min.css"
	printf '| `graphiql.min.css` | [graphiql](https://www.npmjs.com/package/graphiql) (`graphiql.min.css`) | %s | %s (`graphiql.min.LICENSE`) |\n' \
		"$(version graphiql)" "$(licence graphiql)"
} > "$graphiql/README.md.tmp"
mv "$graphiql/README.md.tmp" "$graphiql/README.md"
echo "vendored: cytoscape $(version cytoscape), cytoscape-fcose $(version cytoscape-fcose), graphiql $(version graphiql), react $(version react)"
