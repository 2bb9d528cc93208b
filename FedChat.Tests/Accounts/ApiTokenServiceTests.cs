using FedChat.Core.Accounts;
using FedChat.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace FedChat.Tests.Accounts;

public class ApiTokenServiceTests
{
    [Fact]
    public async Task ValidateTokenAsync_ReturnsTheUser_UntilTheTokenExpires()
    {
        await using var rig = await CoreRig.CreateAsync(o => o.ApiTokenLifetime = TimeSpan.FromHours(1));
        var alice = (await rig.Get<AccountService>().RegisterAsync("alice", "hash", null)).User!;
        var tokens = rig.Get<ApiTokenService>();
        var (token, _) = await tokens.IssueTokenAsync(alice.Id);

        var fresh = await tokens.ValidateTokenAsync(token);
        rig.Clock.Advance(TimeSpan.FromHours(1));
        var expired = await tokens.ValidateTokenAsync(token);

        Assert.Equal("alice", fresh?.Username);
        Assert.Null(expired);
    }

    [Fact]
    public async Task IssueTokenAsync_StoresOnlyAHashOfTheToken()
    {
        await using var rig = await CoreRig.CreateAsync();
        var alice = (await rig.Get<AccountService>().RegisterAsync("alice", "hash", null)).User!;

        var (token, _) = await rig.Get<ApiTokenService>().IssueTokenAsync(alice.Id);

        await using var db = rig.OpenDatabase();
        var stored = await db.ApiTokens.SingleAsync();
        Assert.NotEqual(token, stored.TokenHash);
        Assert.DoesNotContain(token, stored.TokenHash);
    }

    [Theory]
    [InlineData("")]
    [InlineData("made-up-token")]
    public async Task ValidateTokenAsync_UnknownToken_ReturnsNull(string token)
    {
        await using var rig = await CoreRig.CreateAsync();

        Assert.Null(await rig.Get<ApiTokenService>().ValidateTokenAsync(token));
    }
}
