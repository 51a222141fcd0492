#!/usr/bin/env bash
# Load benchmark of pscale-bot against a hand-written Bolt-js peer (and, optionally, an earlier build of the bot),
# every server a real process against the standalone PlanetScale sandbox. Prints markdown tables for docs/benchmarks.md
# and keeps a copy in bench/.out/. Not part of `dotnet test` or CI. See docs/benchmarks.md, "Load".
#
#   bash bench/run.sh                               # the current tree and the Bolt peer, every workload, full size
#   bash bench/run.sh --quick                       # steady 10 s, storm 1,000 grants for at most 3 minutes
#   bash bench/run.sh --baseline 226887d --quick    # also a bot built from that git ref, alternated with the current one
#   bash bench/run.sh --workloads startup,burst --rounds 3
#   bash bench/run.sh --replicas 2 --quick          # each bot as 2 processes on a throwaway PostgreSQL 15 cluster
#
# Own options: --baseline <ref>, --no-current (only the baseline and the peer), --no-bolt.
# Every other option goes to the driver (`dotnet run --project tests/Benchmarks -- load` prints them on a bad one).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/bench/.out"
baseline=""
current=1
bolt=1
pass=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --baseline) baseline="${2:?--baseline needs a git ref, e.g. 226887d}"; shift 2 ;;
    --no-current) current=0; shift ;;
    --no-bolt) bolt=0; shift ;;
    *) pass+=("$1"); shift ;;
  esac
done

for tool in dotnet git; do
  command -v "$tool" >/dev/null || { echo "bench/run.sh needs $tool on the PATH." >&2; exit 1; }
done
if [[ $bolt -eq 1 ]] && ! command -v npm >/dev/null; then
  echo "bench/run.sh needs node and npm for the Bolt-js peer (or pass --no-bolt)." >&2; exit 1
fi

mkdir -p "$out"
servers=()
echo "Building (Release)…" >&2
dotnet publish "$root/src/Sandbox" -c Release -o "$out/sandbox" --nologo -v quiet >&2
dotnet build "$root/tests/Benchmarks" -c Release --nologo -v quiet >&2
if [[ $current -eq 1 ]]; then
  dotnet publish "$root/src/Bot" -c Release -o "$out/bot-current" --nologo -v quiet >&2
  servers+=(--bot "current=$out/bot-current")
fi

if [[ -n "$baseline" ]]; then
  sha="$(git -C "$root" rev-parse --short "$baseline^{commit}")"
  if [[ ! -f "$out/bot-$sha/PscaleBot.Bot.dll" ]]; then
    tree="$(mktemp -d)/pscale-bot-$sha"
    cleanup() { git -C "$root" worktree remove --force "$tree" >/dev/null 2>&1 || true; }
    trap cleanup EXIT
    git -C "$root" worktree add -q --detach "$tree" "$sha" >/dev/null 2>&1
    echo "Publishing the baseline bot at $sha…" >&2
    dotnet publish "$tree/src/Bot" -c Release -o "$out/bot-$sha" --nologo -v quiet >&2
    cleanup
  fi
  servers+=(--bot "base-$sha=$out/bot-$sha")
fi

if [[ $bolt -eq 1 ]]; then
  echo "Installing the Bolt-js peer (npm ci)…" >&2
  (cd "$root/bench/bolt-peer" && npm ci --no-audit --no-fund --loglevel=error >&2)
  servers+=(--bolt "bolt-js=$root/bench/bolt-peer")
fi

if [[ ${#servers[@]} -eq 0 ]]; then
  echo "Nothing to measure: --no-current and --no-bolt without --baseline." >&2; exit 2
fi

report="$out/results-$(date -u +%Y%m%dT%H%M%SZ).md"
{
  echo "Machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  dotnet "$root/tests/Benchmarks/bin/Release/net10.0/PscaleBot.Benchmarks.dll" load \
    --sandbox "$out/sandbox/PscaleBot.Sandbox.dll" "${servers[@]}" "${pass[@]}"
} | tee "$report"
echo "Saved to $report" >&2
