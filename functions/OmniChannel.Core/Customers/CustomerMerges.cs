using OmniChannel.Core.Profiles;

namespace OmniChannel.Core.Customers;

/// <summary>What <c>GET /api/customers/{id}/merges</c> answers: the merge audit of a person.</summary>
public sealed record CustomerMerges(string ProfileId, IReadOnlyList<MergeRecord> Merges, IReadOnlyList<IdentityDecision> IdentityDecisions, IReadOnlyList<string> KeptApart);
