using System.Globalization;
using System.Text.Json.Nodes;
using FedChat.Core.Accounts;
using FedChat.Core.ActivityStreams;
using FedChat.Core.Federation;
using FedChat.Core.Identity;
using FedChat.Core.Portability;
using FedChat.Core.Posts;
using FedChat.Web.Components.Shared;

namespace FedChat.Web.Endpoints;

/// <summary>
/// The ActivityPub documents of this server: each user's actor, outbox, followers and following,
/// their posts as Notes, and the instance actor. Servers fetch these; browsers get the pages.
/// </summary>
public static class ActorEndpoints
{
    /// <summary>How many activities one outbox page holds.</summary>
    public const int OutboxPageSize = 20;

    /// <summary>Maps the actor routes.</summary>
    public static IEndpointRouteBuilder MapActorEndpoints(this IEndpointRouteBuilder app)
    {
        var actors = app.MapGroup("").WithTags("Federation");
        actors.MapGet($"/users/{{username:{ActivityPubAcceptConstraint.Name}}}", GetActorAsync).WithSummary("A user's actor document (ask with Accept: application/activity+json).");
        actors.MapGet("/users/{username}/outbox", GetOutboxAsync).WithSummary("The user's public activities, as a paged OrderedCollection.");
        actors.MapGet("/users/{username}/followers", async (string username, ActorUrls urls, FollowService follows, CancellationToken ct) =>
            Collection(urls.Followers(username), await follows.GetFollowersAsync(urls.ActorId(username), ct))).WithSummary("The user's followers.");
        actors.MapGet("/users/{username}/following", async (string username, ActorUrls urls, FollowService follows, CancellationToken ct) =>
            Collection(urls.Following(username), await follows.GetFollowingAsync(urls.ActorId(username), ct))).WithSummary("Whom the user follows.");
        actors.MapGet("/users/{username}/posts/{id:long}", (string username, long id, PostService posts) => GetPostAsync(username, id, posts, activity: false)).WithSummary("A post as a Note.");
        actors.MapGet("/users/{username}/posts/{id:long}/activity", (string username, long id, PostService posts) => GetPostAsync(username, id, posts, activity: true)).WithSummary("The signed Create activity of a post.");
        actors.MapGet("/users/{username}/avatar.svg", GetAvatarAsync).ExcludeFromDescription();
        actors.MapGet("/actor", GetInstanceActorAsync).WithSummary("The server's own actor (type Application).");
        actors.MapGet("/users/{username}/{kind:regex(^(follows|accepts|rejects|likes|boosts)$)}/{**id}", NotPublished)
            .WithSummary("Follow, Accept, Reject, Like and Announce ids: answered 410 Gone on purpose.");
        return app;
    }

    /// <summary>
    /// Follow, Accept, Reject, Like and Announce activities have ids of their own (a path, never a
    /// fragment of the actor), so another server that dereferences one gets an answer about that
    /// activity, not the actor's document. FedChat does not keep them as documents: it delivered each to
    /// the servers it concerned. So the answer is a deliberate 410 Gone, like Mastodon's for activities it
    /// does not serve; Notes and their Create activities are served (<c>/posts/{id}</c>, <c>/activity</c>).
    /// </summary>
    private static IResult NotPublished(string kind) => Results.Problem(
        title: "Not published as a document",
        detail: $"FedChat does not serve its {kind} activities as documents: each was delivered to the servers it concerned.",
        statusCode: 410);

    private static async Task<IResult> GetActorAsync(string username, AccountService accounts, AccountDeletion deletions, KeyStore keys, ActorUrls urls, CancellationToken cancellationToken)
    {
        var user = await accounts.FindByUsernameAsync(username, cancellationToken);
        if (user is null)
        {
            // 410 Gone, not 404: the account existed and was deleted, so other servers may forget it.
            return await deletions.WasDeletedAsync(username.ToLowerInvariant(), cancellationToken)
                ? Results.Problem(title: "This account was deleted", statusCode: 410)
                : Results.Problem(title: "No such user", statusCode: 404);
        }
        var document = ActorDocuments.ToPerson(user, await keys.GetUserKeysAsync(user.Id, cancellationToken), urls);
        return ActivityJson(document);
    }

