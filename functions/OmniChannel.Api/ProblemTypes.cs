namespace OmniChannel.Api;

/// <summary>RFC 9457 problem type URIs; the README explains each.</summary>
public static class ProblemTypes
{
    private const string Base = "https://omnichannel.example/problems/";
    public const string InvalidEvents = Base + "invalid-events";
    public const string MalformedRequest = Base + "malformed-request";
    public const string TooLarge = Base + "too-large";
    public const string UnsupportedMediaType = Base + "unsupported-media-type";
    public const string InvalidParameter = Base + "invalid-parameter";
    public const string NotFound = Base + "not-found";
    public const string Unauthorized = Base + "unauthorized";
    public const string Forbidden = Base + "forbidden";
    public const string KeyInUrl = Base + "key-in-url";
    public const string Unavailable = Base + "dependency-unavailable";
    public const string Conflict = Base + "conflict";
    public const string Internal = Base + "internal-error";
    public const string OutOfStock = Base + "out-of-stock";
    public const string StoreCannotPickUp = Base + "store-without-pickup";
    public const string OrderFinished = Base + "order-finished";
    public const string OrderState = Base + "order-state";
    public const string CouponRefused = Base + "coupon-refused";
    public const string PreconditionFailed = Base + "precondition-failed";
    public const string TooManyRequests = Base + "too-many-requests";
    public const string PreconditionRequired = Base + "precondition-required";
}
