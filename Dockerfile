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
# Restores again: the ReadyToRun publish needs the runtime packs of the image's platform.
RUN dotnet publish src/Bot/PscaleBot.Bot.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# Orchestrators probe GET /healthz (alive) and GET /readyz (ready).
# The audit log, access-request store and sandbox state live here; mount a volume to keep them.
RUN mkdir -p /app/data && chown -R app:app /app/data
USER app
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production
EXPOSE 8080
ENTRYPOINT ["dotnet", "PscaleBot.Bot.dll"]
