using System.Text.Json.Nodes;
using OmniChannel.Core.Security;

namespace OmniChannel.Core.UnitTests.Security;

public sealed class ConsoleRolesTests
{
    [Fact]
    public void EntraAppRoles_TheConsoleKnows_BecomeItsRoles_OthersAreIgnored()
    {
        var identity = JsonNode.Parse("""
            {"identityProvider":"aad","userId":"u1","userDetails":"ana@contoso.com","claims":[
              {"typ":"name","val":"Ana"},
              {"typ":"roles","val":"Marketing"},
              {"typ":"roles","val":"store"},
              {"typ":"roles","val":"admin"},
              {"typ":"http://schemas.microsoft.com/ws/2008/06/identity/claims/role","val":"marketing"}]}
            """)!.AsObject();

        Assert.Equal(["marketing", "store"], ConsoleRoles.FromIdentity(identity));
    }

    [Theory]
    [InlineData("""{"identityProvider":"aad","userId":"u2"}""")]
    [InlineData("""{"claims":"roles=marketing"}""")]
    [InlineData("""{"claims":[{"typ":"roles","val":7},{"typ":"groups","val":"marketing"},{"val":"store"}]}""")]
    public void WithoutARoleClaimTheConsoleKnows_NoRoles(string payload) =>
        Assert.Empty(ConsoleRoles.FromIdentity(JsonNode.Parse(payload)!.AsObject()));
}
