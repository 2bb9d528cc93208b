using System.Security.Cryptography;
using System.Text;
using FedChat.Core.Storage;
using FedChat.Core.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FedChat.Core.Accounts;

/// <summary>Bearer tokens for the JSON API: issued for a username and password, checked on each call.</summary>
public sealed class ApiTokenService(IDbContextFactory<FedChatDbContext> dbFactory, IOptions<FedChatOptions> options, TimeProvider time)
{
    /// <summary>Issues a new token for <paramref name="userId"/>. The raw token is returned once and never stored.</summary>
    public async Task<(string Token, DateTimeOffset ExpiresAt)> IssueTokenAsync(int userId, CancellationToken cancellationToken = default)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        var record = new ApiToken
        {
            TokenHash = Hash(token),
            UserId = userId,
            CreatedAt = now,
            ExpiresAt = now + options.Value.ApiTokenLifetime,
        };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ApiTokens.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        return (token, record.ExpiresAt);
    }

    /// <summary>Returns the user a token belongs to, or <c>null</c> when it is unknown or expired.</summary>
    public async Task<UserAccount?> ValidateTokenAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 200)
        {
            return null;
        }
        var hash = Hash(token);
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var record = await db.ApiTokens.AsNoTracking().Include(t => t.User)
            .FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        return record is not null && record.ExpiresAt > now ? record.User : null;
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
