using System.Security.Claims;
using FedChat.Core.Accounts;
using FedChat.Core.Storage.Entities;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace FedChat.Web.Accounts;

/// <summary>
/// Passwords and sign-in. Hashing uses ASP.NET Core's own <see cref="PasswordHasher{TUser}"/>
/// (PBKDF2, salted); Core's <see cref="AccountService"/> only ever sees the hash.
/// </summary>
public sealed class AccountManager(AccountService accounts, ILogger<AccountManager> logger)
{
    /// <summary>The shortest password allowed.</summary>
    public const int MinPasswordLength = 8;

    /// <summary>The longest password allowed (long enough for any passphrase, short enough to hash quickly).</summary>
    public const int MaxPasswordLength = 200;

    /// <summary>The role name given to the server's admin.</summary>
    public const string AdminRole = "admin";

    private readonly PasswordHasher<UserAccount> _hasher = new();

    /// <summary>Checks the password rules, then creates the account.</summary>
    public async Task<RegistrationResult> RegisterAsync(string? username, string? password, string? inviteCode, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinPasswordLength)
        {
            return new RegistrationResult(null, $"Choose a password of at least {MinPasswordLength} characters.");
        }
        if (password.Length > MaxPasswordLength)
        {
            return new RegistrationResult(null, $"A password can be at most {MaxPasswordLength} characters.");
        }
        var hash = _hasher.HashPassword(new UserAccount(), password);
        return await accounts.RegisterAsync(username, hash, inviteCode, cancellationToken);
    }

    /// <summary>Returns the account when the username and password match, else <c>null</c>.</summary>
    public async Task<UserAccount?> CheckPasswordAsync(string? username, string? password, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(password) || password.Length > MaxPasswordLength)
        {
            return null;
        }
        var user = await accounts.FindByUsernameAsync(username, cancellationToken);
        if (user is null)
        {
            logger.LogInformation("Sign-in failed: no user {Username}", username);
            return null;
        }
        var result = _hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed)
        {
            logger.LogInformation("Sign-in failed: wrong password for {Username}", user.Username);
            return null;
        }
        return user;
    }

    /// <summary>Builds the signed-in identity stored in the auth cookie or made from an API token.</summary>
    public static ClaimsPrincipal CreatePrincipal(UserAccount user, string authenticationScheme = CookieAuthenticationDefaults.AuthenticationScheme)
    {
        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, user.Username),
        ];
        if (user.IsAdmin)
        {
            claims.Add(new Claim(ClaimTypes.Role, AdminRole));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationScheme));
    }

    /// <summary>Reads the user id from a signed-in principal, or <c>null</c> for a visitor.</summary>
    public static int? UserIdOf(ClaimsPrincipal? principal) =>
        int.TryParse(principal?.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
}
