using System.Net.Mime;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using OmniChannel.Core.Ports;

namespace OmniChannel.Core.Events;

/// <summary>
/// Decodes the three content modes of the CloudEvents HTTP binding (binary, structured, batched) with the CNCF SDK's
/// JSON formatter and validates every event; a request with any bad event is rejected whole.
/// </summary>
public sealed class EventDecoder(EventValidator validator, ContractOptions options)
{
    public const string StructuredMediaType = "application/cloudevents+json";
    public const string BatchMediaType = "application/cloudevents-batch+json";
    private const string BinaryHeaderPrefix = "ce-";

    private static readonly JsonEventFormatter Formatter = new();
    private static readonly CloudEventsSpecVersion V1 = CloudEventsSpecVersion.V1_0;
    private static readonly string[] RequiredAttributes = ["specversion", "id", "source", "type"];
    private static readonly HashSet<string> ExtensionNames = EventAttributes.Extensions.Select(attribute => attribute.Name).ToHashSet(StringComparer.Ordinal);

    [ThreadStatic]
    private static List<FieldError>? _errorsOfThisThread;

    /// <summary>Decodes an HTTP request's body by its content type and headers.</summary>
    /// <param name="headers">All request headers; binary mode reads the <c>ce-*</c> ones.</param>
    public DecodeResult DecodeRequest(ReadOnlyMemory<byte> body, string? contentType, IEnumerable<KeyValuePair<string, string?>> headers)
    {
        if (body.Length > options.MaxBodyBytes)
        {
            return DecodeResult.Rejected(CollectFailure.Request(CollectFailureKind.TooLarge, "Request body too large",
                $"The body has {body.Length} bytes; at most {options.MaxBodyBytes} are accepted. Split the batch."));
        }

        var mediaType = MediaType(contentType);
        var ceHeaders = headers
            .Where(header => header.Key.StartsWith(BinaryHeaderPrefix, StringComparison.OrdinalIgnoreCase) && header.Value is not null)
            .ToList();

        return mediaType switch
        {
            StructuredMediaType => DecodeStructured(body),
            BatchMediaType => DecodeBatch(body),
            _ when ceHeaders.Count > 0 => DecodeBinary(body, mediaType, ceHeaders!),
            _ => DecodeResult.Rejected(CollectFailure.Request(CollectFailureKind.UnsupportedMediaType, "Unsupported media type",
                $"Content-Type '{contentType ?? "(none)"}' is not accepted. Send '{StructuredMediaType}' (one event), " +
                $"'{BatchMediaType}' (a JSON array of events) or a binary-mode event: 'ce-*' headers with a JSON body.")),
        };
    }

    /// <summary>
    /// Decodes one event as published to the event hub (structured mode). Throws <see cref="PoisonEventException"/>
    /// when the stored bytes no longer satisfy the contract, so ingest can dead-letter it.
    /// </summary>
    public OmniEvent DecodeStored(ReadOnlyMemory<byte> body) => DecodeStored(body, sharedTexts: null);

    /// <summary>
    /// <see cref="DecodeStored(ReadOnlyMemory{byte})"/> for the events of one batch: the identity and store values they
    /// repeat (a person's several events) are one string each, collected in <paramref name="sharedTexts"/>.
    /// </summary>
    internal OmniEvent DecodeStored(ReadOnlyMemory<byte> body, HashSet<string>? sharedTexts)
    {
        // What ingest published is canonical and read in one pass; anything else is parsed and read the formatter's way.
        var errors = ErrorsOfThisThread();
        if (CanonicalEventReader.TryRead(body.Span, sharedTexts, out var envelope))
        {
            return validator.Validate(envelope, errors, atCollect: false) ?? throw Poison(errors);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException exception)
        {
            throw new PoisonEventException($"The event body is not JSON: {exception.Message}");
        }

        // The formatter's path copies what the event keeps (the SDK clones the data), so the document's pooled buffers go back.
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new PoisonEventException($"The event body is JSON but not an object: {document.RootElement.ValueKind}.");
            }

