using OmniChannel.Core.Events;

namespace OmniChannel.Core.Profiles;

/// <summary>
/// The journey stage as a function of the moves, not of their arrival order: each move is kept in time order (time,
/// then key, so equal times order the same everywhere) and the stage is replayed from them. One person's events travel
/// on several event hub partitions and a parked batch arrives hours late, so a sale at 10:02 applied after a view at
/// 10:05 must give what the two give in order. The newest <see cref="StepLimit"/> moves are kept; older ones are folded
/// into <see cref="CustomerProfile.JourneyBase"/>, and a move older than that base arrives too late to count.
/// </summary>
public static class JourneyLog
{
    public const int StepLimit = 40;

    /// <summary>The move an event makes, or null for events that leave the journey alone.</summary>
    public static JourneyMove? MoveOf(EventPayload payload) => payload switch
    {
        ProductViewed => JourneyMove.View,
        CartItemAdded => JourneyMove.CartAdd,
        CartAbandoned => JourneyMove.CartAbandon,
        OrderPlaced { Fulfilment: Fulfilment.Pickup } => JourneyMove.OrderPickup,
        OrderPlaced => JourneyMove.OrderShip,
        PosSale => JourneyMove.PosSale,
        _ => null,
    };

    /// <summary>The step of an event, keyed by a prefix of its idempotency key (unique enough within one person, and small).</summary>
    public static JourneyStep? StepOf(OmniEvent omniEvent)
    {
        ArgumentNullException.ThrowIfNull(omniEvent);
        return MoveOf(omniEvent.Payload) is { } move
            ? new JourneyStep(omniEvent.Time, omniEvent.Key[..16], move, (omniEvent.Payload as OrderPlaced)?.OrderId)
            : null;
    }

    /// <summary>Records a move and replays the stage; false when the move was known already or is older than the folded base.</summary>
    public static bool Record(CustomerProfile profile, JourneyStep step)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(step);
        if (!Insert(profile, step))
        {
            return false;
        }

        Replay(profile);
        return true;
    }

    /// <summary>Takes the merged profile's moves into the survivor's and replays (the later base wins; moves before it no longer count).</summary>
    public static void Merge(CustomerProfile survivor, CustomerProfile merged)
    {
        ArgumentNullException.ThrowIfNull(survivor);
        ArgumentNullException.ThrowIfNull(merged);
        if (merged.JourneyBase is { } mergedBase && (survivor.JourneyBase is null || Compare(mergedBase.Until, mergedBase.UntilKey, survivor.JourneyBase.Until, survivor.JourneyBase.UntilKey) > 0))
        {
            var survivorSteps = survivor.JourneySteps;
            survivor.JourneyBase = mergedBase;
            survivor.JourneySteps = [];
            foreach (var step in survivorSteps)
            {
                Insert(survivor, step);
            }
        }

        foreach (var step in merged.JourneySteps)
        {
            Insert(survivor, step);
        }

        Replay(survivor);
    }

    private static bool Insert(CustomerProfile profile, JourneyStep step)
    {
        if (profile.JourneyBase is { } journeyBase && Compare(step.At, step.Key, journeyBase.Until, journeyBase.UntilKey) <= 0)
        {
            return false;
        }

        var steps = profile.JourneySteps;
        var index = steps.Count;
        while (index > 0 && Compare(steps[index - 1].At, steps[index - 1].Key, step.At, step.Key) >= 0)
        {
            if (steps[index - 1].Key == step.Key)
            {
                return false;
            }

            index--;
        }

        steps.Insert(index, step);
        if (steps.Count > StepLimit)
        {
            Fold(profile, steps.Count - StepLimit);
        }

        return true;
    }

    /// <summary>Folds the oldest moves into the base.</summary>
    private static void Fold(CustomerProfile profile, int count)
    {
        var state = Start(profile.JourneyBase);
        for (var index = 0; index < count; index++)
        {
            state = Next(state, profile.JourneySteps[index]);
        }

        var last = profile.JourneySteps[count - 1];
        profile.JourneyBase = new JourneyBase(state.Stage, state.Views, state.OpenPickups, state.ChangedAt, last.At, last.Key);
        profile.JourneySteps.RemoveRange(0, count);
    }

    private static void Replay(CustomerProfile profile)
    {
        var state = Start(profile.JourneyBase);
        foreach (var step in profile.JourneySteps)
        {
            state = Next(state, step);
        }

        profile.Stage = state.Stage;
        profile.StageChangedAt = state.ChangedAt;
        profile.ViewsInJourney = state.Views;
    }

    private sealed record State(JourneyStage Stage, int Views, List<string> OpenPickups, DateTimeOffset? ChangedAt);

    private static State Start(JourneyBase? journeyBase) =>
        journeyBase is null ? new State(JourneyStage.Unknown, 0, [], null) : new State(journeyBase.Stage, journeyBase.Views, [.. journeyBase.OpenPickups], journeyBase.ChangedAt);

    private static State Next(State state, JourneyStep step)
    {
        if (step.OrderId is { } orderId)
        {
            if (step.Move == JourneyMove.OrderPickup && !state.OpenPickups.Contains(orderId))
            {
                state.OpenPickups.Add(orderId);
            }
            else if (step.Move is JourneyMove.PickupCollected or JourneyMove.PickupClosed)
            {
                state.OpenPickups.Remove(orderId);
            }
        }

        var (stage, views) = JourneyRules.Next(state.Stage, state.Views, step.Move, state.OpenPickups.Count);
        return new State(stage, views, state.OpenPickups, stage != state.Stage ? step.At : state.ChangedAt);
    }

    private static int Compare(DateTimeOffset leftAt, string leftKey, DateTimeOffset rightAt, string rightKey)
    {
        var byTime = leftAt.CompareTo(rightAt);
        return byTime != 0 ? byTime : string.CompareOrdinal(leftKey, rightKey);
    }
}
