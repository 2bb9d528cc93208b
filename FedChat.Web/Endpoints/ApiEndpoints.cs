using FedChat.Core.Posts;
using FedChat.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FedChat.Web.Endpoints;

/// <summary>
/// The small JSON API for scripts and bots: get a token, post, like or boost, read the local timeline.
/// Described at <c>/openapi/v1.json</c>; errors are RFC 9457 problem details.
/// </summary>
public static class ApiEndpoints
{
    /// <summary>The largest request body the API accepts. A post is at most 500 characters.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>What <c>POST /api/token</c> expects.</summary>
    public sealed record TokenRequest(string? Username, string? Password);

    /// <summary>What <c>POST /api/token</c> returns.</summary>
    public sealed record TokenResponse(string Token, DateTimeOffset ExpiresAt);

    /// <summary>What <c>POST /api/posts</c> expects.</summary>
    public sealed record NewPostRequest(string? Content);

    /// <summary>
    /// What <c>POST /api/reactions</c> expects: the post's Note id (<c>objectId</c> in a timeline entry),
    /// <c>"like"</c> or <c>"boost"</c>, and <c>undo: true</c> to take it back.
    /// </summary>
    public sealed record ReactionRequest(string? ObjectId, string? Kind, bool Undo = false);

    /// <summary>Maps the <c>/api</c> routes.</summary>
    public static IEndpointRouteBuilder MapApiEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api")
            .WithTags("API")
            .DisableAntiforgery() // bearer tokens, not cookies: there is no cross-site form to forge
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes));

        api.MapPost("/token", IssueTokenAsync)
            .WithSummary("Trade a username and password for a bearer token.");
        api.MapPost("/posts", CreatePostAsync)
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = ApiTokenAuthenticationHandler.SchemeName })
            .WithSummary("Write a post as the token's user.");
        api.MapPost("/reactions", ReactAsync)
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = ApiTokenAuthenticationHandler.SchemeName })
            .WithSummary("Like or boost a post as the token's user, or take it back with undo: true.");
        api.MapGet("/posts/{id:long}", GetPostAsync)
            .WithSummary("Read one post.");
        api.MapGet("/timeline", GetTimelineAsync)
            .WithSummary("Read the local timeline, newest first. Pass 'before' (a post id) for the next page.");
        return app;
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> IssueTokenAsync(
        TokenRequest request, AccountManager accounts, Core.Accounts.ApiTokenService tokens, CancellationToken cancellationToken)
    {
        var (user, throttled) = await accounts.SignInAsync(request.Username, request.Password, cancellationToken);
        if (throttled)
        {
            return TypedResults.Problem(title: "Too many sign-in attempts",
                detail: "Too many sign-in attempts for this account. Wait a minute, then try again.", statusCode: StatusCodes.Status429TooManyRequests);
        }
        if (user is null)
        {
            return TypedResults.Problem(title: "Wrong username or password", statusCode: StatusCodes.Status401Unauthorized);
        }
        var (token, expiresAt) = await tokens.IssueTokenAsync(user.Id, cancellationToken);
        return TypedResults.Ok(new TokenResponse(token, expiresAt));
    }

    private static async Task<Results<Created<PostView>, ProblemHttpResult>> CreatePostAsync(
        NewPostRequest request, HttpContext context, PostService posts, CancellationToken cancellationToken)
    {
        var userId = AccountManager.UserIdOf(context.User)!.Value;
        var result = await posts.CreatePostAsync(userId, request.Content, cancellationToken);
        if (!result.Succeeded)
        {
            return TypedResults.Problem(title: "The post was not accepted", detail: result.Error, statusCode: StatusCodes.Status400BadRequest);
        }
        return TypedResults.Created($"/api/posts/{result.Post!.Id}", result.Post);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ReactAsync(
        ReactionRequest request, HttpContext context, ReactionService reactions, CancellationToken cancellationToken)
    {
        Core.Storage.Entities.ReactionKind? kind = request.Kind?.ToLowerInvariant() switch
        {
            "like" => Core.Storage.Entities.ReactionKind.Like,
            "boost" or "announce" => Core.Storage.Entities.ReactionKind.Announce,
            _ => null,
        };
        if (kind is null || string.IsNullOrWhiteSpace(request.ObjectId))
        {
            return TypedResults.Problem(title: "The reaction was not accepted",
                detail: "Send objectId (the post's Note id, as in a timeline entry) and kind: like or boost.", statusCode: StatusCodes.Status400BadRequest);
        }
        var userId = AccountManager.UserIdOf(context.User)!.Value;
        var error = await reactions.ReactAsync(userId, request.ObjectId, kind.Value, request.Undo, cancellationToken);
        return error is null
            ? TypedResults.NoContent()
            : TypedResults.Problem(title: "The reaction was not accepted", detail: error, statusCode: StatusCodes.Status400BadRequest);
    }

    private static async Task<Results<Ok<PostView>, ProblemHttpResult>> GetPostAsync(long id, PostService posts, CancellationToken cancellationToken)
    {
        var post = await posts.GetPostAsync(id, cancellationToken);
        return post is null
            ? TypedResults.Problem(title: "No such post", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(post);
    }

    private static async Task<Ok<IReadOnlyList<PostView>>> GetTimelineAsync(PostService posts, ReactionService reactions, int? limit, long? before, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reactions.WithReactionsAsync(await posts.GetLocalTimelineAsync(limit ?? 20, before, cancellationToken), null, cancellationToken));
}
