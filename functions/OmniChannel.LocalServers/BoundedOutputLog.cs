using System.Text;

namespace OmniChannel.LocalServers;

/// <summary>
/// The last lines a child process wrote, kept in memory for error messages. Bounded because a server
/// may run for a whole test session; only its recent output explains a failure.
/// </summary>
internal sealed class BoundedOutputLog(int capacity)
{
    private readonly Queue<string> _lines = new(capacity);
    private readonly Lock _gate = new();
    private long _dropped;

    public void Add(string stream, string line)
    {
        lock (_gate)
        {
            if (_lines.Count == capacity)
            {
                _lines.Dequeue();
                _dropped++;
            }

            _lines.Enqueue($"[{stream}] {line}");
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            if (_lines.Count == 0)
            {
                return "(no output)";
            }

            var text = new StringBuilder();
            if (_dropped > 0)
            {
                text.Append("(… ").Append(_dropped).AppendLine(" earlier lines dropped)");
            }

            foreach (var line in _lines)
            {
                text.AppendLine(line);
            }

            return text.ToString();
        }
    }
}
