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
        app.MapPost("/logout", (Delegate)LogoutAsync).WithMetadata(new RequireAntiforgeryTokenAttribute()).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> LogoutAsync(HttpContext context)
    {
        // The antiforgery middleware only records its verdict; endpoints that bind no form fields
        // (like this one) must look at it themselves, or a cross-site form signs the user out.
        if (context.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true })
        {
            return Results.Problem(title: "Not signed out",
                detail: "The sign-out form was not sent by this server's own page (missing or wrong antiforgery token).",
                statusCode: StatusCodes.Status400BadRequest);
        }
        await context.SignOutAsync();
        return Results.LocalRedirect("/");
    }
}
