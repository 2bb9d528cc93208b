using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FedChat.Core.ActivityStreams;
using FedChat.Core.Signing;
using FedChat.Tests.Federation;
using FedChat.Tests.Support;

namespace FedChat.Tests.Security;

/// <summary>One kind of request the suite sends, and whether the receiver must refuse it.</summary>
/// <param name="Name">A short name for the report.</param>
/// <param name="Weight">How often it is picked, relative to the others.</param>
/// <param name="MustBeRefused">True for forgeries, tampering, replays and malformed input.</param>
internal sealed record HostileClass(string Name, int Weight, bool MustBeRefused);

/// <summary>What one request got back.</summary>
internal sealed record HostileOutcome(string Class, bool MustBeRefused, int Status);

/// <summary>
/// The hostile-input suite: a seeded mix of forged, tampered, replayed, malformed and oversized
/// requests from Mallory (a stranger with her own server and keys), among honest posts by Bob (another
/// stranger, whose name Mallory wants to use), all sent to one FedChat inbox. Every request class of
/// the security issue is here; <see cref="HostileSuiteTests"/> runs it and checks the results.
/// </summary>
internal sealed class HostileSuite(Uri inbox, HostileActor bob, HostileActor mallory, int seed)
{
    /// <summary>Every class, with its weight in the mix.</summary>
    public static readonly HostileClass[] Classes =
    [
        new("honest post by bob", 12, false),
        new("honest post by bob, unsigned huge expires", 2, false),
        new("honest post by mallory, dated 9999", 2, false),
        new("key document naming bob as owner", 6, true),
        new("proof key claiming bob as controller", 6, true),
        new("note id on bob's server", 5, true),
        new("activity id on bob's server", 4, true),
        new("attributedTo bob as array/object", 5, true),
        new("bob's keyId, mallory's key", 6, true),
        new("spoofed Update of bob's post", 4, true),
        new("spoofed Delete of bob's post", 3, true),
        new("body changed after signing", 5, true),
        new("header changed after signing", 4, true),
        new("replayed request", 5, true),
        new("date outside the window", 4, true),
        new("huge created time", 4, true),
        new("garbage signature header", 4, true),
        new("unsigned", 3, true),
        new("malformed JSON", 8, true),
        new("duplicate JSON key", 3, true),
        new("proof over 1e400 or a lone surrogate", 3, true),
        new("hostile keyId", 4, true),
        new("oversized body", 1, true),
    ];

    private readonly Random _random = new(seed);
    private readonly ConcurrentQueue<SignableRequest> _sentHonest = new();
    private int _counter;

    /// <summary>The honest activity ids by Bob that were accepted (each must be stored exactly once).</summary>
    public ConcurrentBag<string> AcceptedHonestIds { get; } = [];