            return ToOmniEvent(document.RootElement, errors, skipFutureCheck: true) ?? throw Poison(errors);
        }

        static PoisonEventException Poison(List<FieldError> errors) =>
            new(string.Join(" ", errors.Select(error => $"{error.Field}: {error.Message}")));
    }

    /// <summary>
    /// Turns a stored event back into a validated event (to fold an identity's past events into the profile it joins);
    /// null if it no longer satisfies the contract.
    /// </summary>
    public OmniEvent? Rehydrate(TimelineEntry entry)
    {
        // The checks the SDK makes when the entry's values are set on a CloudEvent (as ToCloudEvent would), in the
        // same order and throwing the same exceptions, but no CloudEvent is built: it and its attribute dictionaries
        // cost more than the rest of a rehydration, and stitching rehydrates a joining device's whole recent
        // timeline. A source accepted before is not parsed again (KnownSources). The time and the data content type
        // need no check: any DateTimeOffset is a valid timestamp, and the content type is the constant application/json.
        ValidateIfPresent(V1.IdAttribute, entry.EventId);
        KnownSources.Check(entry.Source);
        ValidateIfPresent(V1.TypeAttribute, entry.Type);
        ValidateIfPresent(EventAttributes.Channel, entry.Channel);
        var identities = entry.Identities;
        ValidateIfPresent(EventAttributes.CustomerId, identities.CustomerId);
        ValidateIfPresent(EventAttributes.DeviceId, identities.DeviceId);
        ValidateIfPresent(EventAttributes.LoyaltyId, identities.LoyaltyId);
        ValidateIfPresent(EventAttributes.EmailHash, identities.EmailHash);
        ValidateIfPresent(EventAttributes.StoreId, entry.StoreId);

        var envelope = new EventEnvelope(
            entry.EventId, entry.Source, entry.Type, entry.Time, entry.Channel,
            identities.CustomerId, identities.DeviceId, identities.LoyaltyId, identities.EmailHash, entry.StoreId,
            entry.Data, TraceParent: null, TraceState: null);
        return validator.Validate(envelope, ErrorsOfThisThread(), atCollect: false);

        // A CloudEvent drops an attribute set to null rather than checking it.
        static void ValidateIfPresent(CloudEventAttribute attribute, string? value)
        {
            if (value is not null)
            {
                AttributeText.Check(attribute, value);
            }
        }
    }

    /// <summary>Encodes an accepted event in structured mode, the form in which it travels through the event hub.</summary>
    public static byte[] EncodeStructured(CloudEvent cloudEvent) =>
        Formatter.EncodeStructuredModeMessage(cloudEvent, out _).ToArray();

    /// <summary>Rebuilds the SDK representation of a validated event (used to publish it with its trace context).</summary>
    public static CloudEvent ToCloudEvent(OmniEvent omniEvent)
    {
        var cloudEvent = new CloudEvent(CloudEventsSpecVersion.V1_0, EventAttributes.Extensions)
        {
            Id = omniEvent.Id,
            Source = new Uri(omniEvent.Source, UriKind.RelativeOrAbsolute),
            Type = omniEvent.Type,
            Time = omniEvent.Time,
            DataContentType = MediaTypeNames.Application.Json,
            Data = omniEvent.Data,
        };
        cloudEvent[EventAttributes.Channel] = omniEvent.Channel;
        cloudEvent[EventAttributes.CustomerId] = omniEvent.Identities.CustomerId;
        cloudEvent[EventAttributes.DeviceId] = omniEvent.Identities.DeviceId;
        cloudEvent[EventAttributes.LoyaltyId] = omniEvent.Identities.LoyaltyId;
        cloudEvent[EventAttributes.EmailHash] = omniEvent.Identities.EmailHash;
        cloudEvent[EventAttributes.StoreId] = omniEvent.StoreId;
        cloudEvent[EventAttributes.TraceParent] = omniEvent.TraceParent;
        cloudEvent[EventAttributes.TraceState] = omniEvent.TraceState;
        return cloudEvent;
    }

    private DecodeResult DecodeStructured(ReadOnlyMemory<byte> body)
    {
        if (Parse(body) is not { } root)
        {
            return Malformed("The body is not valid JSON.");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return Malformed($"A '{StructuredMediaType}' body must be one JSON object; send arrays as '{BatchMediaType}'.");
        }

        var errors = new List<FieldError>();
        var omniEvent = ToOmniEvent(root, errors, skipFutureCheck: false);
        return omniEvent is not null
            ? new DecodeResult([omniEvent], null)
            : Invalid([new EventProblem(0, IdOf(root), errors)], 1);
    }

    private DecodeResult DecodeBatch(ReadOnlyMemory<byte> body)
    {
        if (Parse(body) is not { } root)
        {
            return Malformed("The body is not valid JSON.");
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            return Malformed($"A '{BatchMediaType}' body must be a JSON array of events.");
        }

        var count = root.GetArrayLength();
        if (count == 0)
        {
            return Malformed("The batch is empty; send at least one event.");
        }

        if (count > options.MaxBatchEvents)
        {
            return DecodeResult.Rejected(CollectFailure.Request(CollectFailureKind.TooLarge, "Batch too large",
                $"The batch has {count} events; at most {options.MaxBatchEvents} are accepted in one request."));
        }

        var events = new List<OmniEvent>(count);
        var problems = new List<EventProblem>();
        var seen = new HashSet<string>(count, StringComparer.Ordinal);
        var index = 0;
        foreach (var element in root.EnumerateArray())
        {
            var errors = new List<FieldError>();
            if (element.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new FieldError("event", "Each item of a batch must be a JSON object (one CloudEvent)."));
            }
            else if (ToOmniEvent(element, errors, skipFutureCheck: false) is { } omniEvent)
            {
                if (seen.Add(omniEvent.Key))
                {
                    events.Add(omniEvent);
                }
                else
                {
                    errors.Add(new FieldError("id", $"'id' '{omniEvent.Id}' from source '{omniEvent.Source}' appears more than once in this batch."));
                }
            }

            if (errors.Count > 0)
            {
                problems.Add(new EventProblem(index, element.ValueKind == JsonValueKind.Object ? IdOf(element) : null, errors));
            }

            index++;
        }

        return problems.Count == 0 ? new DecodeResult(events, null) : Invalid(problems, count);
    }

    private DecodeResult DecodeBinary(ReadOnlyMemory<byte> body, string? mediaType, List<KeyValuePair<string, string>> ceHeaders)
    {
        if (mediaType is null || !(mediaType == MediaTypeNames.Application.Json || mediaType.EndsWith("+json", StringComparison.Ordinal)))
        {
            return DecodeResult.Rejected(CollectFailure.Request(CollectFailureKind.UnsupportedMediaType, "Unsupported media type",
                $"A binary-mode event's data must be JSON ('{MediaTypeNames.Application.Json}'); Content-Type is '{mediaType ?? "(none)"}'."));
        }

        var errors = new List<FieldError>();
        var cloudEvent = new CloudEvent(CloudEventsSpecVersion.V1_0, EventAttributes.Extensions);
        var specVersion = ceHeaders.FirstOrDefault(header => header.Key.Equals("ce-specversion", StringComparison.OrdinalIgnoreCase)).Value;
        if (specVersion != CloudEventsSpecVersion.V1_0.VersionId)
        {
            errors.Add(new FieldError("specversion", $"'ce-specversion' must be \"1.0\"; it is '{specVersion ?? "(missing)"}'."));
        }

        foreach (var (name, value) in ceHeaders)
        {
            var attribute = name[BinaryHeaderPrefix.Length..].ToLowerInvariant();
            if (attribute == "specversion")
            {
                continue;
            }

            try
            {
                // Header values are percent-encoded by the HTTP binding.
                cloudEvent.SetAttributeFromString(attribute, Uri.UnescapeDataString(value));
            }
            catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidOperationException)
            {
                errors.Add(new FieldError(attribute, $"'{name}' is not valid: {FirstSentence(exception.Message)}"));
            }
        }

        foreach (var required in RequiredAttributes.Skip(1))
        {
            if (cloudEvent[required] is null && !errors.Any(error => error.Field == required))
            {
                errors.Add(new FieldError(required, $"'ce-{required}' header is required."));
            }
        }

        if (Parse(body) is not { } data)
        {
            errors.Add(new FieldError("data", "The body (the event's data) is not valid JSON."));
        }
        else
        {
            cloudEvent.DataContentType = mediaType;
            cloudEvent.Data = data;
        }

        OmniEvent? omniEvent = null;
        if (errors.Count == 0)
        {
            omniEvent = validator.Validate(cloudEvent, errors);
        }

        return omniEvent is not null
            ? new DecodeResult([omniEvent], null)
            : Invalid([new EventProblem(0, cloudEvent.Id, errors)], 1);
    }

    private OmniEvent? ToOmniEvent(JsonElement element, List<FieldError> errors, bool skipFutureCheck)
    {
        foreach (var name in RequiredAttributes)
        {
            if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                errors.Add(new FieldError(name, $"'{name}' is required."));
            }
            else if (value.ValueKind != JsonValueKind.String || value.GetString()!.Length == 0)
            {
                errors.Add(new FieldError(name, $"'{name}' must be a non-empty string."));
            }
        }

        if (element.TryGetProperty("specversion", out var version) && version.ValueKind == JsonValueKind.String
            && version.GetString() != CloudEventsSpecVersion.V1_0.VersionId)
        {
            errors.Add(new FieldError("specversion", $"'specversion' must be \"1.0\"; it is '{version.GetString()}'."));
        }

        // The SDK turns a number or boolean into the text of a string extension attribute; the contract wants strings.
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null) && ExtensionNames.Contains(property.Name))
            {
                errors.Add(new FieldError(property.Name, $"'{property.Name}' must be a string."));
            }
        }

        if (errors.Count > 0)
        {
            return null;
        }

        CloudEvent cloudEvent;
        try
        {
            cloudEvent = Formatter.ConvertFromJsonElement(element, EventAttributes.Extensions);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidOperationException)
        {
            errors.Add(new FieldError(FieldNamedIn(exception.Message), FirstSentence(exception.Message)));
            return null;
        }

        return skipFutureCheck ? validator.ValidateStored(cloudEvent, errors) : validator.Validate(cloudEvent, errors);
    }

    /// <summary>
    /// An empty error list for a decode that does not report its errors one by one (ingest's): validation fills it
    /// only for an invalid event and the list never leaves the call, so one list per thread serves every event.
    /// </summary>
    private static List<FieldError> ErrorsOfThisThread()
    {
        var errors = _errorsOfThisThread ??= [];
        errors.Clear();
        return errors;
    }

    private static JsonElement? Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            // The document is not disposed: the events keep referring to their data elements.
            return JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? MediaType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }

        try
        {
            return new ContentType(contentType).MediaType.ToLowerInvariant();
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string? IdOf(JsonElement element) =>
        element.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

    private static DecodeResult Malformed(string detail) =>
        DecodeResult.Rejected(CollectFailure.Request(CollectFailureKind.Invalid, "Malformed request body", detail));

    private static DecodeResult Invalid(List<EventProblem> problems, int total) =>
        DecodeResult.Rejected(new CollectFailure(
            CollectFailureKind.Invalid,
            "Invalid events",
            $"{problems.Count} of {total} event(s) break the OmniChannel event contract; nothing of this request was accepted. Fix them and resend the whole request.",
            problems));

    private static string FieldNamedIn(string message)
    {
        // The SDK names the attribute in quotes: "Value for attribute 'customerid' is invalid: …".
        const string Marker = "attribute '";
        var start = message.IndexOf(Marker, StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf('\'', start + Marker.Length);
        if (end > start + Marker.Length)
        {
            return message[(start + Marker.Length)..end];
        }

        foreach (var candidate in new[] { "time", "source", "dataschema", "datacontenttype", "data_base64", "data", "subject" })
        {
            if (message.Contains(candidate, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        return "event";
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" (Parameter", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }
}
