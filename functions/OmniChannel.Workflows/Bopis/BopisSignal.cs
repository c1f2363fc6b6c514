namespace OmniChannel.Workflows.Bopis;

/// <summary>
/// The optional payload of the <c>picked</c>, <c>collected</c> and <c>cancelled</c> events. Callers may raise them with
/// no payload at all (the API does); a cancellation may say why.
/// </summary>
public sealed record BopisSignal(string? Reason);
