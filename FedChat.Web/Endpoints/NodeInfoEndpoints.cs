using System.Text.Json.Nodes;
using FedChat.Core.Accounts;
using FedChat.Core.ActivityStreams;
using FedChat.Core.Identity;
using FedChat.Core.Posts;

namespace FedChat.Web.Endpoints;

/// <summary>NodeInfo 2.1: what software a server runs and how big it is. The map reads it.</summary>
public static class NodeInfoEndpoints
{
    /// <summary>The schema this server implements.</summary>
    public const string Schema = "http://nodeinfo.diaspora.software/ns/schema/2.1";

    /// <summary>The software name other servers see.</summary>
    public const string SoftwareName = "fedchat";

    /// <summary>Maps <c>/.well-known/nodeinfo</c> (discovery) and <c>/nodeinfo/2.1</c> (the document).</summary>
    public static IEndpointRouteBuilder MapNodeInfoEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/.well-known/nodeinfo", (ActorUrls urls) => Results.Json(new JsonObject
        {
            ["links"] = new JsonArray(new JsonObject { ["rel"] = Schema, ["href"] = urls.Url("nodeinfo/2.1") }),
        })).WithTags("Federation").WithSummary("Where the NodeInfo document is.");

        app.MapGet("/nodeinfo/2.1", DescribeAsync).WithTags("Federation").WithSummary("NodeInfo 2.1 for this server.");
        return app;
    }

    private static async Task<IResult> DescribeAsync(AccountService accounts, PostService posts, ServerSettings settings, InstanceInfo instance, CancellationToken cancellationToken)
    {
        var users = await accounts.CountUsersAsync(cancellationToken);
        var document = new JsonObject
        {
            ["version"] = "2.1",
            ["software"] = new JsonObject
            {
                ["name"] = SoftwareName,
                ["version"] = instance.Version,
                ["repository"] = "https://github.com/fedchat/fedchat",
            },
            ["protocols"] = ActivityStreamsJson.Strings("activitypub"),
            ["services"] = new JsonObject { ["inbound"] = new JsonArray(), ["outbound"] = new JsonArray() },
            ["openRegistrations"] = await settings.GetRegistrationModeAsync(cancellationToken) == RegistrationMode.Open,
            ["usage"] = new JsonObject
            {
                ["users"] = new JsonObject { ["total"] = users, ["activeMonth"] = users, ["activeHalfyear"] = users },
                ["localPosts"] = await posts.CountLocalPostsAsync(cancellationToken),
            },
            ["metadata"] = new JsonObject { ["nodeName"] = instance.Name },
        };
        return Results.Text(document.ToJsonString(), $"application/json; profile=\"{Schema}#\"");
    }
}
