using DurableTask.Core;

namespace OmniChannel.Workflows;

/// <summary>
/// Registers an orchestration or activity with a DurableTask.Core worker (the local host's engine) under a name and a
/// version. DurableTask.Core reads Name and Version when an object is registered, so both are set at construction.
/// </summary>
public sealed class CoreTaskCreator<T> : ObjectCreator<T>
{
    private readonly Func<T> _create;

    public CoreTaskCreator(string name, string version, Func<T> create)
    {
        Name = name;
        Version = version;
        _create = create;
    }

    public override T Create() => _create();
}
