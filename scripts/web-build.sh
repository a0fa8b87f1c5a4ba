#!/usr/bin/env bash
# Rebuild the studio's editor bundle, src/staffpath/web/static/vendor/editor.js, from web/:
# CodeMirror 6 at the versions pinned in web/package-lock.json, bundled and minified by esbuild.
# The bundle is committed, so installing and running staffpath never needs Node; run this
# after changing web/editor.js, web/schema-complete.js or a version in web/package.json
# (then `npm install` in web/ first, to rewrite the lock). The licences of the bundled
# packages go beside it, in editor.js.LICENSE.txt.
# Needs Node 20+ and npm.
set -euo pipefail
cd "$(dirname "$0")/../web"
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
out=../src/staffpath/web/static/vendor/editor.js
mkdir -p "$(dirname "$out")"
npx --no-install esbuild editor.js \
  --bundle --minify --format=iife --target=es2020 --legal-comments=none \
  --banner:js="/* staffpath editor: CodeMirror 6 and its parts (MIT); notices in editor.js.LICENSE.txt */" \
  --log-level=warning --metafile=node_modules/.editor-meta.json --outfile="$out"
node licenses.js node_modules/.editor-meta.json "$out.LICENSE.txt"
# Addresses stay out of the repository: the lock must not name a registry.
if grep -q '://' package-lock.json; then
  echo "scripts/web-build.sh: web/package-lock.json names a registry; keep omit-lockfile-registry-resolved in web/.npmrc" >&2
  exit 1
fi
echo "wrote src/staffpath/web/static/vendor/editor.js ($(wc -c <"$out") bytes, $(gzip -9c "$out" | wc -c) gzipped)"
