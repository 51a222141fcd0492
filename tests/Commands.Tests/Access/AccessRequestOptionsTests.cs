using System.ComponentModel.DataAnnotations;
using PscaleBot.Commands.Access;

namespace PscaleBot.Commands.Tests.Access;

public sealed class AccessRequestOptionsTests
{
    [Fact]
    public void Retry_delays_double_from_the_initial_delay_and_stop_at_the_maximum()
    {
        var options = new AccessRequestOptions { RevokeRetryInitialDelay = TimeSpan.FromSeconds(30), RevokeRetryMaxDelay = TimeSpan.FromMinutes(3) };
        Assert.Equal(
            [30, 60, 120, 180, 180],
            Enumerable.Range(1, 5).Select(n => (int)options.RetryDelay(n).TotalSeconds));
        Assert.Equal(TimeSpan.FromMinutes(3), options.RetryDelay(500));
    }

    [Fact]
    public void Defaults_are_valid()
    {
        Assert.Empty(Validate(new AccessRequestOptions()));
    }

    [Fact]
    public void Nonsense_settings_are_named_in_the_errors()
    {
        Assert.Contains("AccessRequests:StorePath", Assert.Single(Validate(new AccessRequestOptions { StorePath = "" })).ErrorMessage, StringComparison.Ordinal);
        var errors = Validate(new AccessRequestOptions
        {
            ReminderLeadTime = TimeSpan.FromMinutes(-1),
            RevokeRetryInitialDelay = TimeSpan.FromMinutes(5),
            RevokeRetryMaxDelay = TimeSpan.FromMinutes(1),
            ReconcileInterval = TimeSpan.Zero,
        });
        var text = string.Join("\n", errors.Select(e => e.ErrorMessage));
        Assert.Contains("ReminderLeadTime", text, StringComparison.Ordinal);
        Assert.Contains("RevokeRetryMaxDelay", text, StringComparison.Ordinal);
        Assert.Contains("ReconcileInterval", text, StringComparison.Ordinal);
    }

    private static List<ValidationResult> Validate(AccessRequestOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
