using FedChat.Core.Events;
using FedChat.Core.Identity;
using FedChat.Core.Storage;
using FedChat.Core.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FedChat.Core.Accounts;

/// <summary>The outcome of a registration: the new account, or a message saying why not.</summary>
/// <param name="User">The new account, when it worked.</param>
/// <param name="Error">Why registration was refused, in words for the person registering.</param>
public sealed record RegistrationResult(UserAccount? User, string? Error)
{
    /// <summary>Gets whether the account was created.</summary>
    public bool Succeeded => User is not null;

    internal static RegistrationResult Fail(string error) => new(null, error);
}

/// <summary>Creates accounts and edits profiles. Password hashing is done by the caller (the web app
/// uses ASP.NET Core's PasswordHasher), so this class only ever sees hashes.</summary>
public sealed class AccountService(
    IDbContextFactory<FedChatDbContext> dbFactory,
    ServerSettings settings,
    InviteService invites,
    KeyStore keys,
    EventFeed events,
    TimeProvider time,
    ILogger<AccountService> logger)
{
    /// <summary>The longest display name allowed.</summary>
    public const int MaxDisplayNameLength = 100;

    /// <summary>The longest bio allowed.</summary>
    public const int MaxBioLength = 500;

    /// <summary>
    /// Creates an account. The first account on a server becomes its admin and needs no invite;
    /// after that, an invite-only server needs a valid <paramref name="inviteCode"/>.
    /// </summary>
    public async Task<RegistrationResult> RegisterAsync(string? usernameInput, string passwordHash, string? inviteCode, CancellationToken cancellationToken = default)
    {
        var username = Username.Normalize(usernameInput);
        if (Username.Validate(username) is string usernameError)
        {
            return RegistrationResult.Fail(usernameError);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // An immediate (write) transaction: two people registering at the same moment are handled
        // one after the other, so there is exactly one admin and an invite is never over-used.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var isFirstUser = !await db.Users.AnyAsync(cancellationToken);
        var usesInvite = false;
        if (!isFirstUser && await settings.GetRegistrationModeAsync(cancellationToken) == RegistrationMode.InviteOnly)
        {
            var status = await invites.CheckInviteAsync(db, inviteCode, cancellationToken);
            if (status != InviteStatus.Valid)
            {
                var reason = string.IsNullOrWhiteSpace(inviteCode)
                    ? "This server is invite-only: you need an invite link from its admin to register."
                    : InviteService.Explain(status);
                return RegistrationResult.Fail(reason);
            }
            usesInvite = true;
        }

        // A deleted account's name stays taken: other servers still remember that actor and its key.
        if (await db.Users.AnyAsync(u => u.Username == username, cancellationToken) || await db.DeletedAccounts.AnyAsync(d => d.Username == username, cancellationToken))
        {
            return RegistrationResult.Fail($"The username \"{username}\" is already taken on this server.");
        }

        var user = new UserAccount
        {
            Username = username,
            DisplayName = username,
            PasswordHash = passwordHash,
            IsAdmin = isFirstUser,
            CreatedAt = time.GetUtcNow(),
        };
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        if (usesInvite)
        {
            await InviteService.UseInviteAsync(db, inviteCode!, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        // Every user is an ActivityPub actor with their own key pairs from the start.
        await keys.GetUserKeysAsync(user.Id, cancellationToken);

        logger.LogInformation("Registered {Username}{Admin}", username, isFirstUser ? " as the server's admin (first user)" : "");
        return new RegistrationResult(user, null);
    }

    /// <summary>Finds an account by username (any case), or <c>null</c>.</summary>
    public async Task<UserAccount?> FindByUsernameAsync(string? username, CancellationToken cancellationToken = default)
    {
        var normalized = Username.Normalize(username);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Username == normalized, cancellationToken);
    }

    /// <summary>Finds an account by id, or <c>null</c>.</summary>
    public async Task<UserAccount?> FindByIdAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
    }

    /// <summary>Counts the accounts on this server.</summary>
    public async Task<int> CountUsersAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.CountAsync(cancellationToken);
    }

    /// <summary>Changes a user's display name and bio. Returns <c>null</c> on success, else the reason.</summary>
    public async Task<string?> UpdateProfileAsync(int userId, string? displayName, string? bio, CancellationToken cancellationToken = default) =>
        await UpdateProfileAsync(userId, displayName, bio, manuallyApprovesFollowers: null, cancellationToken);

    /// <summary>Changes a user's display name, bio and, when given, whether they approve followers by hand.</summary>
    public async Task<string?> UpdateProfileAsync(int userId, string? displayName, string? bio, bool? manuallyApprovesFollowers, CancellationToken cancellationToken = default)
    {
        displayName = (displayName ?? "").Trim();
        bio = (bio ?? "").Trim();
        if (displayName.Length == 0)
        {
            return "Your display name cannot be empty.";
        }
        if (displayName.Length > MaxDisplayNameLength)
        {
            return $"A display name can be at most {MaxDisplayNameLength} characters.";
        }
        if (bio.Length > MaxBioLength)
        {
            return $"A bio can be at most {MaxBioLength} characters.";
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.FindAsync([userId], cancellationToken);
        if (user is null)
        {
            return "Your account no longer exists.";
        }
        user.DisplayName = displayName;
        user.Bio = bio;
        user.ManuallyApprovesFollowers = manuallyApprovesFollowers ?? user.ManuallyApprovesFollowers;
        await db.SaveChangesAsync(cancellationToken);
        events.Publish(new ProfileUpdated(time.GetUtcNow(), user.Username));
        return null;
    }
}
