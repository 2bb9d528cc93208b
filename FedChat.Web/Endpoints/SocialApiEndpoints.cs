using FedChat.Core.Federation;
using FedChat.Core.Identity;
using FedChat.Core.Posts;
using FedChat.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FedChat.Web.Endpoints;

/// <summary>
/// The JSON API's social part, for bots and scripts that follow people: the token user's home
/// timeline (what reached them), and follow / unfollow by handle, with the same checks as the Find page.
/// </summary>
public static class SocialApiEndpoints
{
    /// <summary>What <c>POST /api/follows</c> returns: whom, and <c>Pending</c> until their server accepts, then <c>Accepted</c>.</summary>
    public sealed record FollowResponse(string ActorId, string Handle, string State);

    /// <summary>What <c>POST /api/follows</c> expects: a handle such as <c>@bob@192.168.1.24:5080</c>.</summary>
    public sealed record FollowRequest(string? Handle);

    /// <summary>Maps <c>GET /api/timeline/home</c>, <c>POST /api/follows</c> and <c>DELETE /api/follows</c>.</summary>
    public static IEndpointRouteBuilder MapSocialApiEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api")
            .WithTags("API")
            .DisableAntiforgery() // bearer tokens, not cookies
            .WithMetadata(new RequestSizeLimitAttribute(ApiEndpoints.MaxBodyBytes))
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = ApiTokenAuthenticationHandler.SchemeName });

        api.MapGet("/timeline/home", GetHomeAsync)
            .WithSummary("Read the token user's home timeline, newest first: their posts, the posts and boosts of everyone they follow, and direct messages to or from them.");
        api.MapPost("/follows", FollowAsync)
            .WithSummary("Follow someone by handle (@name@host:port) as the token's user; state is Pending until their server accepts.");
        api.MapDelete("/follows", UnfollowAsync)
            .WithSummary("Stop following someone, by handle (?handle=@name@host:port); their server is told with Undo { Follow }.");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<PostView>>> GetHomeAsync(HttpContext context, TimelineService timelines, int? limit, CancellationToken cancellationToken) =>
        TypedResults.Ok(await timelines.GetAsync(TimelineKind.Home, context.User.Identity!.Name, Math.Clamp(limit ?? 20, 1, PostService.MaxPageSize), cancellationToken));

    private static async Task<Results<Ok<FollowResponse>, ProblemHttpResult>> FollowAsync(
        FollowRequest request, HttpContext context, RemoteActors remote, FollowService follows, ActorUrls urls, CancellationToken cancellationToken)
    {
        var (userId, username) = (AccountManager.UserIdOf(context.User)!.Value, context.User.Identity!.Name!);
        // As on the Find page: the handle through WebFinger to the actor, then the follow itself.
        var found = await remote.ResolveHandleAsync(request.Handle, cancellationToken);
        var error = found.Actor is null ? found.Error : await follows.FollowAsync(userId, username, found.Actor.ActorId, cancellationToken);
        if (error is not null)
        {
            return TypedResults.Problem(title: "Not followed", detail: error, statusCode: StatusCodes.Status400BadRequest);
        }
        var state = await follows.GetStateAsync(urls.ActorId(username), found.Actor!.ActorId, cancellationToken);
        return TypedResults.Ok(new FollowResponse(found.Actor.ActorId, "@" + found.Actor.Handle, state?.ToString() ?? "Pending"));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> UnfollowAsync(
        string? handle, HttpContext context, RemoteActors remote, FollowService follows, CancellationToken cancellationToken)
    {
        var found = await remote.ResolveHandleAsync(handle, cancellationToken);
        if (found.Actor is null)
        {
            return TypedResults.Problem(title: "Not unfollowed", detail: found.Error, statusCode: StatusCodes.Status400BadRequest);
        }
        await follows.UnfollowAsync(AccountManager.UserIdOf(context.User)!.Value, context.User.Identity!.Name!, found.Actor.ActorId, cancellationToken);
        return TypedResults.NoContent();
    }
}