    /// <summary>Sends <paramref name="count"/> requests, <paramref name="concurrency"/> at a time, stopping early at <paramref name="budget"/>.</summary>
    public async Task<IReadOnlyList<HostileOutcome>> RunAsync(int count, int concurrency, TimeSpan budget)
    {
        var picks = Enumerable.Range(0, count).Select(_ => Pick()).ToArray();
        var outcomes = new ConcurrentBag<HostileOutcome>();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var clock = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < picks.Length && clock.Elapsed < budget)
            {
                var kind = picks[i];
                foreach (var outcome in await SendAsync(client, kind, i))
                {
                    outcomes.Add(outcome);
                }
            }
        }));
        return [.. outcomes];
    }

    private HostileClass Pick()
    {
        var roll = _random.Next(Classes.Sum(c => c.Weight));
        foreach (var kind in Classes)
        {
            if ((roll -= kind.Weight) < 0)
            {
                return kind;
            }
        }
        return Classes[0];
    }

    private async Task<IEnumerable<HostileOutcome>> SendAsync(HttpClient client, HostileClass kind, int i)
    {
        var n = Interlocked.Increment(ref _counter);
        var variant = new Random(seed * 31 + i); // each request's own choices, independent of thread timing
        if (kind.Name == "oversized body")
        {
            // Expect: 100-continue, as real servers send large bodies: the receiver refuses before the
            // body is sent, instead of closing the connection under a sender that is still writing.
            using var message = new HttpRequestMessage(HttpMethod.Post, inbox) { Content = new ByteArrayContent(new byte[(1024 * 1024) + 1 + variant.Next(1024)]) };
            message.Headers.ExpectContinue = true;
            using var response = await client.SendAsync(message);
            return [new(kind.Name, true, (int)response.StatusCode)];
        }
        if (kind.Name == "replayed request")
        {
            // Send an honest request, then the very same bytes again.
            var honest = SignAsBob(BobsPost(n, "replayed"));
            var first = await SendRawAsync(client, honest);
            if (first is >= 200 and < 300)
            {
                AcceptedHonestIds.Add(ActivityIdOf(honest));
            }
            return [new("honest post by bob", false, first), new(kind.Name, true, await SendRawAsync(client, honest))];
        }
        var request = Build(kind.Name, n, variant);
        var status = await SendRawAsync(client, request);
        if (kind.Name.StartsWith("honest post by bob", StringComparison.Ordinal) && status is >= 200 and < 300)
        {
            AcceptedHonestIds.Add(ActivityIdOf(request));
            _sentHonest.Enqueue(request);
        }
        return [new(kind.Name, kind.MustBeRefused, status)];
    }

    private SignableRequest Build(string kind, int n, Random variant) => kind switch
    {
        "honest post by bob" => SignAsBob(BobsPost(n, "honest words " + n)),
        // expires is not among the signed headers, so it changes nothing; it must not crash the date checks.
        "honest post by bob, unsigned huge expires" => WithSignatureParameter(SignAsBob(BobsPost(n, "honest odd " + n)), ",expires=99999999999999999999999999"),
        "honest post by mallory, dated 9999" => SignAsMallory(WithPublished(MallorysPost(n), "9999-12-31T23:59:59Z")),
        "key document naming bob as owner" => Sign(BobsPost(n, "FORGED owner " + n), mallory.Rsa, mallory.ServeKeyClaimingOwner($"/keys/{n}", bob.ActorId)),
        "proof key claiming bob as controller" => SignAsMallory(ObjectProofs.CreateProof(BobsPost(n, "FORGED proof " + n), mallory.Ecdsa,
            mallory.ServeProofKeyClaimingController($"/proof-keys/{n}", bob.ActorId), DateTimeOffset.UtcNow)),
        "note id on bob's server" => SignAsMallory(ImpersonationTests.Create(mallory.ActorId, bob.Url($"/users/bob/posts/{n}"), "FORGED squat " + n, mallory.Url($"/activities/{n}"))),
        "activity id on bob's server" => SignAsMallory(ImpersonationTests.Create(mallory.ActorId, mallory.Url($"/notes/{n}"), "FORGED activity id " + n, bob.Url($"/activities/{n}"))),
        "attributedTo bob as array/object" => SignAsMallory(AttributedToBob(MallorysPost(n, "FORGED attributed " + n), variant)),
        "bob's keyId, mallory's key" => Sign(BobsPost(n, "FORGED key " + n), mallory.Rsa, bob.KeyId),
        "spoofed Update of bob's post" => SignAsMallory(Spoof("Update", n, variant)),
        "spoofed Delete of bob's post" => SignAsMallory(Spoof("Delete", n, variant)),
        "body changed after signing" => WithBody(SignAsBob(BobsPost(n, "original " + n)), BobsPost(n, "FORGED body " + n)),
        "header changed after signing" => SignAsBob(BobsPost(n, "FORGED header " + n)).WithHeader("Date", DateTimeOffset.UtcNow.AddSeconds(-variant.Next(1, 600)).ToString("r")),
        "date outside the window" => Sign(BobsPost(n, "FORGED old " + n), bob.Rsa, bob.KeyId, new ManualTimeProvider(DateTimeOffset.UtcNow.AddHours(variant.Next(2) == 0 ? -3 : 3))),
        "huge created time" => HugeTime(SignAsBob(BobsPost(n, "FORGED time " + n)), variant),
        "garbage signature header" => SignAsBob(BobsPost(n, "FORGED sig " + n)).WithHeader("Signature", RandomText(variant, variant.Next(0, 400))),
        "unsigned" => new SignableRequest("POST", inbox, [], Encoding.UTF8.GetBytes(BobsPost(n, "FORGED unsigned " + n).ToJsonString())),
        "malformed JSON" => SignBytesAsMallory(MalformedJson(n, variant)),
        "duplicate JSON key" => SignBytesAsMallory(Encoding.UTF8.GetBytes("{\"id\":\"" + bob.Url($"/x/{n}") + "\"," + MallorysPost(n).ToJsonString()[1..])),
        "proof over 1e400 or a lone surrogate" => SignBytesAsMallory(Encoding.UTF8.GetBytes("{\"odd\":" + (variant.Next(2) == 0 ? "1e400" : "\"\\udc00\"") + ","
            + ObjectProofs.CreateProof(MallorysPost(n), mallory.Ecdsa, mallory.ProofKeyId, DateTimeOffset.UtcNow).ToJsonString()[1..])),
        "hostile keyId" => Sign(BobsPost(n, "FORGED keyId " + n), mallory.Rsa, variant.Next(4) switch
        {
            0 => "not a url " + n,
            1 => "file:///etc/passwd#" + n,
            2 => bob.Url("/" + new string('k', 3000)),
            _ => mallory.Url($"/missing/{n}#main-key"),
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private JsonObject BobsPost(int n, string text) => ImpersonationTests.Create(bob.ActorId, bob.Url($"/users/bob/posts/{n}"), text);

    private JsonObject MallorysPost(int n, string text = "hello") => ImpersonationTests.Create(mallory.ActorId, mallory.Url($"/notes/{n}"), text, mallory.Url($"/activities/{n}"));

    private static JsonObject WithPublished(JsonObject create, string published)
    {
        create["object"]!["published"] = published;
        return create;
    }

    private JsonObject AttributedToBob(JsonObject create, Random variant)
    {
        create["object"]!["attributedTo"] = variant.Next(3) switch
        {
            0 => ActivityStreamsJson.Strings(bob.ActorId),
            1 => new JsonObject { ["id"] = bob.ActorId },
            _ => new JsonArray(mallory.ActorId, bob.ActorId),
        };
        return create;
    }

    /// <summary>An Update or Delete of one of Bob's honest posts, said by Bob (a lying key) or by Mallory herself.</summary>
    private JsonObject Spoof(string verb, int n, Random variant)
    {
        var target = _sentHonest.TryPeek(out var honest) ? (string)JsonNode.Parse(honest.Body!)!["object"]!["id"]! : bob.Url("/users/bob/posts/1");
        var byBob = variant.Next(2) == 0;
        var note = new JsonObject { ["id"] = target, ["type"] = verb == "Update" ? "Note" : "Tombstone", ["content"] = "EDITED BY MALLORY " + n };
        if (verb == "Update")
        {
            note["attributedTo"] = bob.ActorId;
        }
        return new JsonObject
        {
            ["id"] = (byBob ? bob.ActorId : mallory.ActorId) + $"#{verb}/{n}",
            ["type"] = verb,
            ["actor"] = byBob ? bob.ActorId : mallory.ActorId,
            ["object"] = note,
        };
    }

    private static SignableRequest HugeTime(SignableRequest signed, Random variant) =>
        WithSignatureParameter(signed, variant.Next(2) == 0 ? ",created=99999999999999" : ",created=-99999999999999");

    private static SignableRequest WithSignatureParameter(SignableRequest signed, string parameter) =>
        signed.WithHeader("Signature", signed.GetHeader("Signature") + parameter);

    private byte[] MalformedJson(int n, Random variant)
    {
        var valid = MallorysPost(n).ToJsonString();
        return variant.Next(7) switch
        {
            0 => Encoding.UTF8.GetBytes(valid[..variant.Next(1, valid.Length - 1)]),
            1 => RandomBytes(variant, variant.Next(1, 2000)),
            2 => Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000)),
            3 => Encoding.UTF8.GetBytes("[" + valid + "]"),
            4 => Encoding.UTF8.GetBytes(valid.Replace("\"id\":\"" + mallory.Url($"/activities/{n}") + "\"", "\"id\":12345", StringComparison.Ordinal)),
            5 => Encoding.UTF8.GetBytes(valid.Replace("\"actor\":\"" + mallory.ActorId + "\"", "\"actor\":[1,{\"x\":null}]", StringComparison.Ordinal)),
            _ => Encoding.UTF8.GetBytes(valid.Replace("\"type\":\"Create\"", "\"type\":{\"deep\":[true]}", StringComparison.Ordinal)),
        };
    }

    private SignableRequest SignAsBob(JsonObject activity) => Sign(activity, bob.Rsa, bob.KeyId);

    private SignableRequest SignAsMallory(JsonObject activity) => Sign(activity, mallory.Rsa, mallory.KeyId);

    private SignableRequest SignBytesAsMallory(byte[] body) =>
        DraftCavageSignatures.SignRequest(new SignableRequest("POST", inbox, [], body), mallory.Rsa, mallory.KeyId, TimeProvider.System);

    private SignableRequest Sign(JsonObject activity, RSA key, string keyId, TimeProvider? clock = null) =>
        DraftCavageSignatures.SignRequest(new SignableRequest("POST", inbox, [], Encoding.UTF8.GetBytes(activity.ToJsonString())), key, keyId, clock ?? TimeProvider.System);

    private static SignableRequest WithBody(SignableRequest signed, JsonObject other) =>
        new(signed.Method, signed.Url, signed.Headers, Encoding.UTF8.GetBytes(other.ToJsonString()));

    private static string ActivityIdOf(SignableRequest request) => (string)JsonNode.Parse(request.Body!)!["id"]!;

    private static async Task<int> SendRawAsync(HttpClient client, SignableRequest request)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Url) { Content = new ByteArrayContent(request.Body ?? []) };
        message.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/activity+json");
        foreach (var (name, value) in request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }
        try
        {
            using var response = await client.SendAsync(message);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0; // the connection broke: counted as "no answer", which the checks treat as a failure
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string RandomText(Random random, int length) =>
        new([.. Enumerable.Range(0, length).Select(_ => (char)random.Next(0x20, 0x7f))]);
}
