using System.Runtime.InteropServices;

namespace OmniChannel.Core.Ingest;

/// <summary>Disjoint sets of strings: which profile ids one batch's events prove to be one person.</summary>
internal sealed class UnionFind(int capacity = 0)
{
    private readonly Dictionary<string, string> _parent = new(capacity, StringComparer.Ordinal);

    public void Add(string item) => _parent.TryAdd(item, item);

    public string Find(string item)
    {
        // Most items are roots (a person's first identity, or one seen alone): one lookup answers those.
        ref var parent = ref CollectionsMarshal.GetValueRefOrAddDefault(_parent, item, out var exists);
        if (!exists)
        {
            parent = item;
        }

        if (parent == item)
        {
            return item;
        }

        var root = item;
        while (_parent[root] != root)
        {
            root = _parent[root];
        }

        while (_parent[item] != root)
        {
            (item, _parent[item]) = (_parent[item], root);
        }

        return root;
    }

    public void Union(string left, string right)
    {
        var leftRoot = Find(left);
        var rightRoot = Find(right);
        if (leftRoot != rightRoot)
        {
            _parent[rightRoot] = leftRoot;
        }
    }
}
