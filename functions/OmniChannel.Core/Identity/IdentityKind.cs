namespace OmniChannel.Core.Identity;

/// <summary>Kinds of identity, strongest first: when identities meet, the strongest one names the profile.</summary>
public enum IdentityKind
{
    Customer = 0,
    Loyalty = 1,
    Email = 2,
    Device = 3,
    Store = 4,
}
