using Azure.Data.Tables;
using OmniChannel.Core.Ports;

namespace OmniChannel.Local.EventLog;

/// <summary>Health of the local event log: its checkpoint table answers in Azurite.</summary>
internal sealed class EventLogProbe(TableServiceClient tables) : IDependencyProbe
{
    public string Name => "eventlog";

    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        await foreach (var _ in tables.GetTableClient(TableEventLog.CheckpointTable).QueryAsync<TableEntity>(maxPerPage: 1, cancellationToken: cancellationToken))
        {
            break;
        }
    }
}
