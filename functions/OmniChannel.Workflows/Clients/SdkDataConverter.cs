using Microsoft.DurableTask.Converters;

namespace OmniChannel.Workflows.Clients;

/// <summary>DurableTask.Core's converter interface over the SDK's System.Text.Json converter, so client and shims agree on every payload.</summary>
internal sealed class SdkDataConverter : DurableTask.Core.Serializing.DataConverter
{
    public override string Serialize(object value) => JsonDataConverter.Default.Serialize(value) ?? "null";

    public override string Serialize(object value, bool formatted) => Serialize(value);

    public override object Deserialize(string data, Type objectType) => JsonDataConverter.Default.Deserialize(data, objectType)!;
}
