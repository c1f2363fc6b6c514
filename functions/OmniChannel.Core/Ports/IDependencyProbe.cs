namespace OmniChannel.Core.Ports;

/// <summary>A dependency that <c>GET /api/health</c> checks.</summary>
public interface IDependencyProbe
{
    string Name { get; }

    /// <summary>Throws when the dependency cannot be used.</summary>
    Task ProbeAsync(CancellationToken cancellationToken);
}
