#!/usr/bin/env bash
# npm run cost [-- -c key=value …]: synthesizes each preset with the given context and prints the cost report.
# Every -c/--context pair goes to every synth; an explicit -c profile=<name> reports that one profile only.
# The synths' and the build's output (bundling lines, "Supply a stack id") go to a log, shown only when a step fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
context=()
profiles=(sandbox production)
while [ $# -gt 0 ]; do
  case "$1" in
    -c|--context) [ $# -ge 2 ] || { echo "cost: $1 needs a key=value" >&2; exit 2; }; pair="$2"; shift 2 ;;
    -c=*|--context=*) pair="${1#*=}"; shift ;;
    *) echo "cost: unknown argument '$1' (use -c key=value)" >&2; exit 2 ;;
  esac
  if [ "${pair%%=*}" = profile ]; then profiles=("${pair#*=}"); else context+=(-c "$pair"); fi
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log="$work/cost.log"
run() { "$@" >>"$log" 2>&1 || { status=$?; cat "$log" >&2; echo "cost: failed ($status): $*" >&2; exit "$status"; }; }
pairs=()
for profile in "${profiles[@]}"; do
  run npx cdk synth -q -c "profile=$profile" "${context[@]}" -o "$work/cdk.out.$profile"
  pairs+=("$profile=$work/cdk.out.$profile")
done
run dotnet build src/Pipeline.Reports -v q
dotnet run --no-build --project src/Pipeline.Reports -- cost "${pairs[@]}"
