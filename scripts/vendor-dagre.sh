#!/usr/bin/env bash
# Regenerates third_party/dagre/ (the console's graph layout) from the npm registry: the pinned
# version's minified browser build (it bundles @dagrejs/graphlib) and its licence.
set -euo pipefail
version="${1:-3.1.4}"
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@dagrejs/dagre@$version" >/dev/null && tar xzf dagrejs-dagre-"$version".tgz)
cp "$work/package/dist/dagre.min.js" third_party/dagre/dagre.min.js
cp "$work/package/LICENSE" third_party/dagre/LICENSE
cat >third_party/dagre/README.md <<README
# @dagrejs/dagre $version (MIT)
Directed-graph layout for the console's state machine graphs: \`dist/dagre.min.js\` of the npm
package (bundles @dagrejs/graphlib; $(wc -c <third_party/dagre/dagre.min.js) bytes, $(gzip -c third_party/dagre/dagre.min.js | wc -c) gzipped).
Regenerate with \`scripts/vendor-dagre.sh [VERSION]\`; compiled into the binary by CMakeLists.txt.
README
