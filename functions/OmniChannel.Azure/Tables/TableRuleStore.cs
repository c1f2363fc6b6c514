using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using OmniChannel.Core;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Remarketing;
using OmniChannel.Core.Requests;

namespace OmniChannel.Azure.Tables;

/// <summary>
/// Remarketing rules in Azure Tables: a row per rule holding the rule's JSON (the API's own shape, read back through
/// the same validation), with the table's ETag for optimistic concurrency.
/// </summary>
public sealed class TableRuleStore(TableServiceClient service) : IRuleStore
{
    private const string Partition = "rule";

    private TableClient Table => service.GetTableClient(OmniChannelNames.Tables.RemarketingRules);

    public async Task<IReadOnlyList<Stored<RemarketingRule>>> ListAsync(CancellationToken cancellationToken)
    {
        var rules = new List<Stored<RemarketingRule>>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(entity => entity.PartitionKey == Partition, cancellationToken: cancellationToken))
        {
            rules.Add(ToStored(entity));
        }

        return rules.OrderBy(rule => rule.Value.Id, StringComparer.Ordinal).ToList();
    }

    public async Task<Stored<RemarketingRule>?> GetAsync(string ruleId, CancellationToken cancellationToken)
    {
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, ruleId, cancellationToken: cancellationToken);
        return response.HasValue ? ToStored(response.Value!) : null;
    }

    public async Task<string> SaveAsync(RemarketingRule rule, string? ifMatch, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(Partition, rule.Id) { ["Json"] = RuleJson.Write(rule).ToJsonString() };
        try
        {
            var response = ifMatch is null
                ? await Table.AddEntityAsync(entity, cancellationToken)
                : await Table.UpdateEntityAsync(entity, ifMatch == "*" ? ETag.All : new ETag(ifMatch), TableUpdateMode.Replace, cancellationToken);
            return response.Headers.ETag?.ToString() ?? string.Empty;
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            throw new StorageConflictException($"Rule '{rule.Id}' already exists.");
        }
        catch (RequestFailedException exception) when (exception.Status is 412 or 404)
        {
            throw new PreconditionFailedException($"Rule '{rule.Id}' was changed or deleted since it was read.");
        }
    }

    public async Task<bool> DeleteAsync(string ruleId, string? ifMatch, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Table.DeleteEntityAsync(Partition, ruleId, ifMatch is null or "*" ? ETag.All : new ETag(ifMatch), cancellationToken);
            return response.Status != 404;
        }
        catch (RequestFailedException exception) when (exception.Status == 412)
        {
            throw new PreconditionFailedException($"Rule '{ruleId}' was changed since it was read.");
        }
    }

    private static Stored<RemarketingRule> ToStored(TableEntity entity)
    {
        var json = JsonNode.Parse(entity.GetString("Json") ?? "{}")!.AsObject();
        if (JsonFields.TryWhole(json["radiusMeters"], out var radius) && radius is > 0 and < RuleRequests.MinRadiusMeters)
        {
            // Saved before the minimum was raised to 100 m: such a small region never fired reliably on a phone, so
            // the rule reads (and is saved back, when next edited) with the smallest radius that does, rather than
            // failing every read of the rules.
            json["radiusMeters"] = RuleRequests.MinRadiusMeters;
        }

        var (rule, errors) = RuleRequests.ReadRule(entity.RowKey, json);
        return rule is not null
            ? new Stored<RemarketingRule>(rule, entity.ETag.ToString())
            : throw new InvalidOperationException($"Stored rule '{entity.RowKey}' no longer validates: {string.Join("; ", errors.Select(error => error.Field + ": " + error.Message))}");
    }
}
