# Server image for pscale-bot (Slack HTTP / Socket Mode and Teams).
# Build:  docker build -t pscale-bot .
# Run:    docker run -p 8080:8080 -e PlanetScale__ServiceTokenId=… -e PlanetScale__ServiceToken=… \
#           -e PlanetScale__DefaultOrganization=acme -e Slack__Enabled=true -e Slack__SigningSecret=… \
#           -e Slack__BotToken=… -v pscale-bot-data:/app/data pscale-bot
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props PscaleBot.slnx ./
COPY src/Commands/PscaleBot.Commands.csproj src/Commands/
COPY src/Sandbox/PscaleBot.Sandbox.csproj src/Sandbox/
COPY src/Bot/PscaleBot.Bot.csproj src/Bot/
RUN dotnet restore src/Bot/PscaleBot.Bot.csproj
COPY appsettings*.json policy*.yaml ./
COPY src/ src/
# Restores again: the publish is self-contained, one composite ReadyToRun image of the bot and its runtime for the
# build machine's platform (see src/Bot/PscaleBot.Bot.csproj), so it needs that platform's runtime and Crossgen2 packs.
RUN dotnet publish src/Bot/PscaleBot.Bot.csproj -c Release -o /app

# The output carries its own .NET runtime: the base only needs the native libraries it runs on.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# Orchestrators probe GET /healthz (alive) and GET /readyz (ready).
# The audit log, access-request store and sandbox state live here; mount a volume to keep them.
RUN mkdir -p /app/data && chown -R app:app /app/data
USER app
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production
EXPOSE 8080
# The runtime image has no curl: bash's /dev/tcp asks GET /healthz on the container's own port (8080 above).
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["./PscaleBot.Bot"]
