using Microsoft.AspNetCore.Http;
using OmniChannel.Core.Events;
using OmniChannel.Core.Ports;

namespace OmniChannel.Api;

/// <summary>Every error answer of the API, as <c>application/problem+json</c>, built in one place.</summary>
public static class Problems
{
    public static IResult From(CollectFailure failure)
    {
        var (status, type) = failure.Kind switch
        {
            CollectFailureKind.TooLarge => (StatusCodes.Status413PayloadTooLarge, ProblemTypes.TooLarge),
            CollectFailureKind.UnsupportedMediaType => (StatusCodes.Status415UnsupportedMediaType, ProblemTypes.UnsupportedMediaType),
            _ when failure.Problems.Count > 0 => (StatusCodes.Status400BadRequest, ProblemTypes.InvalidEvents),
            _ => (StatusCodes.Status400BadRequest, ProblemTypes.MalformedRequest),
        };
        var extensions = new Dictionary<string, object?>();
        if (failure.Problems.Count > 0)
        {
            extensions["errors"] = failure.Problems
                .SelectMany(problem => problem.Errors.Select(error => new { index = problem.Index, id = problem.Id, field = error.Field, message = error.Message }))
                .ToList();
        }

        return TypedResults.Problem(failure.Detail, statusCode: status, title: failure.Title, type: type, extensions: extensions);
    }

    public static IResult InvalidParameter(string name, string message) =>
        TypedResults.Problem(message, statusCode: StatusCodes.Status400BadRequest, title: $"Invalid parameter '{name}'", type: ProblemTypes.InvalidParameter,
            extensions: new Dictionary<string, object?> { ["errors"] = new[] { new { field = name, message } } });

    /// <summary>400 naming every bad field of a request body.</summary>
    public static IResult InvalidFields(string title, IReadOnlyList<FieldError> errors) =>
        TypedResults.Problem($"{errors.Count} field(s) are missing or invalid; see 'errors'.", statusCode: StatusCodes.Status400BadRequest, title: title, type: ProblemTypes.InvalidParameter,
            extensions: new Dictionary<string, object?> { ["errors"] = errors.Select(error => new { field = error.Field, message = error.Message, kind = error.Kind }).ToList() });

    public static IResult MalformedBody(string expected) =>
        TypedResults.Problem($"The body must be a JSON object: {expected}.", statusCode: StatusCodes.Status400BadRequest, title: "Malformed request body", type: ProblemTypes.MalformedRequest);

    public static IResult Conflict(string title, string detail, string type = ProblemTypes.Conflict) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: title, type: type);

    public static IResult PreconditionFailed(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status412PreconditionFailed, title: "Changed since you read it", type: ProblemTypes.PreconditionFailed);

    public static IResult NotFound(string what) =>
        TypedResults.Problem($"{what} was not found.", statusCode: StatusCodes.Status404NotFound, title: "Not found", type: ProblemTypes.NotFound);

    public static IResult Unauthorized(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", type: ProblemTypes.Unauthorized);

    public static IResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", type: ProblemTypes.Forbidden);

    /// <summary>400 for a key sent in the URL, whether it is a valid key or not.</summary>
    public static IResult KeyInUrl(string parameter, string whereKeysGo) =>
        TypedResults.Problem(
            $"API keys are not accepted in the URL (?{parameter}=): URLs are written to logs and browser history. Send the key {whereKeysGo}, and treat a key that was sent in a URL as exposed.",
            statusCode: StatusCodes.Status400BadRequest, title: "Key in the URL", type: ProblemTypes.KeyInUrl);

    /// <summary>Maps an exception that escaped a handler; the hosts' error middleware calls this.</summary>
    public static IResult FromException(Exception exception, HttpContext context) => exception switch
    {
        TransientStorageException transient => Unavailable(context, transient.RetryAfter ?? TimeSpan.FromSeconds(5), "A dependency (event hub or storage) is briefly unavailable; nothing of this request was accepted. Retry after the time in Retry-After."),
        StorageConflictException => TypedResults.Problem("The resource was changed by someone else; read it again and retry.", statusCode: StatusCodes.Status409Conflict, title: "Conflict", type: ProblemTypes.Conflict),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } tooLarge => TypedResults.Problem(tooLarge.Message, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large", type: ProblemTypes.TooLarge),
        BadHttpRequestException bad => TypedResults.Problem(bad.Message, statusCode: bad.StatusCode, title: "Bad request", type: ProblemTypes.MalformedRequest),
        OperationCanceledException when context.RequestAborted.IsCancellationRequested => TypedResults.Empty,
        _ => TypedResults.Problem("An unexpected error occurred; it has been logged.", statusCode: StatusCodes.Status500InternalServerError, title: "Internal error", type: ProblemTypes.Internal),
    };

    public static IResult Unavailable(HttpContext context, TimeSpan retryAfter, string detail)
    {
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable", type: ProblemTypes.Unavailable);
    }
}