    private static async Task<IResult> GetInstanceActorAsync(InstanceInfo instance, KeyStore keys, ActorUrls urls, CancellationToken cancellationToken) =>
        ActivityJson(ActorDocuments.ToInstanceActor(instance, await keys.GetInstanceKeysAsync(cancellationToken), urls));

    /// <summary>
    /// An OrderedCollection whose pages hold the signed Create activities exactly as published, newest
    /// first (ActivityPub §5.1). <c>?page=true</c> is the first page; <c>max_id</c> pages further back.
    /// </summary>
    private static async Task<IResult> GetOutboxAsync(string username, string? page, long? max_id, AccountService accounts, PostService posts, ActorUrls urls, CancellationToken cancellationToken)
    {
        var user = await accounts.FindByUsernameAsync(username, cancellationToken);
        if (user is null)
        {
            return Results.Problem(title: "No such user", statusCode: 404);
        }
        var outbox = urls.Outbox(user.Username);
        if (page is null && max_id is null)
        {
            return ActivityJson(new JsonObject
            {
                ["@context"] = ActivityStreamsJson.Context,
                ["id"] = outbox,
                ["type"] = "OrderedCollection",
                ["totalItems"] = await posts.CountOutboxAsync(user.Username, cancellationToken),
                ["first"] = outbox + "?page=true",
            });
        }
        var items = await posts.GetOutboxPageAsync(user.Username, OutboxPageSize, max_id, cancellationToken);
        var pageId = max_id is null ? outbox + "?page=true" : $"{outbox}?page=true&max_id={max_id}";
        var document = new JsonObject
        {
            ["@context"] = ActivityStreamsJson.Strings(ActivityStreamsJson.Context, ActivityStreamsJson.DataIntegrityContext),
            ["id"] = pageId,
            ["type"] = "OrderedCollectionPage",
            ["partOf"] = outbox,
            ["orderedItems"] = new JsonArray([.. items.Select(i => JsonNode.Parse(i.ActivityJson))]),
        };
        if (items.Count == OutboxPageSize)
        {
            document["next"] = $"{outbox}?page=true&max_id={items[^1].Id.ToString(CultureInfo.InvariantCulture)}";
        }
        return ActivityJson(document);
    }

    private static async Task<IResult> GetPostAsync(string username, long id, PostService posts, bool activity)
    {
        var page = await posts.GetOutboxPageAsync(username, 1, id + 1);
        if (page.Count == 0 || page[0].Id != id)
        {
            return Results.Problem(title: "No such post", statusCode: 404);
        }
        var create = JsonNode.Parse(page[0].ActivityJson)!.AsObject();
        if (activity)
        {
            return ActivityJson(create);
        }
        var note = create["object"]!.DeepClone().AsObject();
        note["@context"] = ActivityStreamsJson.Context;
        return ActivityJson(note);
    }

    private static async Task<IResult> GetAvatarAsync(string username, AccountService accounts, CancellationToken cancellationToken)
    {
        var user = await accounts.FindByUsernameAsync(username, cancellationToken);
        return user is null
            ? Results.NotFound()
            : Results.Text(Avatar.ToSvg(user.DisplayName, user.Username), "image/svg+xml");
    }

    private static IResult Collection(string id, IReadOnlyList<string> actorIds) => ActivityJson(new JsonObject
    {
        ["@context"] = ActivityStreamsJson.Context,
        ["id"] = id,
        ["type"] = "OrderedCollection",
        ["totalItems"] = actorIds.Count,
        ["orderedItems"] = ActivityStreamsJson.Strings([.. actorIds]),
    });

    /// <summary>Writes an ActivityPub document with the media type servers expect.</summary>
    public static IResult ActivityJson(JsonObject document) => Results.Text(document.ToJsonString(), ActivityStreamsJson.MediaType);
}
