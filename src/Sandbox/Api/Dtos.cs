namespace PscaleBot.Sandbox.Api;

/// <summary>A page of a list endpoint (planetscale-api.md §1.2).</summary>
/// <typeparam name="T">Item type.</typeparam>
internal sealed record ListEnvelope<T>(
    string Type,
    int CurrentPage,
    int PerPage,
    int? NextPage,
    string? NextPageUrl,
    int? PrevPage,
    string? PrevPageUrl,
    int TotalCount,
    int TotalPages,
    IReadOnlyList<T> Data);

/// <summary>The ServiceToken object (OpenAPI <c>ServiceToken</c> plus the fixtures' <c>type</c>).</summary>
internal sealed record ServiceTokenDto(
    string Id,
    string Type,
    string? Token,
    string? PlainTextRefreshToken,
    string? Name,
    string DisplayName,
    string AvatarUrl,
    string CreatedAt,
    string UpdatedAt,
    string? ExpiresAt,
    string? LastUsedAt,
    string? ActorId,
    string? ActorDisplayName,
    string? ActorType,
    IReadOnlyList<ServiceTokenAccessDto>? ServiceTokenAccesses,
    object? OauthAccessesByResource);

/// <summary>An item of <c>service_token_accesses</c> in the ServiceToken object.</summary>
internal sealed record ServiceTokenAccessDto(
    string Id,
    string Access,
    string Description,
    string ResourceName,
    string ResourceId,
    string ResourceType,
    AccessResourceDto Resource);

/// <summary>The <c>resource</c> of a <c>service_token_accesses</c> item.</summary>
internal sealed record AccessResourceDto(string Id, string Name, string CreatedAt, string UpdatedAt, string? DeletedAt);

/// <summary>A row of <c>GET/POST …/access</c> (planetscale-api.md §1.5.4).</summary>
internal sealed record AccessRowDto(string Id, string Type, string Access, AccessRowResourceDto Resource);

/// <summary>The <c>resource</c> of an access row.</summary>
internal sealed record AccessRowResourceDto(string Id, string Type, string Name, string CreatedAt, string UpdatedAt);

/// <summary>One resource's grant in <c>GET …/grants</c> (planetscale-api.md §1.5.5).</summary>
internal sealed record GrantDto(string Id, string Type, string ResourceName, string ResourceType, string ResourceId, IReadOnlyList<GrantAccessDto> Accesses);

/// <summary>An access inside a grant.</summary>
internal sealed record GrantAccessDto(string Access, string Description);

/// <summary>An organization (OpenAPI <c>list_organizations</c> item).</summary>
internal sealed record OrganizationDto(
    string Id,
    string Type,
    string Name,
    string BillingEmail,
    string CreatedAt,
    string UpdatedAt,
    string Plan,
    bool ValidBillingInfo,
    bool Sso,
    bool SsoDirectory,
    bool SingleTenancy,
    bool ManagedTenancy,
    bool? HasPastDueInvoices,
    int DatabaseCount,
    string? SsoPortalUrl,
    IReadOnlyDictionary<string, bool> Features,
    bool IdpManagedRoles,
    string InvoiceBudgetAmount,
    int KeyspaceShardLimit,
    bool HasCard,
    bool PaymentInfoRequired);

/// <summary>A database (OpenAPI <c>list_databases</c> item; the required fields with plausible values).</summary>
internal sealed record DatabaseDto(
    string Id,
    string Type,
    string Url,
    string BranchesUrl,
    int BranchesCount,
    int OpenSchemaRecommendationsCount,
    int DevelopmentBranchesCount,
    int ProductionBranchesCount,
    int? IssuesCount,
    bool MultipleAdminsRequiredForDeletion,
    bool Ready,
    bool AtBackupRestoreBranchesLimit,
    bool AtDevelopmentBranchUsageLimit,
    object? DataImport,
    RegionDto Region,
    string HtmlUrl,
    string Name,
    string State,
    bool Sharded,
    int DefaultBranchShardCount,
    int DefaultBranchReadOnlyRegionsCount,
    int DefaultBranchTableCount,
    string DefaultBranch,
    bool RequireApprovalForDeploy,
    bool DeletionProtected,
    bool Resizing,
    bool ResizeQueued,
    bool ConfigChanging,
    bool ConfigChangeQueued,
    bool AllowDataBranching,
    bool ForeignKeysEnabled,
    bool RestrictBranchRegion,
    bool InsightsRawQueries,
    string Plan,
    bool InsightsEnabled,
    bool ProductionBranchWebConsole,
    string? MigrationTableName,
    string? MigrationFramework,
    string CreatedAt,
    string UpdatedAt,
    string? SchemaLastUpdatedAt,
    string Kind);

/// <summary>A database's region.</summary>
internal sealed record RegionDto(
    string Id,
    string Provider,
    bool Enabled,
    IReadOnlyList<string> PublicIpAddresses,
    string DisplayName,
    string Location,
    string Slug,
    bool CurrentDefault,
    bool MysqlSupported,
    bool PostgresqlSupported);
