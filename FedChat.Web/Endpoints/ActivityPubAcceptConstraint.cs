using FedChat.Core.ActivityStreams;

namespace FedChat.Web.Endpoints;

/// <summary>
/// Content negotiation for actor URLs (ActivityPub §3.2). <c>/users/alice</c> is both Alice's profile
/// page and her actor document: this route constraint matches only when the request's <c>Accept</c>
/// header asks for ActivityPub JSON, so servers get JSON and browsers fall through to the Blazor page.
/// Used as <c>/users/{username:activitypub}</c>.
/// </summary>
public sealed class ActivityPubAcceptConstraint : IRouteConstraint
{
    /// <summary>The name used in route templates.</summary>
    public const string Name = "activitypub";

    /// <inheritdoc />
    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        routeDirection == RouteDirection.UrlGeneration
        || ActivityStreamsJson.IsActivityPubRequest(httpContext?.Request.Headers.Accept.ToString());
}
