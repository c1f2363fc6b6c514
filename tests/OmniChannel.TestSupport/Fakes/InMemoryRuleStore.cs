using System.Globalization;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Remarketing;

namespace OmniChannel.TestSupport.Fakes;

/// <summary>
/// Marketing's rules in memory with the real store's ETag semantics: a create fails if the rule exists
/// (<see cref="StorageConflictException"/>), a replace or delete with an ETag that moved fails with
/// <see cref="PreconditionFailedException"/> (<c>*</c> matches any version, as does a null ETag on delete). Rules are
/// immutable records, so they are kept as given. Counts the reads, so a test can tell a cached answer from a fresh one.
/// </summary>
public sealed class InMemoryRuleStore : IRuleStore
{
    private readonly Dictionary<string, (RemarketingRule Rule, int Version)> _rules = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Calls to <see cref="ListAsync"/>.</summary>
    public int ListCalls { get; private set; }

    /// <summary>Calls to <see cref="GetAsync"/>.</summary>
    public int GetCalls { get; private set; }

    /// <summary>Stores the rules as they are (creating or replacing each), without ETag checks.</summary>
    public void Seed(params RemarketingRule[] rules)
    {
        lock (_lock)
        {
            foreach (var rule in rules)
            {
                _rules[rule.Id] = (rule, _rules.TryGetValue(rule.Id, out var current) ? current.Version + 1 : 1);
            }
        }
    }

    public Task<IReadOnlyList<Stored<RemarketingRule>>> ListAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ListCalls++;
            IReadOnlyList<Stored<RemarketingRule>> all = _rules.Values
                .OrderBy(entry => entry.Rule.Id, StringComparer.Ordinal)
                .Select(entry => new Stored<RemarketingRule>(entry.Rule, ETagOf(entry.Version)))
                .ToList();
            return Task.FromResult(all);
        }
    }

    public Task<Stored<RemarketingRule>?> GetAsync(string ruleId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            GetCalls++;
            return Task.FromResult(_rules.TryGetValue(ruleId, out var entry) ? new Stored<RemarketingRule>(entry.Rule, ETagOf(entry.Version)) : null);
        }
    }

    public Task<string> SaveAsync(RemarketingRule rule, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (_lock)
        {
            var exists = _rules.TryGetValue(rule.Id, out var current);
            if (ifMatch is null && exists)
            {
                throw new StorageConflictException($"Rule '{rule.Id}' already exists.");
            }

            if (ifMatch is not null && (!exists || (ifMatch != "*" && ifMatch != ETagOf(current.Version))))
            {
                throw new PreconditionFailedException($"Rule '{rule.Id}' was changed or deleted since it was read.");
            }

            var version = exists ? current.Version + 1 : 1;
            _rules[rule.Id] = (rule, version);
            return Task.FromResult(ETagOf(version));
        }
    }

    public Task<bool> DeleteAsync(string ruleId, string? ifMatch, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_rules.TryGetValue(ruleId, out var current))
            {
                return Task.FromResult(false);
            }

            if (ifMatch is not (null or "*") && ifMatch != ETagOf(current.Version))
            {
                throw new PreconditionFailedException($"Rule '{ruleId}' was changed since it was read.");
            }

            return Task.FromResult(_rules.Remove(ruleId));
        }
    }

    private static string ETagOf(int version) => "W/\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";
}
