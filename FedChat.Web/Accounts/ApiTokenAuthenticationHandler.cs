using System.Text.Encodings.Web;
using FedChat.Core.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace FedChat.Web.Accounts;

/// <summary>
/// Signs in API callers that send <c>Authorization: Bearer TOKEN</c>, with a token from
/// <c>POST /api/token</c>. A missing, wrong or expired token gets a 401 problem details answer.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiTokenService tokens,
    IProblemDetailsService problemDetails)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    /// <summary>The name of this authentication scheme.</summary>
    public const string SchemeName = "ApiToken";

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var user = await tokens.ValidateTokenAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (user is null)
        {
            Logger.LogInformation("API call with an unknown or expired token refused");
            return AuthenticateResult.Fail("The token is wrong or has expired.");
        }
        var ticket = new AuthenticationTicket(AccountManager.CreatePrincipal(user, SchemeName), SchemeName);
        return AuthenticateResult.Success(ticket);
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var hadToken = result.Failure is not null;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        // RFC 6750 §3: tell the client which scheme to use, and whether its token was the problem.
        Response.Headers.WWWAuthenticate = hadToken ? "Bearer error=\"invalid_token\"" : "Bearer";
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = hadToken ? "Invalid or expired token" : "Sign-in required",
                Detail = hadToken
                    ? "The bearer token is wrong or has expired. Get a new one with POST /api/token."
                    : "Send 'Authorization: Bearer TOKEN'. Get a token with POST /api/token.",
            },
        });
    }
}
