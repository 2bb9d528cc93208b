using System.Security.Cryptography;
using FedChat.Core.Storage;
using FedChat.Core.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace FedChat.Core.Accounts;

/// <summary>Whether an invite code can still be used.</summary>
public enum InviteStatus
{
    /// <summary>The invite exists, has uses left and has not expired.</summary>
    Valid,

    /// <summary>No invite has this code (mistyped, cut off, or deleted by the admin).</summary>
    Missing,

    /// <summary>Every use of the invite has been taken.</summary>
    UsedUp,

    /// <summary>The invite's expiry time has passed.</summary>
    Expired,
}

/// <summary>Invite links: the admin makes them, newcomers register with them (Snikket-style).</summary>
public sealed class InviteService(IDbContextFactory<FedChatDbContext> dbFactory, TimeProvider time)
{
    /// <summary>The most accounts a single invite may create.</summary>
    public const int MaxUsesLimit = 1000;

    /// <summary>Makes a new invite that works <paramref name="maxUses"/> times for <paramref name="validFor"/>.</summary>
    public async Task<Invite> CreateInviteAsync(int adminId, int maxUses, TimeSpan validFor, CancellationToken cancellationToken = default)
    {
        if (maxUses is < 1 or > MaxUsesLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(maxUses), $"An invite can be used 1 to {MaxUsesLimit} times.");
        }
        if (validFor <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(validFor), "An invite must be valid for some time.");
        }

        var now = time.GetUtcNow();
        var invite = new Invite
        {
            // 16 random bytes: unguessable, and short enough to read out loud if needed.
            Code = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            MaxUses = maxUses,
            CreatedAt = now,
            ExpiresAt = now + validFor,
            CreatedById = adminId,
        };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Invites.Add(invite);
        await db.SaveChangesAsync(cancellationToken);
        return invite;
    }

    /// <summary>Lists all invites, newest first.</summary>
    public async Task<IReadOnlyList<Invite>> ListInvitesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Invites.AsNoTracking().OrderByDescending(i => i.Id).ToListAsync(cancellationToken);
    }

    /// <summary>Deletes an invite so its link stops working.</summary>
    public async Task DeleteInviteAsync(int inviteId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Invites.Where(i => i.Id == inviteId).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Tells whether <paramref name="code"/> can be used right now.</summary>
    public async Task<InviteStatus> CheckInviteAsync(string? code, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await CheckInviteAsync(db, code, cancellationToken);
    }

    /// <summary>The same check, inside a caller's database transaction.</summary>
    internal async Task<InviteStatus> CheckInviteAsync(FedChatDbContext db, string? code, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return InviteStatus.Missing;
        }
        var invite = await db.Invites.AsNoTracking().FirstOrDefaultAsync(i => i.Code == code.Trim(), cancellationToken);
        return StatusOf(invite, time.GetUtcNow());
    }

    /// <summary>Works out an invite's status at a given moment.</summary>
    public static InviteStatus StatusOf(Invite? invite, DateTimeOffset now) => invite switch
    {
        null => InviteStatus.Missing,
        _ when invite.ExpiresAt <= now => InviteStatus.Expired,
        _ when invite.Uses >= invite.MaxUses => InviteStatus.UsedUp,
        _ => InviteStatus.Valid,
    };

    /// <summary>A message for someone who followed an invite link that does not work.</summary>
    public static string Explain(InviteStatus status) => status switch
    {
        InviteStatus.Missing => "This invite link is not valid. Check that you copied the whole link, or ask the server's admin for a new one.",
        InviteStatus.UsedUp => "This invite link has already been used. Ask the server's admin for a new one.",
        InviteStatus.Expired => "This invite link has expired. Ask the server's admin for a new one.",
        _ => "This invite link is valid.",
    };

    /// <summary>Counts one use of the invite, inside the registration's transaction.</summary>
    internal static async Task UseInviteAsync(FedChatDbContext db, string code, CancellationToken cancellationToken) =>
        await db.Invites.Where(i => i.Code == code.Trim()).ExecuteUpdateAsync(s => s.SetProperty(i => i.Uses, i => i.Uses + 1), cancellationToken);
}
