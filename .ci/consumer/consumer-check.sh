#!/usr/bin/env bash
# Packs the compiled library and builds a consumer app against the tarball, as a user would: the app
# compiles with skipLibCheck: false (so every published .d.ts must only reference packages a consumer
# has: aws-cdk-lib, constructs, cdk-nag, @types/node as in `cdk init`) and synthesizes a stack with each construct. Runs against
# the aws-cdk-lib floor (2.257.0) and the newest aws-cdk-lib in the registry.
#
# Usage: .ci/consumer/consumer-check.sh [aws-cdk-lib version ...]   (needs lib/: run `npx projen compile` first)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
[ -f "$root/lib/index.d.ts" ] || { echo "consumer-check: lib/ is missing; run 'npx projen compile' first" >&2; exit 1; }
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=("2.257.0" "$(npm view aws-cdk-lib version)")

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tarball="$(cd "$root" && npm pack --silent --pack-destination "$work" | tail -1)"
echo "consumer-check: packed $tarball"

for version in "${versions[@]}"; do
  app="$work/app-$version"
  mkdir -p "$app"
  cp "$root/.ci/consumer/app.ts" "$app/app.ts"
  cat > "$app/package.json" <<JSON
{ "name": "consumer-app", "private": true, "version": "0.0.0" }
JSON
  cat > "$app/tsconfig.json" <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "commonjs", "strict": true, "skipLibCheck": false,
  "types": ["node"], "outDir": "out" }, "files": ["app.ts"] }
JSON
  echo "consumer-check: aws-cdk-lib@$version"
  (cd "$app" && npm install --no-audit --no-fund --silent "$work/$tarball" "aws-cdk-lib@$version" constructs@^10 cdk-nag@^3 typescript@~5.9 @types/node@^20 >/dev/null)
  # Only what a `cdk init` app has: a .d.ts that needs anything else (@types/aws-lambda, the AWS SDK) fails here.
  if ! (cd "$app" && npx --no-install tsc -p tsconfig.json); then
    echo "consumer-check: FAILED with aws-cdk-lib@$version: the published .d.ts files do not compile for a consumer (skipLibCheck: false); see above" >&2
    exit 1
  fi
  if ! (cd "$app" && node out/app.js); then
    echo "consumer-check: FAILED with aws-cdk-lib@$version: the consumer app did not synthesize; see above" >&2
    exit 1
  fi
done
echo "consumer-check: passed for aws-cdk-lib ${versions[*]}"
