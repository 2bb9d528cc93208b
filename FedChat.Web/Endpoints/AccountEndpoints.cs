using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;

namespace FedChat.Web.Endpoints;

/// <summary>Account actions that are plain form posts rather than pages.</summary>
public static class AccountEndpoints
{
    /// <summary>Maps <c>POST /logout</c>.</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // A form post with an antiforgery token, so another site cannot sign our users out.
        app.MapPost("/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync();
            return Results.LocalRedirect("/");
        }).WithMetadata(new RequireAntiforgeryTokenAttribute()).ExcludeFromDescription();
        return app;
    }
}
