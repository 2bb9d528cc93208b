using System.Net;
using FedChat.Tests.Support;
using Microsoft.Data.Sqlite;

namespace FedChat.Tests.Federation;

/// <summary>
/// The inbox answers 202 once an activity is verified and recorded, and acts on it afterwards. A server
/// killed in between (SIGKILL: no shutdown code runs) must act on it at its next start: nothing it
/// acknowledged is lost, and nothing is done twice.
/// </summary>
public class InboxCrashDurabilityTests
{
    private const int Burst = 20;

    [Fact]
    public async Task SigkillAfter202_BeforeHandling_ThenRestart_EveryPostIsStoredOnce()
    {
        var data = Path.Combine(Path.GetTempPath(), "fedchat-tests", "inbox-crash-" + Guid.NewGuid().ToString("N"));
        var port = RunningServer.FreePort();
        string[] args = ["--urls", $"http://127.0.0.1:{port}", $"--FedChat:DataDirectory={data}", "--FedChat:InstanceName=victim", "--FedChat:Discovery:Enabled=false"];
        await using var bob = await HostileActor.StartAsync("bob");
        var inbox = new Uri($"http://127.0.0.1:{port}/inbox");
        try
        {
            // 1. The server accepts a burst but does not act on it yet (handling paused), then dies.
            using (var first = await ServerProcess.StartAsync([.. args, "--FedChat:Federation:InboxHandlingPaused=true"]))
            {
                for (var i = 1; i <= Burst; i++)
                {
                    var note = ImpersonationTests.Create(bob.ActorId, bob.Url($"/users/bob/notes/{i}"), $"post {i}");
                    using var response = await SignedSender.PostAsync(inbox, note, bob.Rsa, bob.KeyId);
                    Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                }
                first.KillHard();
            }
            Assert.Equal(Burst, await CountAsync(data, "SELECT COUNT(*) FROM ReceivedActivities"));
            Assert.Equal(Burst, await CountAsync(data, "SELECT COUNT(*) FROM InboxQueue"));
            Assert.Equal(0, await CountAsync(data, "SELECT COUNT(*) FROM RemotePosts"));

            // 2. It comes back: the queue, kept in SQLite, is handled; every post is there once.
            using var second = await ServerProcess.StartAsync(args);
            await Eventually.WaitForAsync(() => CountAsync(data, "SELECT COUNT(*) FROM InboxQueue"), n => n == 0, "the queue to be handled");
            Assert.Equal(Burst, await CountAsync(data, "SELECT COUNT(DISTINCT ObjectId) FROM RemotePosts"));
            Assert.Equal(Burst, await CountAsync(data, "SELECT COUNT(*) FROM RemotePosts"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Reads the server's SQLite file directly (WAL lets us read while it runs).</summary>
    private static async Task<int> CountAsync(string dataDirectory, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "fedchat.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
