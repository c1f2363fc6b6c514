namespace OmniChannel.Core.Events;

/// <summary>Everything wrong with one event of a request: its position in the batch, its id when it has one, and each bad field.</summary>
public sealed record EventProblem(int Index, string? Id, IReadOnlyList<FieldError> Errors);
