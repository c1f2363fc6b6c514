using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;
using OmniChannel.Api;

namespace OmniChannel.Functions;

/// <summary>
/// Turns an exception that escapes an HTTP function into problem+json (the same mapping as the local host).
/// Non-HTTP triggers rethrow: the ingest handler owns its failures and never lets one escape silently.
/// </summary>
internal sealed partial class ProblemDetailsMiddleware(ILogger<ProblemDetailsMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception exception) when (context.GetHttpContext() is not null)
        {
            var cause = exception is AggregateException { InnerException: { } inner } ? inner : exception;
            LogFailed(logger, context.FunctionDefinition.Name, cause);
            context.GetInvocationResult().Value = Problems.FromException(cause, context.GetHttpContext()!);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Function {FunctionName} failed")]
    private static partial void LogFailed(ILogger logger, string functionName, Exception exception);
}
