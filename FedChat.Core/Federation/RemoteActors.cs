using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FedChat.Core.Identity;
using FedChat.Core.Storage;
using FedChat.Core.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FedChat.Core.Federation;

/// <summary>A lookup of someone on another server: who they are, or why they could not be found.</summary>
/// <param name="Actor">The actor, when found.</param>
/// <param name="Error">Why not, in words for the person searching.</param>
public sealed record RemoteLookup(RemoteActor? Actor, string? Error);

/// <summary>
/// Finds people on other servers: <c>@bob@192.168.1.24:5080</c> → WebFinger → Bob's actor document,
/// remembered in the database so we can show him and deliver to his inbox.
/// </summary>
public sealed partial class RemoteActors(IDbContextFactory<FedChatDbContext> dbFactory, SignedHttpClient http, WebFingerClient webFinger, TimeProvider time, ILogger<RemoteActors> logger)
{
    /// <summary>Resolves a handle such as <c>@bob@192.168.1.24:5080</c> (the leading @ is optional) with WebFinger.</summary>
    public async Task<RemoteLookup> ResolveHandleAsync(string? handle, CancellationToken cancellationToken = default)
    {
        if (!WebFingerClient.TryParseHandle(handle, out var user, out var host, out var error))
        {
            return new RemoteLookup(null, error);
        }
        try
        {
            var actorUrl = await webFinger.FindActorUrlAsync(user, host, cancellationToken);
            return await FetchActorAsync(actorUrl.ToString(), cancellationToken);
        }
        catch (FetchFailedException ex)
        {
            return new RemoteLookup(null, ex.Message);
        }
    }

