using FedChat.Core.Discovery;
using FedChat.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FedChat.Web.Endpoints;

/// <summary>
/// <c>GET /api/peers</c>: the servers this one knows (for the map and for static-peer checks).
/// <c>POST /api/peers</c>: "I am here" from another server, so any server, usually the
/// facilitator's, can be the rendezvous point on Wi-Fi that blocks multicast.
/// </summary>
public static class PeerEndpoints
{
    /// <summary>The largest check-in body accepted; a check-in is a URL and a few short strings.</summary>
    public const int MaxBodyBytes = 4 * 1024;

    /// <summary>Maps <c>/api/peers</c>.</summary>
    public static IEndpointRouteBuilder MapPeerEndpoints(this IEndpointRouteBuilder app)
    {
        var peers = app.MapGroup("/api/peers")
            .WithTags("Peers")
            .DisableAntiforgery() // server-to-server JSON, no cookies involved
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes));

        peers.MapGet("/", GetPeersAsync)
            .WithSummary("List this server and every peer it knows, with status Online, Gone or Unreachable.");
        peers.MapPost("/", CheckInAsync)
            .WithSummary("Check in as a peer (rendezvous): only for the URL of the server sending the request, which must serve NodeInfo; returns the same list as GET.");
        return app;
    }

    private static async Task<Ok<PeerListResponse>> GetPeersAsync(PeerDirectory directory, InstanceInfo self, LocalUserCounter countUsers, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ListAsync(directory, self, countUsers, cancellationToken));

    private static async Task<Results<Ok<PeerListResponse>, ProblemHttpResult>> CheckInAsync(
        PeerCheckIn checkIn, HttpContext context, CheckInVerifier verifier, PeerDirectory directory, InstanceInfo self, LocalUserCounter countUsers, CancellationToken cancellationToken)
    {
        if (checkIn.Validate(out var sighting) is { } error)
        {
            return TypedResults.Problem(title: "The check-in was not accepted", detail: error, statusCode: StatusCodes.Status400BadRequest);
        }

        if (directory.IsSelf(sighting!.Url))
        {
            return TypedResults.Problem(title: "The check-in was not accepted", detail: "That URL is this server's own.", statusCode: StatusCodes.Status400BadRequest);
        }

        // Only a server checking itself in, and one that really is a fediverse server at that URL.
        (sighting, var refused) = await verifier.VerifyAsync(sighting!, context.Connection.RemoteIpAddress, cancellationToken);
        if (refused is not null)
        {
            return TypedResults.Problem(title: "The check-in was not accepted", detail: refused, statusCode: StatusCodes.Status400BadRequest);
        }

        if (!directory.ReportSeen(sighting!))
        {
            return TypedResults.Problem(title: "The check-in was not accepted", detail: $"This server already knows {PeerDirectory.MaxPeers} peers.", statusCode: StatusCodes.Status400BadRequest);
        }

        return TypedResults.Ok(await ListAsync(directory, self, countUsers, cancellationToken));
    }

    private static async Task<PeerListResponse> ListAsync(PeerDirectory directory, InstanceInfo self, LocalUserCounter countUsers, CancellationToken cancellationToken)
    {
        var me = new PeerSummary(self.Name, self.BaseUrl.ToString(), nameof(PeerStatus.Online), self.Version,
            await countUsers(cancellationToken), "", null, null);
        return new PeerListResponse(me, [.. directory.Peers.Select(PeerSummary.From)]);
    }
}
