namespace OmniChannel.Core.Events;

/// <summary>One thing wrong with one field of an event or a request body, named as a path such as <c>data.lines[0].price</c>.</summary>
/// <param name="Kind">
/// <see cref="TypeKind"/> when the field holds the wrong JSON type (a list where text belongs), so a client can tell a
/// type it got wrong from a value out of range; <see cref="ValueKind"/> otherwise.
/// </param>
public sealed record FieldError(string Field, string Message, string Kind = FieldError.ValueKind)
{
    public const string TypeKind = "type";
    public const string ValueKind = "value";
}
