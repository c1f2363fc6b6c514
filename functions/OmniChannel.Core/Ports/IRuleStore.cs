using OmniChannel.Core.Remarketing;

namespace OmniChannel.Core.Ports;

/// <summary>Marketing's remarketing rules, with ETags so two people editing one rule cannot overwrite each other unseen.</summary>
public interface IRuleStore
{
    Task<IReadOnlyList<Stored<RemarketingRule>>> ListAsync(CancellationToken cancellationToken);

    Task<Stored<RemarketingRule>?> GetAsync(string ruleId, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the rule when <paramref name="ifMatch"/> is null (throws <see cref="StorageConflictException"/> if it
    /// exists), replaces it when the ETag matches (<c>*</c> matches any), else throws <see cref="PreconditionFailedException"/>.
    /// Answers the new ETag.
    /// </summary>
    Task<string> SaveAsync(RemarketingRule rule, string? ifMatch, CancellationToken cancellationToken);

    /// <summary>Deletes the rule if <paramref name="ifMatch"/> (null: any version) matches; answers whether there was one.</summary>
    Task<bool> DeleteAsync(string ruleId, string? ifMatch, CancellationToken cancellationToken);
}

/// <summary>The resource changed since the caller read it (HTTP 412): read it again, then decide.</summary>
public sealed class PreconditionFailedException(string message) : Exception(message);
