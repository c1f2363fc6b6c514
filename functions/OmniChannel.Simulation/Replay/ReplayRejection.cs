namespace OmniChannel.Simulation.Replay;

/// <summary>A request the server refused, as the summary keeps it: the status and the body (an RFC 9457 problem, usually).</summary>
/// <param name="StatusCode">The HTTP status, e.g. 400.</param>
/// <param name="Events">How many events the request carried (the whole request is rejected, not single events).</param>
/// <param name="Body">The response body, truncated to a few kilobytes.</param>
public sealed record ReplayRejection(int StatusCode, int Events, string Body);
