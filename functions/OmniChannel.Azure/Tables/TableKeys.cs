namespace OmniChannel.Azure.Tables;

/// <summary>Table keys may not contain '/', '\', '#' or '?'; ids from channels might.</summary>
internal static class TableKeys
{
    public static string Escape(string value) => Uri.EscapeDataString(value);

    public static string Unescape(string key) => Uri.UnescapeDataString(key);
}
