using Microsoft.Extensions.Options;
using OmniChannel.Core.Handoffs;

namespace OmniChannel.Azure;

/// <summary>The Functions app's startup check: every hand-off endpoint and secret is set (Key Vault references in Azure).</summary>
internal sealed class HandoffOptionsValidation : IValidateOptions<HandoffOptions>
{
    public ValidateOptionsResult Validate(string? name, HandoffOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var missing = options.Missing();
        return missing.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Notifications and refunds would go nowhere: set {string.Join(", ", missing)} (app settings {string.Join(", ", missing.Select(setting => setting.Replace(":", "__", StringComparison.Ordinal)))}).");
    }
}
