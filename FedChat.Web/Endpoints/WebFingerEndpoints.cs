using System.Text.Json.Nodes;
using FedChat.Core.Accounts;
using FedChat.Core.ActivityStreams;
using FedChat.Core.Identity;

namespace FedChat.Web.Endpoints;

/// <summary>
/// WebFinger (RFC 7033): how another server turns <c>@alice@192.168.1.23:5080</c> into Alice's actor URL.
/// </summary>
public static class WebFingerEndpoints
{
    /// <summary>The JSON Resource Descriptor media type (RFC 7033 §10.2).</summary>
    public const string JrdMediaType = "application/jrd+json";

    /// <summary>Maps <c>GET /.well-known/webfinger?resource=acct:alice@host:port</c>.</summary>
    public static IEndpointRouteBuilder MapWebFingerEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/.well-known/webfinger", FindAsync).WithTags("Federation")
            .WithSummary("Find an actor by handle (RFC 7033).");
        return app;
    }

    private static async Task<IResult> FindAsync(string? resource, AccountService accounts, InstanceInfo instance, ActorUrls urls, CancellationToken cancellationToken)
    {
        if (!TryReadUsername(resource, instance, urls, out var username, out var problem))
        {
            return problem!;
        }
        var user = await accounts.FindByUsernameAsync(username, cancellationToken);
        if (user is null)
        {
            return Results.Problem(title: "No such user", detail: $"There is no {username} on {instance.Authority}.", statusCode: 404);
        }
        var actorId = urls.ActorId(user.Username);
        var jrd = new JsonObject
        {
            ["subject"] = $"acct:{user.Username}@{instance.Authority}",
            ["aliases"] = ActivityStreamsJson.Strings(actorId),
            ["links"] = new JsonArray(
                new JsonObject { ["rel"] = "self", ["type"] = ActivityStreamsJson.MediaType, ["href"] = actorId },
                new JsonObject { ["rel"] = "http://webfinger.net/rel/profile-page", ["type"] = "text/html", ["href"] = actorId }),
        };
        return Results.Text(jrd.ToJsonString(), JrdMediaType);
    }

    /// <summary>
    /// Accepts <c>acct:alice@host:port</c> (what Mastodon asks) and the actor URL itself. A malformed
    /// resource is a 400; a well-formed one for another server or an unknown user is a 404.
    /// </summary>
    internal static bool TryReadUsername(string? resource, InstanceInfo instance, ActorUrls urls, out string username, out IResult? problem)
    {
        username = "";
        problem = null;
        if (string.IsNullOrWhiteSpace(resource) || resource.Length > 300)
        {
            problem = Results.Problem(title: "Missing resource", detail: "Ask for ?resource=acct:USER@HOST:PORT.", statusCode: 400);
            return false;
        }
        if (resource.StartsWith("acct:", StringComparison.OrdinalIgnoreCase))
        {
            var parts = resource[5..].TrimStart('@').Split('@');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                problem = Results.Problem(title: "Malformed resource", detail: $"\"{resource}\" is not of the form acct:USER@HOST:PORT.", statusCode: 400);
                return false;
            }
            if (!string.Equals(parts[1], instance.Authority, StringComparison.OrdinalIgnoreCase))
            {
                problem = Results.Problem(title: "Not on this server", detail: $"{parts[1]} is not this server ({instance.Authority}).", statusCode: 404);
                return false;
            }
            username = Username.Normalize(parts[0]);
            return true;
        }
        if (Uri.TryCreate(resource, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        {
            var prefix = urls.ActorId("");
            if (resource.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && !resource[prefix.Length..].Contains('/'))
            {
                username = resource[prefix.Length..];
                return true;
            }
            problem = Results.Problem(title: "Not an actor here", detail: $"{resource} is not an actor on this server.", statusCode: 404);
            return false;
        }
        problem = Results.Problem(title: "Malformed resource", detail: $"\"{resource}\" is neither acct:USER@HOST:PORT nor an actor URL.", statusCode: 400);
        return false;
    }
}
