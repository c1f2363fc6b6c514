using CloudNative.CloudEvents;

namespace OmniChannel.Core.Events;

/// <summary>The SDK's checks of a string attribute's value, without the SDK for the values events carry.</summary>
internal static class AttributeText
{
    /// <summary>
    /// Checks a string value of a CloudEvents attribute as <see cref="CloudEventAttribute.Validate"/> does, throwing what
    /// it throws. Non-empty printable ASCII passes every check the SDK makes of a string (no control character,
    /// surrogate or noncharacter; not empty where an attribute must not be), so only other text is handed to it.
    /// </summary>
    public static void Check(CloudEventAttribute attribute, string value)
    {
        if (value.Length == 0 || value.AsSpan().ContainsAnyExceptInRange(' ', '~'))
        {
            attribute.Validate(value);
        }
    }
}
