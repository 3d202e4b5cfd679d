#!/usr/bin/env bash
# Builds the FerretDB server pinned in tools/ferretdb/go.mod into .cache/ferretdb/<version>/ferretdb
# (or $FERRETDB_HOME/<version>/ferretdb) and prints the binary's path. Skips the build when it is there.
#
# Why not `go install github.com/FerretDB/FerretDB/cmd/ferretdb@vX`: that binary panics at start-up
# because FerretDB embeds a generated build/version/version.txt that the published module lacks.
# So we vendor the pinned module, write that one file, and build from the vendored tree. Go's module
# and build caches make every run after the first take seconds.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=$(awk '$1 == "github.com/FerretDB/FerretDB" { print $2 }' "$root/tools/ferretdb/go.mod")
[ -n "$version" ] || { echo "install-ferretdb: no FerretDB version in tools/ferretdb/go.mod" >&2; exit 1; }
home=${FERRETDB_HOME:-$root/.cache/ferretdb}
bin="$home/$version/ferretdb"

# Not `… | grep -q`: grep exiting early would SIGPIPE the binary and fail the pipeline under pipefail.
reports_version() { [ -x "$1" ] && [ "$("$1" --version 2>/dev/null | head -n 1)" = "version: $version" ]; }

if reports_version "$bin"; then
  echo "$bin"
  exit 0
fi

go_needed=$(awk '$1 == "go" { print $2 }' "$root/tools/ferretdb/go.mod")
command -v go >/dev/null || { echo "install-ferretdb: Go $go_needed or later is needed to build FerretDB $version (https://go.dev/dl/)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$root/tools/ferretdb/go.mod" "$root/tools/ferretdb/go.sum" "$work/"
echo "install-ferretdb: building FerretDB $version (first time only; takes a minute or two)" >&2
(
  cd "$work"
  go mod vendor || {
    echo "install-ferretdb: could not fetch FerretDB $version's Go modules: the build needs the Go module proxy ($(go env GOPROXY)) or a module cache that holds them" >&2
    exit 1
  }
  echo "$version" > vendor/github.com/FerretDB/FerretDB/build/version/version.txt
  mkdir -p "$home/$version"
  go build -mod=vendor -trimpath -o "$bin.$$.tmp" github.com/FerretDB/FerretDB/cmd/ferretdb
) >&2
mv "$bin.$$.tmp" "$bin"
reports_version "$bin" || { echo "install-ferretdb: built binary does not report $version" >&2; exit 1; }
echo "$bin"
