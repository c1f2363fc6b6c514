using Microsoft.AspNetCore.Http;
using OmniChannel.Core.Customers;

namespace OmniChannel.Api;

/// <summary>
/// <c>DELETE /api/customers/{id}</c> (admin): erases a person everywhere (see <see cref="CustomerErasure"/>) and
/// answers 200 with what it erased per store, or 404 for nobody known by the id.
/// </summary>
public sealed class ErasureApi(CustomerErasure erasure)
{
    public async Task<IResult> EraseAsync(string id, CancellationToken cancellationToken) =>
        await erasure.EraseAsync(id, cancellationToken) is { } report
            ? TypedResults.Ok(report)
            : Problems.NotFound($"Customer '{id}'");
}
