namespace OmniChannel.Core.Events;

/// <summary>One thing wrong with one field of an event, named as a path such as <c>data.lines[0].price</c>.</summary>
public sealed record FieldError(string Field, string Message);
