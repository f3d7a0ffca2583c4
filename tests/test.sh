#!/usr/bin/env bash
# The whole test suite (npm test): the .NET tests and the node gates' own tests side by side, since the .NET run
# leaves a core idle while its slowest assembly finishes. Each output is printed whole; the suite fails if either does.
set -u
cd "$(dirname "$0")/.."
node_log="$(mktemp)"
trap 'rm -f "$node_log"' EXIT

node --test --test-concurrency=2 tests/policy-gates/ tests/deploy-gate/ tests/rehearsal/ >"$node_log" 2>&1 &
node_pid=$!
dotnet test Pipeline.sln
dotnet_status=$?
wait "$node_pid"
node_status=$?
cat "$node_log"
[ "$dotnet_status" -eq 0 ] && [ "$node_status" -eq 0 ]
