using FedChat.Core.Identity;
using FedChat.Core.Signing;
using FedChat.Tests.Federation;
using FedChat.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace FedChat.Tests.Identity;

/// <summary>
/// Accounts made before Ed25519 keys existed (the row has RSA and P-256 keys, no Ed25519) get an
/// Ed25519 key pair at the upgrade, and keep their other keys.
/// </summary>
public class KeyStoreUpgradeTests
{
    [Fact]
    public async Task AddMissingEd25519Keys_GivesOldAccountsAKey_AndKeepsTheirRsaAndP256Keys()
    {
        await using var rig = await CoreRig.CreateAsync();
        var before = await rig.Get<KeyStore>().GetUserKeysAsync(7);
        await using (var db = rig.OpenDatabase())
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE ActorKeys SET EdPublicKeyMultibase = NULL, EdPrivateKeyProtected = NULL");
        }

        var added = await rig.Get<KeyStore>().AddMissingEd25519KeysAsync();
        var after = await rig.Get<KeyStore>().GetUserKeysAsync(7);

        Assert.Equal(1, added);
        Assert.Equal((before.RsaPublicKeyPem, before.EcPublicKeyMultibase), (after.RsaPublicKeyPem, after.EcPublicKeyMultibase));
        Assert.NotEqual(before.EdPublicKeyMultibase, after.EdPublicKeyMultibase);
        Assert.Equal(MultikeyType.Ed25519, Multikey.Decode(after.EdPublicKeyMultibase).Type);
        Assert.Equal(0, await rig.Get<KeyStore>().AddMissingEd25519KeysAsync());
    }

    [Fact]
    public async Task ServerStartedAfterTheUpgrade_PublishesAnEd25519KeyForAnOldAccount_WithTheSameRsaKey()
    {
        await using var server = await RunningServer.StartAsync("server-a");
        await server.RegisterAsync("alice");
        var (_, before) = await ActorDocumentTests.GetJsonAsync(server, "users/alice", "application/activity+json");
        await server.StopAsync();
        // What a database from before the upgrade looks like: no Ed25519 key.
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "fedchat.db")}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE ActorKeys SET EdPublicKeyMultibase = NULL, EdPrivateKeyProtected = NULL";
            await command.ExecuteNonQueryAsync();
        }
        SqliteConnection.ClearAllPools();

        await server.StartAgainAsync();
        var (_, after) = await ActorDocumentTests.GetJsonAsync(server, "users/alice", "application/activity+json");

        Assert.Equal((string?)before["publicKey"]!["publicKeyPem"], (string?)after["publicKey"]!["publicKeyPem"]);
        var keys = after["assertionMethod"]!.AsArray().Select(m => (string)m!["publicKeyMultibase"]!).ToList();
        Assert.Equal(MultikeyType.Ed25519, Multikey.Decode(keys[0]).Type);
        Assert.NotEqual((string?)before["assertionMethod"]![0]!["publicKeyMultibase"], keys[0]);
        Assert.Equal((string?)before["assertionMethod"]![1]!["publicKeyMultibase"], keys[1]);
    }
}