    /// <summary>Fetches an actor document (a signed GET) and stores what we need of it.</summary>
    public async Task<RemoteLookup> FetchActorAsync(string actorId, CancellationToken cancellationToken = default)
    {
        if (!Uri.TryCreate(actorId, UriKind.Absolute, out var url))
        {
            return new RemoteLookup(null, $"\"{actorId}\" is not a URL.");
        }
        JsonObject document;
        try
        {
            document = await http.GetObjectAsync(url, cancellationToken);
        }
        catch (FetchFailedException ex)
        {
            return new RemoteLookup(null, ex.Message);
        }
        var fetched = ReadActor(document, url);
        if (fetched is null)
        {
            return new RemoteLookup(null, $"{actorId} is not an actor with an inbox.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.RemoteActors.FirstOrDefaultAsync(a => a.ActorId == fetched.ActorId, cancellationToken);
        if (stored is null)
        {
            db.RemoteActors.Add(fetched);
            stored = fetched;
        }
        else
        {
            (stored.Handle, stored.DisplayName, stored.Summary, stored.Inbox, stored.SharedInbox) =
                (fetched.Handle, fetched.DisplayName, fetched.Summary, fetched.Inbox, fetched.SharedInbox);
        }
        stored.FetchedAt = time.GetUtcNow();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (Database.IsUniqueViolation(ex))
        {
            // Someone else fetched the same actor at the same moment and stored it first: use theirs.
            await using var again = await dbFactory.CreateDbContextAsync(cancellationToken);
            stored = await again.RemoteActors.AsNoTracking().FirstAsync(a => a.ActorId == fetched.ActorId, cancellationToken);
        }
        logger.LogInformation("Fetched actor {ActorId} (@{Handle})", stored.ActorId, stored.Handle);
        return new RemoteLookup(stored, null);
    }

    /// <summary>
    /// Fetches an actor document afresh and reads its <c>alsoKnownAs</c>: the other accounts its owner
    /// says are theirs too. An account move is believed only when the new account lists the old one here.
    /// </summary>
    public async Task<(RemoteLookup Lookup, IReadOnlyList<string> AlsoKnownAs)> FetchAliasesAsync(string actorId, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<string> aliases = [];
        if (Uri.TryCreate(actorId, UriKind.Absolute, out var url))
        {
            try
            {
                var document = await http.GetObjectAsync(url, cancellationToken);
                if ((string?)document["id"] == actorId)
                {
                    // A list of ids, as Mastodon writes it, or a single id.
                    aliases = document["alsoKnownAs"] is JsonArray list
                        ? [.. list.Select(ActivityStreams.ActivityStreamsJson.IdOf).OfType<string>()]
                        : ActivityStreams.ActivityStreamsJson.IdOf(document["alsoKnownAs"]) is string one ? [one] : [];
                }
            }
            catch (FetchFailedException)
            {
                // FetchActorAsync below fails the same way and says why.
            }
        }
        return (await FetchActorAsync(actorId, cancellationToken), aliases);
    }

    /// <summary>Returns a known actor, fetching it first if we have never seen it.</summary>
    public async Task<RemoteLookup> GetAsync(string actorId, CancellationToken cancellationToken = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var known = await db.RemoteActors.AsNoTracking().FirstOrDefaultAsync(a => a.ActorId == actorId, cancellationToken);
            if (known is not null)
            {
                return new RemoteLookup(known, null);
            }
        }
        return await FetchActorAsync(actorId, cancellationToken);
    }

    /// <summary>
    /// The inboxes to deliver to for <paramref name="actorIds"/>, each fetched if we have never seen it:
    /// one per server when <paramref name="sharedInboxAllowed"/> and the server offers a shared inbox
    /// (fine for public activities), else each actor's own. Actors that cannot be fetched are logged and skipped.
    /// </summary>
    public async Task<IReadOnlyList<Uri>> InboxesOfAsync(IEnumerable<string> actorIds, bool sharedInboxAllowed, CancellationToken cancellationToken = default)
    {
        var inboxes = new List<Uri>();
        foreach (var actorId in actorIds.Distinct())
        {
            var lookup = await GetAsync(actorId, cancellationToken);
            if (lookup.Actor is not { } actor)
            {
                logger.LogWarning("No delivery to {Actor}: their actor cannot be fetched ({Reason})", actorId, lookup.Error);
                continue;
            }
            inboxes.Add(sharedInboxAllowed
                ? Delivery.DeliveryQueue.ChooseInbox(new Uri(actor.Inbox), actor.SharedInbox is null ? null : new Uri(actor.SharedInbox))
                : new Uri(actor.Inbox));
        }
        return [.. inboxes.Distinct()];
    }

    /// <summary>Reads the parts of an actor document we keep; <c>null</c> when it is not usable.</summary>
    internal static RemoteActor? ReadActor(JsonObject document, Uri fetchedFrom)
    {
        try
        {
            var id = (string?)document["id"];
            var inbox = (string?)document["inbox"];
            var username = (string?)document["preferredUsername"];
            if (id is null || inbox is null || username is null
                || !Uri.TryCreate(id, UriKind.Absolute, out var idUrl) || idUrl.Authority != fetchedFrom.Authority)
            {
                // An actor must live where it was fetched from, or any server could claim anyone.
                return null;
            }
            return new RemoteActor
            {
                ActorId = id,
                // Names are shown on every page: no control or bidi override characters, bounded (RemoteText).
                Handle = $"{RemoteText.Clean(username)}@{idUrl.Authority}",
                DisplayName = RemoteText.Clean((string?)document["name"]) is { Length: > 0 } name ? name : RemoteText.Clean(username),
                Summary = Truncate(HtmlToText((string?)document["summary"] ?? ""), 500),
                Inbox = inbox,
                SharedInbox = (string?)document["endpoints"]?["sharedInbox"],
            };
        }
        catch (InvalidOperationException)
        {
            return null; // a field of the wrong JSON type
        }
    }

    /// <summary>
    /// Turns the HTML of a remote post or bio into plain text: line breaks kept, tags dropped, entities
    /// decoded. We show text only, so no markup from another server ever reaches our pages.
    /// </summary>
    public static string HtmlToText(string html)
    {
        var text = BreakPattern().Replace(html, "\n");
        text = TagPattern().Replace(text, "");
        return WebUtility.HtmlDecode(text).Trim();
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    [GeneratedRegex(@"<br\s*/?>|</p>\s*<p[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex BreakPattern();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex TagPattern();
}
