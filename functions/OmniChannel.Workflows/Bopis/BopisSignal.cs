using OmniChannel.Core.Orders;

namespace OmniChannel.Workflows.Bopis;

/// <summary>
/// The optional payload of the <c>picked</c>, <c>collected</c> and <c>cancelled</c> events. Callers may raise them with
/// no payload at all (the API does for a full pick); a cancellation may say why; a partial pick carries the
/// <see cref="Lines"/> short or substituted (as <see cref="PickedSignal"/>, its shape) — an event raised before partial
/// picks existed has none, so its instance replays as it ran.
/// </summary>
public sealed record BopisSignal(string? Reason, IReadOnlyList<PickedLine>? Lines = null);
