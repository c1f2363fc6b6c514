namespace OmniChannel.Local.Workflows;

/// <summary>The orchestrators and activities the local engine runs, by name (the names the Functions app registers too).</summary>
public sealed record WorkflowCatalog(IReadOnlyList<(string Name, Type Type)> Orchestrators, IReadOnlyList<(string Name, Type Type)> Activities);
