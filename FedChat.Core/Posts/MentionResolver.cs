using FedChat.Core.ActivityStreams;
using FedChat.Core.Federation;
using FedChat.Core.Identity;
using FedChat.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace FedChat.Core.Posts;

/// <summary>Turns the <c>@someone</c> mentions in a post into the actors they name, here or on other servers.</summary>
public sealed class MentionResolver(IDbContextFactory<FedChatDbContext> dbFactory, InstanceInfo instance, ActorUrls urls, RemoteActors remoteActors)
{
    /// <summary>
    /// Finds who the mentions in a text are: <c>@carol</c> or <c>@carol@this-server</c> are users here,
    /// anything else is looked up with WebFinger. Returns the first one that cannot be found as an error.
    /// </summary>
    public async Task<(IReadOnlyList<Mention> Mentions, string? Error)> ResolveAsync(string content, CancellationToken cancellationToken)
    {
        var mentions = new List<Mention>();
        foreach (var handle in PostDraft.FindMentions(content))
        {
            var parts = handle.TrimStart('@').Split('@');
            if (parts.Length == 1 || parts[1] == instance.Authority.ToLowerInvariant())
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                if (!await db.Users.AnyAsync(u => u.Username == parts[0], cancellationToken))
                {
                    return ([], $"There is no user {parts[0]} on this server (you mentioned {handle}).");
                }
                mentions.Add(new Mention(urls.ActorId(parts[0]), instance.HandleOf(parts[0])));
                continue;
            }
            var found = await remoteActors.ResolveHandleAsync(handle, cancellationToken);
            if (found.Actor is null)
            {
                return ([], $"Could not find {handle}: {found.Error}");
            }
            mentions.Add(new Mention(found.Actor.ActorId, "@" + found.Actor.Handle));
        }
        return (mentions, null);
    }
}
