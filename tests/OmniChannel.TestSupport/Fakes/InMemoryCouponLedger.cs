using OmniChannel.Core.Ports;
using OmniChannel.Core.Remarketing;

namespace OmniChannel.TestSupport.Fakes;

/// <summary>
/// The coupon ledger in memory, with the real ledger's rules: a code is issued once, a redemption is a check-and-set
/// under one lock (of sales racing with one code exactly one wins), an expiry leaves a redeemed coupon redeemed, a
/// rule's daily budget (per UTC day of the issue) is counted under the same lock and a coupon the cap refuses uses none.
/// Coupons are immutable records, so they are kept as given. Can run something just before the next issue-step lookup
/// or the next expiry, to put a concurrent change exactly there.
/// </summary>
public sealed class InMemoryCouponLedger : ICouponLedger
{
    private readonly Dictionary<string, Coupon> _coupons = new(StringComparer.Ordinal);
    private readonly Dictionary<(string RuleId, DateOnly Day), int> _budgetUsed = [];
    private readonly Lock _lock = new();
    private Func<string, string, Task>? _beforeNextFindByInstance;
    private Func<string, Task>? _beforeNextExpire;

    /// <summary>Runs once, with the customer and instance, just before the next <see cref="FindByInstanceAsync"/> (the first thing issuing a coupon does) looks.</summary>
    public Func<string, string, Task>? BeforeNextFindByInstance
    {
        get => Volatile.Read(ref _beforeNextFindByInstance);
        set => Volatile.Write(ref _beforeNextFindByInstance, value);
    }

    private Func<Coupon, Task>? _afterNextIssue;

    /// <summary>Runs once, with the coupon, right after the next <see cref="IssueAsync"/> recorded a new one (a change between issuing and sending).</summary>
    public Func<Coupon, Task>? AfterNextIssue
    {
        get => Volatile.Read(ref _afterNextIssue);
        set => Volatile.Write(ref _afterNextIssue, value);
    }

    /// <summary>Runs once, with the code, just before the next <see cref="ExpireAsync"/> changes anything.</summary>
    public Func<string, Task>? BeforeNextExpire
    {
        get => Volatile.Read(ref _beforeNextExpire);
        set => Volatile.Write(ref _beforeNextExpire, value);
    }

    /// <summary>Redemptions that changed a coupon (at most one per code).</summary>
    public int Redemptions { get; private set; }

    /// <summary>Every coupon, oldest issue first.</summary>
    public IReadOnlyList<Coupon> All
    {
        get
        {
            lock (_lock)
            {
                return _coupons.Values.OrderBy(coupon => coupon.IssuedAt).ToList();
            }
        }
    }

    public Coupon? Get(string code)
    {
        lock (_lock)
        {
            return _coupons.GetValueOrDefault(code);
        }
    }

    public Task<Coupon?> GetAsync(string code, CancellationToken cancellationToken) => Task.FromResult(Get(code));

    public async Task<Coupon?> FindByInstanceAsync(string customerId, string instanceId, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _beforeNextFindByInstance, null) is { } hook)
        {
            await hook(customerId, instanceId);
        }

        lock (_lock)
        {
            return _coupons.Values.FirstOrDefault(coupon => coupon.CustomerId == customerId && coupon.InstanceId == instanceId);
        }
    }

    public async Task<IssueResult> IssueAsync(Coupon coupon, FrequencyCap? cap, int? dailyBudget, CancellationToken cancellationToken)
    {
        var result = Issue(coupon, cap, dailyBudget);
        if (result.Outcome == IssueOutcome.Issued && Interlocked.Exchange(ref _afterNextIssue, null) is { } hook)
        {
            await hook(coupon);
        }

        return result;
    }

    public Task<int> DailyBudgetUsedAsync(string ruleId, DateOnly day, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_budgetUsed.GetValueOrDefault((ruleId, day)));
        }
    }

    private IssueResult Issue(Coupon coupon, FrequencyCap? cap, int? dailyBudget)
    {
        ArgumentNullException.ThrowIfNull(coupon);
        lock (_lock)
        {
            var ofCustomer = _coupons.Values.Where(existing => existing.CustomerId == coupon.CustomerId).ToList();
            if (ofCustomer.FirstOrDefault(existing => existing.InstanceId == coupon.InstanceId) is { } first)
            {
                return new IssueResult(IssueOutcome.AlreadyIssued, first);
            }

            if (cap is not null && ofCustomer.Count(existing => existing.IssuedAt > coupon.IssuedAt.AddDays(-cap.PerDays)) >= cap.Coupons)
            {
                return new IssueResult(IssueOutcome.CapReached, null);
            }

            var day = (coupon.RuleId, DateOnly.FromDateTime(coupon.IssuedAt.UtcDateTime));
            var used = _budgetUsed.GetValueOrDefault(day);
            if (dailyBudget is { } budget && used >= budget)
            {
                return new IssueResult(IssueOutcome.BudgetSpent, null);
            }

            if (!_coupons.TryAdd(coupon.Code, coupon))
            {
                throw new StorageConflictException($"Coupon {coupon.Code} exists already (409).");
            }

            if (dailyBudget is not null)
            {
                _budgetUsed[day] = used + 1;
            }

            return new IssueResult(IssueOutcome.Issued, coupon);
        }
    }

    public Task<IReadOnlyList<Coupon>> ForCustomerAsync(string customerId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<Coupon> coupons = _coupons.Values
                .Where(coupon => coupon.CustomerId == customerId && coupon.IssuedAt >= since)
                .OrderByDescending(coupon => coupon.IssuedAt)
                .ToList();
            return Task.FromResult(coupons);
        }
    }

    public Task<int> EraseCustomerAsync(string customerId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var codes = _coupons.Values.Where(coupon => coupon.CustomerId == customerId).Select(coupon => coupon.Code).ToList();
            codes.ForEach(code => _coupons.Remove(code));
            return Task.FromResult(codes.Count);
        }
    }

    public Task<(RedeemOutcome Outcome, Coupon? Coupon)> RedeemAsync(string code, string saleId, string storeId, decimal saleTotal, DateTimeOffset at, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_coupons.TryGetValue(code, out var coupon))
            {
                return Task.FromResult<(RedeemOutcome, Coupon?)>((RedeemOutcome.Unknown, null));
            }

            if (CouponRedemption.Judge(coupon, saleId, at) is { } outcome)
            {
                return Task.FromResult<(RedeemOutcome, Coupon?)>((outcome, coupon));
            }

            var redeemed = CouponRedemption.Redeemed(coupon, saleId, storeId, saleTotal, at);
            _coupons[code] = redeemed;
            Redemptions++;
            return Task.FromResult<(RedeemOutcome, Coupon?)>((RedeemOutcome.Redeemed, redeemed));
        }
    }

    public async Task ExpireAsync(string code, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _beforeNextExpire, null) is { } hook)
        {
            await hook(code);
        }

        lock (_lock)
        {
            if (_coupons.TryGetValue(code, out var coupon) && coupon.State == CouponState.Issued)
            {
                _coupons[code] = coupon with { State = CouponState.Expired };
            }
        }
    }
}
