namespace OmniChannel.Core.Events;

public enum CollectFailureKind
{
    /// <summary>400: the body is not what its content type says, or events break the contract.</summary>
    Invalid,

    /// <summary>413: the body or the batch is too large.</summary>
    TooLarge,

    /// <summary>415: neither a CloudEvents JSON media type nor a binary-mode event.</summary>
    UnsupportedMediaType,
}

/// <summary>Why a collect request was rejected as a whole: a title, a detail and, for invalid events, each bad event and field.</summary>
public sealed record CollectFailure(CollectFailureKind Kind, string Title, string Detail, IReadOnlyList<EventProblem> Problems)
{
    public static CollectFailure Request(CollectFailureKind kind, string title, string detail) => new(kind, title, detail, []);
}
