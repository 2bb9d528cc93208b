using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace FedChat.Web.Accounts;

/// <summary>
/// How many password attempts <c>/login</c> and <c>/api/token</c> take, read from
/// <c>FedChat:SignInLimits</c>. Without a limit, a script can try a thousand passwords a minute.
/// </summary>
public sealed class SignInLimitOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string SectionName = "FedChat:SignInLimits";

    /// <summary>
    /// Gets or sets how many sign-in attempts one username gets per minute, from anywhere.
    /// <value>The default is 10.</value>
    /// </summary>
    public int PerAccountPerMinute { get; set; } = 10;

    /// <summary>
    /// Gets or sets how many sign-in attempts one client address gets per minute, for any usernames.
    /// <value>The default is 30.</value>
    /// </summary>
    public int PerAddressPerMinute { get; set; } = 30;
}

/// <summary>
/// Rate limits on password checks, with ASP.NET Core's rate limiter (System.Threading.RateLimiting):
/// per client address in the middleware, per account in <see cref="AccountManager.SignInAsync"/>.
/// Both answer 429 Too Many Requests with a Retry-After header.
/// </summary>
public static class SignInLimits
{
    /// <summary>The window every limit counts in.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Adds the per-address limit on <c>POST /login</c> and <c>POST /api/token</c>.</summary>
    public static IServiceCollection AddSignInLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(SignInLimitOptions.SectionName).Get<SignInLimitOptions>() ?? new();
        services.AddSingleton(options);
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                IsPasswordCheck(context.Request)
                    ? RateLimitPartition.GetFixedWindowLimiter(AddressOf(context), _ => PerMinute(options.PerAddressPerMinute))
                    : RateLimitPartition.GetNoLimiter(""));
            limiter.OnRejected = (rejected, cancellationToken) =>
                WriteTooManyAsync(rejected.HttpContext, $"Too many sign-in attempts from your address ({options.PerAddressPerMinute} a minute).", cancellationToken);
        });
        return services;
    }

    /// <summary>A fixed window of <paramref name="permits"/> per minute, no queue: the extra attempt is refused at once.</summary>
    public static FixedWindowRateLimiterOptions PerMinute(int permits) =>
        new() { PermitLimit = Math.Max(1, permits), Window = Window, QueueLimit = 0, AutoReplenishment = true };

    /// <summary>Answers 429 with Retry-After and a sentence saying what happened and what to do.</summary>
    public static async ValueTask WriteTooManyAsync(HttpContext context, string what, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = ((int)Window.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var detail = what + " Wait a minute, then try again.";
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            await context.Response.WriteAsJsonAsync(new { title = "Too many sign-in attempts", status = 429, detail }, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", cancellationToken);
        }
        else
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(detail, cancellationToken);
        }
    }

    private static bool IsPasswordCheck(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && (request.Path.Equals("/login", StringComparison.OrdinalIgnoreCase) || request.Path.Equals("/api/token", StringComparison.OrdinalIgnoreCase));

    // IPv4 clients may arrive as ::ffff:a.b.c.d on a dual-stack socket; count them as one address.
    private static string AddressOf(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address
            ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
            : IPAddress.None.ToString();
}
