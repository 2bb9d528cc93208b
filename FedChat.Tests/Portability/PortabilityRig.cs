using System.IO.Compression;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FedChat.Core.Storage;
using FedChat.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace FedChat.Tests.Portability;

/// <summary>Small helpers the portability tests share: reading a server's database and actor documents, and editing archives.</summary>
internal static class PortabilityRig
{
    public static async Task<FedChatDbContext> OpenDbAsync(RunningServer server) =>
        await server.Get<IDbContextFactory<FedChatDbContext>>().CreateDbContextAsync();

    /// <summary>
    /// Everything an import could change, as text: users (aliases), posts, follows, keys and queued
    /// deliveries. Equal before and after means the import wrote nothing.
    /// </summary>
    public static async Task<string> SnapshotAsync(RunningServer server)
    {
        await using var db = await OpenDbAsync(server);
        var text = new StringBuilder();
        foreach (var u in await db.Users.AsNoTracking().OrderBy(u => u.Id).ToListAsync())
        {
            text.AppendLine($"user {u.Id} {u.Username} aka={u.AlsoKnownAs} moved={u.MovedTo}");
        }
        foreach (var p in await db.Posts.AsNoTracking().OrderBy(p => p.Id).ToListAsync())
        {
            text.AppendLine($"post {p.Id} {p.OriginalObjectId} {p.ActivityJson}");
        }
        foreach (var f in await db.Follows.AsNoTracking().OrderBy(f => f.Id).ToListAsync())
        {
            text.AppendLine($"follow {f.FollowerId} -> {f.FolloweeId} {f.State}");
        }
        foreach (var k in await db.ActorKeys.AsNoTracking().OrderBy(k => k.Id).ToListAsync())
        {
            text.AppendLine($"key {k.Owner} {k.RsaPublicKeyPem} {k.EcPublicKeyPem}");
        }
        text.AppendLine($"deliveries {await db.Deliveries.CountAsync()}");
        return text.ToString();
    }

    /// <summary>Fetches a document as another server would (Accept: application/activity+json).</summary>
    public static async Task<(int Status, JsonObject? Document)> GetActivityJsonAsync(RunningServer server, string actorId)
    {
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, actorId);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/activity+json"));
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, response.IsSuccessStatusCode ? JsonNode.Parse(body)!.AsObject() : null);
    }

    /// <summary>Returns a copy of an archive with one file changed, and its checksum in the manifest updated or not.</summary>
    public static byte[] ChangeFile(byte[] archive, string name, Func<string, string> change, bool updateChecksum)
    {
        var files = new Dictionary<string, string>();
        using (var zip = new ZipArchive(new MemoryStream(archive), ZipArchiveMode.Read))
        {
            foreach (var entry in zip.Entries)
            {
                using var reader = new StreamReader(entry.Open());
                files[entry.FullName] = reader.ReadToEnd();
            }
        }
        files[name] = change(files[name]);
        if (updateChecksum && name != "manifest.json")
        {
            var manifest = JsonNode.Parse(files["manifest.json"])!.AsObject();
            manifest["sha256"]![name] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(files[name])));
            files["manifest.json"] = manifest.ToJsonString();
        }
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (entryName, content) in files)
            {
                using var writer = new StreamWriter(zip.CreateEntry(entryName).Open(), new UTF8Encoding(false));
                writer.Write(content);
            }
        }
        return buffer.ToArray();
    }
}
