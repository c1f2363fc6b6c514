using Microsoft.Extensions.Logging;
using OmniChannel.Core.Orders;

namespace OmniChannel.Workflows.Bopis;

internal static partial class BopisLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "BOPIS order {OrderId} is now {Status}: {Reason}")]
    public static partial void Progress(ILogger logger, string orderId, OrderStatus status, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "BOPIS order {OrderId}: '{EventName}' is not allowed while {Status}; ignored")]
    public static partial void Ignored(ILogger logger, string orderId, string eventName, OrderStatus status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "BOPIS order {OrderId}: a refund callback for {RefundId} while waiting for {ExpectedRefundId}; ignored")]
    public static partial void OtherRefund(ILogger logger, string orderId, string refundId, string expectedRefundId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "BOPIS order {OrderId}: step {Step} failed for good ({ErrorType}: {ErrorMessage}); compensating")]
    public static partial void StepFailed(ILogger logger, string orderId, string step, string errorType, string errorMessage);
}
