using System.Reflection;
using System.Text.Json;
using PscaleBot.Commands.PlanetScale.Api;
using Refit;

namespace PscaleBot.Commands.Tests.PlanetScale;

public sealed class PlanetScaleJsonTests
{
    public static TheoryData<string, Type> WireTypes()
    {
        var data = new TheoryData<string, Type>();
        foreach (var method in typeof(IPlanetScaleApi).GetMethods())
        {
            if (method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>))
            {
                data.Add(method.Name, method.ReturnType.GetGenericArguments()[0]);
            }

            foreach (var body in method.GetParameters().Where(p => p.GetCustomAttribute<BodyAttribute>() is not null))
            {
                data.Add(method.Name, body.ParameterType);
            }
        }

        data.Add("error body", typeof(PlanetScaleErrorBody));
        return data;
    }

    [Theory]
    [MemberData(nameof(WireTypes))]
    public void Every_type_the_client_reads_or_writes_is_generated_at_compile_time(string use, Type type)
    {
        // The options have no reflection resolver behind the generated one: a type missing here would fail at run time.
        Assert.True(PlanetScaleJson.Options.TryGetTypeInfo(type, out _), $"{type.Name} ({use}) is not in PlanetScaleJsonContext");
    }

    [Fact]
    public void Names_are_snake_case_and_nulls_are_left_out_of_requests()
    {
        var json = JsonSerializer.Serialize(new CreateServiceTokenRequest("ci deploy", null), PlanetScaleJson.Options);
        Assert.Equal("""{"name":"ci deploy"}""", json);

        // Read case-insensitively, numbers from strings too (the web defaults the reflection options had).
        var token = JsonSerializer.Deserialize<ServiceTokenDto>("""{"ID":"t1","display_name":"ci","expires_at":null}""", PlanetScaleJson.Options)!;
        Assert.Equal(("t1", "ci"), (token.Id, token.DisplayName));
        var request = JsonSerializer.Deserialize<CreateServiceTokenRequest>("""{"ttl":"3600"}""", PlanetScaleJson.Options)!;
        Assert.Equal(3600, request.Ttl);
    }
}
