using Azure.Core;
using Microsoft.Azure.Cosmos;

namespace OmniChannel.Azure.Cosmos;

/// <summary>Builds the Cosmos client: managed identity in Azure, a key and a gateway connection for the local protocol server.</summary>
public static class CosmosClientFactory
{
    public static CosmosClient Create(CosmosOptions options, TokenCredential credential, IEnumerable<RequestHandler>? handlers = null)
    {
        if (string.IsNullOrWhiteSpace(options.AccountEndpoint))
        {
            throw new InvalidOperationException($"Set {CosmosOptions.SectionName}:AccountEndpoint (app setting OmniChannel__Cosmos__AccountEndpoint).");
        }

        var clientOptions = new CosmosClientOptions
        {
            UseSystemTextJsonSerializerWithOptions = CosmosJson.Options,
            ConnectionMode = options.GatewayMode ? ConnectionMode.Gateway : ConnectionMode.Direct,
            LimitToEndpoint = options.GatewayMode,
            ApplicationName = "OmniChannel",

            // Each operation is a span (ActivitySource "Azure.Cosmos.Operation") under the current activity: an
            // event's write joins the trace of the request that sent the event.
            CosmosClientTelemetryOptions = new CosmosClientTelemetryOptions { DisableDistributedTracing = false },
        };
        foreach (var handler in handlers ?? [])
        {
            clientOptions.CustomHandlers.Add(handler);
        }

        if (options.LocalProtocolServer)
        {
            // The local protocol server has a self-signed certificate. Keep-alive pooled connections matter: each new
            // connection to it costs a TLS handshake.
            clientOptions.HttpClientFactory = () => new HttpClient(new LocalServerNotFoundHandler(new SocketsHttpHandler
            {
                SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            }));
        }

        return string.IsNullOrEmpty(options.AccountKey)
            ? new CosmosClient(options.AccountEndpoint, credential, clientOptions)
            : new CosmosClient(options.AccountEndpoint, options.AccountKey, clientOptions);
    }
}
