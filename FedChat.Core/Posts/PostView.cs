namespace FedChat.Core.Posts;

/// <summary>A post as pages and the API show it: the text plus who wrote it and when.</summary>
/// <param name="Id">The post's id on this server.</param>
/// <param name="AuthorUsername">The author's username, e.g. <c>alice</c>.</param>
/// <param name="AuthorDisplayName">The author's display name.</param>
/// <param name="AuthorHandle">The author's full handle, e.g. <c>@alice@192.168.1.23:5080</c>.</param>
/// <param name="Content">The plain text of the post.</param>
/// <param name="CreatedAt">When it was written (UTC).</param>
public sealed record PostView(
    long Id,
    string AuthorUsername,
    string AuthorDisplayName,
    string AuthorHandle,
    string Content,
    DateTimeOffset CreatedAt);
