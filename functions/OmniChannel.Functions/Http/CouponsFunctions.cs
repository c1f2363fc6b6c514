using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OmniChannel.Api;

namespace OmniChannel.Functions.Http;

/// <summary>The till's coupon calls: channel routes (store access in the console; ApiAccessCheck).</summary>
public sealed class CouponsFunctions(CouponsApi api)
{
    [Function(nameof(ValidateCoupon))]
    public Task<IResult> ValidateCoupon(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.CouponValidate)] HttpRequest request,
        string code,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.ValidateAsync(code, request, cancellationToken);

    [Function(nameof(RedeemCoupon))]
    public Task<IResult> RedeemCoupon(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.CouponRedeem)] HttpRequest request,
        string code,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.RedeemAsync(code, request, cancellationToken);
}
