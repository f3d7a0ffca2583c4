#!/usr/bin/env bash
# The whole test suite (npm test), from a fresh clone: the pinned npm tools are installed (npm ci) while the solution
# builds, then the .NET test assemblies run on two workers with the node gates' own tests beside them. Workers, not
# `dotnet test Pipeline.sln`: MSBuild keeps each project on the node that first built it, so a slow assembly there held
# up the build of every project queued behind it. Each output is printed whole; the suite fails if any part does.
set -u
cd "$(dirname "$0")/.."
logs="$(mktemp -d)"
# The build's compiler server (Directory.Build.props) would outlive the suite by ten idle minutes.
trap 'rm -rf "$logs"; dotnet build-server shutdown --vbcscompiler >/dev/null 2>&1' EXIT

# npm writes node_modules/.package-lock.json last: newer than package.json and the lockfile, the install matches them.
npm_pid=
if ! { [ node_modules/.package-lock.json -nt package-lock.json ] && [ node_modules/.package-lock.json -nt package.json ]; }; then
  npm ci --no-audit --no-fund >"$logs/npm" 2>&1 &
  npm_pid=$!
fi

# Tiered PGO's instrumented tier costs the short-lived compiler server and MSBuild a third of the build's CPU (measured);
# set for the build only, so nothing the tests start inherits it.
DOTNET_TieredPGO=0 dotnet build Pipeline.sln
build_status=$?
if [ -n "$npm_pid" ] && ! wait "$npm_pid"; then
  cat "$logs/npm" >&2
  echo "npm ci failed: the gates and the local AWS servers need the pinned npm tools." >&2
  exit 1
fi
[ "$build_status" -eq 0 ] || exit 1

node --test --test-concurrency=2 tests/policy-gates/ tests/deploy-gate/ tests/rehearsal/ >"$logs/node" 2>&1 &
node_pid=$!

# Two workers take the test assemblies from one queue, longest first (measured): the start-up assemblies publish and
# start Lambda packages under emulation, Infra synthesizes both presets and runs the gates. Whichever worker is free
# takes the next one, so the two finish close together however the machine's speed varies.
queue=(tests/Pipeline.Training.Tests tests/Pipeline.Infra.Tests tests/Pipeline.Producer.Tests tests/Pipeline.Transform.Tests)
for project in tests/*.Tests; do
  [[ " ${queue[*]} " == *" $project "* ]] || queue+=("$project")
done
echo 0 >"$logs/next"

worker() {
  local status=0 i assembly
  while true; do
    { flock 9; i=$(cat "$logs/next"); echo $((i + 1)) >"$logs/next"; } 9>"$logs/lock"
    [ "$i" -lt "${#queue[@]}" ] || break
    # The built assembly itself: `dotnet test <project>` would evaluate the project with MSBuild first, for nothing.
    assembly="${queue[$i]}/bin/Debug/net10.0/$(basename "${queue[$i]}").dll"
    [ -f "$assembly" ] || assembly="${queue[$i]}"
    dotnet test "$assembly" >"$logs/test-$i" 2>&1 || status=1
  done
  return "$status"
}

worker &
worker_pid=$!
worker
dotnet_status=$?
wait "$worker_pid" || dotnet_status=1
for i in "${!queue[@]}"; do
  cat "$logs/test-$i"
done

wait "$node_pid"
node_status=$?
cat "$logs/node"
[ "$dotnet_status" -eq 0 ] && [ "$node_status" -eq 0 ]
