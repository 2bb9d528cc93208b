using FedChat.Core.Accounts;
using FedChat.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace FedChat.Tests.Accounts;

public class AccountServiceTests
{
    private const string SomeHash = "not-a-real-hash";

    [Fact]
    public async Task RegisterAsync_FirstUserBecomesAdmin_OthersDoNot()
    {
        await using var rig = await CoreRig.CreateAsync();
        var accounts = rig.Get<AccountService>();

        var alice = await accounts.RegisterAsync("alice", SomeHash, null);
        var bob = await accounts.RegisterAsync("bob", SomeHash, null);

        Assert.True(alice.User!.IsAdmin);
        Assert.False(bob.User!.IsAdmin);
    }

    [Fact]
    public async Task RegisterAsync_DuplicateUsername_IsRefusedAndNothingStored()
    {
        await using var rig = await CoreRig.CreateAsync();
        var accounts = rig.Get<AccountService>();
        await accounts.RegisterAsync("alice", SomeHash, null);

        var again = await accounts.RegisterAsync("ALICE", "other-hash", null);

        Assert.False(again.Succeeded);
        Assert.Contains("already taken", again.Error);
        await using var db = rig.OpenDatabase();
        Assert.Equal(1, await db.Users.CountAsync());
    }

    [Fact]
    public async Task RegisterAsync_BadUsername_IsRefusedAndNothingStored()
    {
        await using var rig = await CoreRig.CreateAsync();

        var result = await rig.Get<AccountService>().RegisterAsync("bad name!", SomeHash, null);

        Assert.Contains("only contain", result.Error);
        await using var db = rig.OpenDatabase();
        Assert.Equal(0, await db.Users.CountAsync());
    }

    [Fact]
    public async Task RegisterAsync_InviteOnlyWithoutInvite_SaysTheServerIsInviteOnly()
    {
        await using var rig = await CoreRig.CreateAsync(o => o.Registration = RegistrationMode.InviteOnly);
        var accounts = rig.Get<AccountService>();
        await accounts.RegisterAsync("admin", SomeHash, null); // the first user needs no invite

        var result = await accounts.RegisterAsync("bob", SomeHash, null);

        Assert.Contains("invite-only", result.Error);
    }

    [Fact]
    public async Task RegisterAsync_WithUnknownInvite_SaysTheLinkIsNotValid()
    {
        await using var rig = await InviteOnlyServerWithAdminAsync();

        var result = await rig.Get<AccountService>().RegisterAsync("bob", SomeHash, "no-such-code");

        Assert.Contains("not valid", result.Error);
    }

    [Fact]
    public async Task RegisterAsync_SingleUseInvite_WorksOnceThenSaysUsed()
    {
        await using var rig = await InviteOnlyServerWithAdminAsync();
        var invite = await rig.Get<InviteService>().CreateInviteAsync(adminId: 1, maxUses: 1, TimeSpan.FromHours(1));
        var accounts = rig.Get<AccountService>();

        var bob = await accounts.RegisterAsync("bob", SomeHash, invite.Code);
        var carol = await accounts.RegisterAsync("carol", SomeHash, invite.Code);

        Assert.True(bob.Succeeded);
        Assert.Contains("already been used", carol.Error);
        Assert.Null(await accounts.FindByUsernameAsync("carol"));
    }

    [Fact]
    public async Task RegisterAsync_ThreeUseInvite_AllowsExactlyThree()
    {
        await using var rig = await InviteOnlyServerWithAdminAsync();
        var invite = await rig.Get<InviteService>().CreateInviteAsync(1, maxUses: 3, TimeSpan.FromHours(1));
        var accounts = rig.Get<AccountService>();

        var results = new List<RegistrationResult>();
        foreach (var name in new[] { "u1", "u2", "u3", "u4" })
        {
            results.Add(await accounts.RegisterAsync(name, SomeHash, invite.Code));
        }

        Assert.Equal([true, true, true, false], results.Select(r => r.Succeeded));
        Assert.Equal(InviteStatus.UsedUp, await rig.Get<InviteService>().CheckInviteAsync(invite.Code));
    }

    [Fact]
    public async Task RegisterAsync_ExpiredInvite_SaysExpired()
    {
        await using var rig = await InviteOnlyServerWithAdminAsync();
        var invite = await rig.Get<InviteService>().CreateInviteAsync(1, 5, TimeSpan.FromHours(1));
        rig.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        var result = await rig.Get<AccountService>().RegisterAsync("bob", SomeHash, invite.Code);

        Assert.Contains("expired", result.Error);
    }

    [Fact]
    public async Task RegisterAsync_InOpenMode_IgnoresInvites()
    {
        await using var rig = await CoreRig.CreateAsync();
        var accounts = rig.Get<AccountService>();
        await accounts.RegisterAsync("admin", SomeHash, null);

        var result = await accounts.RegisterAsync("bob", SomeHash, "whatever");

        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task SetRegistrationModeAsync_OverridesTheConfiguredDefault()
    {
        await using var rig = await CoreRig.CreateAsync(o => o.Registration = RegistrationMode.Open);
        var settings = rig.Get<ServerSettings>();

        await settings.SetRegistrationModeAsync(RegistrationMode.InviteOnly);

        Assert.Equal(RegistrationMode.InviteOnly, await settings.GetRegistrationModeAsync());
    }

    [Fact]
    public async Task UpdateProfileAsync_StoresNameAndBio_AndRefusesAnEmptyName()
    {
        await using var rig = await CoreRig.CreateAsync();
        var accounts = rig.Get<AccountService>();
        var alice = (await accounts.RegisterAsync("alice", SomeHash, null)).User!;

        var ok = await accounts.UpdateProfileAsync(alice.Id, "Alice Liddell", "Down the rabbit hole");
        var bad = await accounts.UpdateProfileAsync(alice.Id, "  ", "x");

        Assert.Null(ok);
        Assert.NotNull(bad);
        var stored = await accounts.FindByIdAsync(alice.Id);
        Assert.Equal(("Alice Liddell", "Down the rabbit hole"), (stored!.DisplayName, stored.Bio));
    }

    private static async Task<CoreRig> InviteOnlyServerWithAdminAsync()
    {
        var rig = await CoreRig.CreateAsync(o => o.Registration = RegistrationMode.InviteOnly);
        await rig.Get<AccountService>().RegisterAsync("admin", SomeHash, null);
        return rig;
    }
}
