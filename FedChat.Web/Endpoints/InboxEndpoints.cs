using FedChat.Core.Accounts;
using FedChat.Core.Federation;
using FedChat.Core.Federation.Inbox;
using FedChat.Core.Signing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FedChat.Web.Endpoints;

/// <summary>
/// The inboxes: where other servers deliver activities. Every request goes through Core's
/// <see cref="InboxProcessor"/>: verify, then store. Refusals are 4xx problem details with the reason.
/// </summary>
public static class InboxEndpoints
{
    /// <summary>Maps <c>POST /users/{username}/inbox</c> and the shared <c>POST /inbox</c>.</summary>
    public static IEndpointRouteBuilder MapInboxEndpoints(this IEndpointRouteBuilder app, int maxBodyBytes)
    {
        var inboxes = app.MapGroup("")
            .WithTags("Federation")
            .DisableAntiforgery() // servers sign their requests; there is no browser form here
            .WithMetadata(new RequestSizeLimitAttribute(maxBodyBytes));
        inboxes.MapPost("/users/{username}/inbox", ReceiveForUserAsync).WithSummary("A user's inbox (signed requests only).");
        inboxes.MapPost("/inbox", (HttpContext context, InboxProcessor inbox, CancellationToken ct) => ReceiveAsync(context, inbox, ct))
            .WithSummary("The shared inbox for every user on this server (signed requests only).");
        return app;
    }

    private static async Task<IResult> ReceiveForUserAsync(string username, HttpContext context, AccountService accounts, InboxProcessor inbox, CancellationToken cancellationToken)
    {
        if (await accounts.FindByUsernameAsync(username, cancellationToken) is null)
        {
            return Results.Problem(title: "No such inbox", detail: $"There is no user {username} here.", statusCode: 404);
        }
        return await ReceiveAsync(context, inbox, cancellationToken);
    }

    private static async Task<IResult> ReceiveAsync(HttpContext context, InboxProcessor inbox, CancellationToken cancellationToken)
    {
        SignableRequest request;
        try
        {
            request = await ToSignableRequestAsync(context.Request, cancellationToken);
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel stops reading at the endpoint's size limit (Content-Length, chunked, or after
            // Expect: 100-continue alike) and says why; answer that, not a 500.
            return Results.Problem(title: ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Body too large" : "Bad request",
                detail: ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? $"The body is larger than this inbox accepts ({context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize} bytes)."
                    : ex.Message,
                statusCode: ex.StatusCode);
        }
        var result = await inbox.ReceiveAsync(request, cancellationToken);
        return result.Accepted
            ? Results.Json(new { status = result.Title }, statusCode: result.StatusCode)
            : Results.Problem(title: result.Title, detail: result.Detail, statusCode: result.StatusCode);
    }

    /// <summary>
    /// Copies what a signature can cover out of ASP.NET's request: method, the URL as the sender
    /// addressed it (its Host header), every header, and the exact body bytes.
    /// </summary>
    internal static async Task<SignableRequest> ToSignableRequestAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken); // bounded by the endpoint's size limit
        var url = new Uri($"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}");
        var headers = request.Headers.Select(h => new KeyValuePair<string, string>(h.Key, h.Value.ToString()));
        return new SignableRequest(request.Method, url, headers, body.ToArray());
    }
}
