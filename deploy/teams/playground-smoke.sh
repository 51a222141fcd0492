#!/usr/bin/env bash
# Smoke check of the Teams layer against the Microsoft 365 Agents Playground, headless and offline:
# starts the bot in Playground development mode (embedded sandbox, Teams:AllowUnauthenticatedLoopback),
# starts the Playground (npm, pinned 0.2.28) with a fixed config, sends one 1:1 message ("whoami")
# through the Playground's REST API, and waits until the bot's card reply shows up in the Playground's log.
# Optional developer tool: needs npm and dotnet; CI does not run it. Exit 0 = the bot answered.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pscale-playground-XXXXXX")
BOT_PORT=${BOT_PORT:-3978}
PG_PORT=56150                       # the Playground's fixed port
PG_VERSION=0.2.28                   # its REST API is undocumented: keep it pinned
TENANT=00000000-0000-0000-0000-0000000000f1
USER_AAD=00000000-0000-0000-0000-0000000000a1
CHAT=a:personal-smoke
BOT_PID=""
PG_PID=""

cleanup() {
  # Each was started in its own process group (set -m), so npx's node and dotnet run's app go too.
  [ -n "$PG_PID" ] && kill -- "-$PG_PID" 2>/dev/null || true
  [ -n "$BOT_PID" ] && kill -- "-$BOT_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  echo "logs kept in $WORK"
}
trap cleanup EXIT

user() { # id name aad
  printf '  - id: %s\n    name: %s\n    userPrincipleName: %s@example.com\n    aadObjectId: %s\n    givenName: %s\n    surname: Example\n    email: %s@example.com\n' "$1" "$2" "$1" "$3" "$2" "$1"
}

cat > "$WORK/.m365agentsplayground.yml" <<YAML
version: "0.1.1"
tenantId: $TENANT
bot:
  id: 00000000-0000-0000-0000-000000000b01
  name: pscale
currentUser:
  id: user-alice
  name: Alice
  userPrincipleName: alice@example.com
  aadObjectId: $USER_AAD
  givenName: Alice
  surname: Example
  email: alice@example.com
users:
$(user user-bob Bob 00000000-0000-0000-0000-0000000000b2)
$(user user-carol Carol 00000000-0000-0000-0000-0000000000c3)
$(user user-dan Dan 00000000-0000-0000-0000-0000000000d4)
$(user user-erin Erin 00000000-0000-0000-0000-0000000000e5)
$(user user-frank Frank 00000000-0000-0000-0000-0000000000f6)
personalChat:
  id: "$CHAT"
groupChat:
  id: "19:smoke-group@thread.v2"
  name: smoke
team:
  id: "19:general@thread.tacv2"
  name: Platform
  aadGroupId: 00000000-0000-0000-0000-0000000000aa
  channels:
    - id: "19:dbops@thread.tacv2"
      name: dbops
YAML

cat > "$WORK/policy.yaml" <<YAML
roles:
  viewer:
    commands: [list, show, show-access]
bindings:
  - where: direct
    who: teams:user:$USER_AAD
    roles: [viewer]
YAML

set -m # background jobs get their own process groups, so cleanup can stop their children
echo "building and starting the bot on 127.0.0.1:$BOT_PORT (Playground development mode)"
dotnet build "$ROOT/src/Bot" -v q -nologo > "$WORK/build.log"
(
  cd "$WORK"
  ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="http://127.0.0.1:$BOT_PORT" \
  Teams__Enabled=true Teams__AllowUnauthenticatedLoopback=true Teams__AllowedTenants__0="$TENANT" \
  Policy__Path="$WORK/policy.yaml" Audit__Path="$WORK/audit.db" AccessRequests__StorePath="$WORK/access.db" \
  exec dotnet run --no-build --no-launch-profile --project "$ROOT/src/Bot"
) > "$WORK/bot.log" 2>&1 &
BOT_PID=$!

echo "installing and starting the Agents Playground $PG_VERSION"
(cd "$WORK" && npm install --no-save --silent --no-audit --no-fund "@microsoft/m365agentsplayground@$PG_VERSION" > "$WORK/npm.log" 2>&1)
(
  cd "$WORK"
  TEAMSAPPTESTER_BROWSER=none exec npx --no-install agentsplayground start --disable-telemetry \
    -e "http://127.0.0.1:$BOT_PORT/api/messages" -c msteams
) > "$WORK/playground.log" 2>&1 &
PG_PID=$!

for _ in $(seq 1 60); do
  curl -sf "http://127.0.0.1:$PG_PORT/_debug/ping" > /dev/null 2>&1 && curl -s -o /dev/null "http://127.0.0.1:$BOT_PORT/healthz" && break
  sleep 1
done
curl -sf "http://127.0.0.1:$PG_PORT/_debug/ping" > /dev/null || { echo "the Playground did not start; see $WORK/playground.log"; exit 1; }

echo "sending 'whoami' in the 1:1 chat"
curl -sf -X POST "http://127.0.0.1:$PG_PORT/_conversation/v1/conversations/$CHAT/messages" \
  -H 'Content-Type: application/json' \
  -d '{"from":{"id":"user-alice"},"text":"whoami","textFormat":"plain"}' > /dev/null

LOG="$WORK/devTools/m365agentsplayground.log"
for _ in $(seq 1 30); do
  if [ -f "$LOG" ] && grep -q "Who you are here" "$LOG"; then
    echo "OK: the bot answered through the Playground with its whoami card"
    exit 0
  fi
  sleep 1
done
echo "FAILED: no answer from the bot within 30 s; see $WORK/bot.log and $LOG"
exit 1
