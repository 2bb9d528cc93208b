using System.Security.Claims;
using System.Threading.RateLimiting;
using FedChat.Core.Accounts;
using FedChat.Core.Identity;
using FedChat.Core.Storage.Entities;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace FedChat.Web.Accounts;

/// <summary>
/// Passwords and sign-in. Hashing uses ASP.NET Core's own <see cref="PasswordHasher{TUser}"/>
/// (PBKDF2, salted); Core's <see cref="AccountService"/> only ever sees the hash.
/// </summary>
/// <param name="accounts">Where accounts live.</param>
/// <param name="logger">Where failed sign-ins are logged.</param>
/// <param name="limits">How many sign-in attempts an account gets; the defaults when null.</param>
/// <param name="hasher">Hashes and checks passwords; ASP.NET Core's PBKDF2 hasher when null.</param>
public sealed class AccountManager(AccountService accounts, ILogger<AccountManager> logger, SignInLimitOptions? limits = null, IPasswordHasher<UserAccount>? hasher = null)
{
    /// <summary>The shortest password allowed.</summary>
    public const int MinPasswordLength = 8;

    /// <summary>The longest password allowed (long enough for any passphrase, short enough to hash quickly).</summary>
    public const int MaxPasswordLength = 200;

    /// <summary>The role name given to the server's admin.</summary>
    public const string AdminRole = "admin";

    private readonly IPasswordHasher<UserAccount> _hasher = hasher ?? new PasswordHasher<UserAccount>();

    // Checked when the username does not exist, so an unknown name costs as much as a known one
    // and the answer's timing does not tell who has an account here.
    private readonly Lazy<string> _dummyHash = new(() => (hasher ?? new PasswordHasher<UserAccount>()).HashPassword(new UserAccount(), Guid.NewGuid().ToString()));

    // One fixed window per username (known or not, so the limit itself reveals nothing).
    private readonly PartitionedRateLimiter<string> _perAccount = PartitionedRateLimiter.Create<string, string>(username =>
        RateLimitPartition.GetFixedWindowLimiter(username, _ => SignInLimits.PerMinute((limits ?? new()).PerAccountPerMinute)));

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

    /// <summary>
    /// Signs in with a username and password, at most <see cref="SignInLimitOptions.PerAccountPerMinute"/>
    /// attempts per username a minute (the per-address limit is in the middleware, see <see cref="SignInLimits"/>).
    /// </summary>
    /// <returns>The account, no account (wrong username or password), or <see cref="SignInResult.Throttled"/>.</returns>
    public async Task<SignInResult> SignInAsync(string? username, string? password, CancellationToken cancellationToken = default)
    {
        using var lease = _perAccount.AttemptAcquire(Username.Normalize(username));
        if (!lease.IsAcquired)
        {
            logger.LogWarning("Sign-in refused: too many attempts for {Username}", username);
            return new SignInResult(null, Throttled: true);
        }
        return new SignInResult(await CheckPasswordAsync(username, password, cancellationToken), Throttled: false);
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
            _hasher.VerifyHashedPassword(new UserAccount(), _dummyHash.Value, password);
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

/// <summary>The outcome of <see cref="AccountManager.SignInAsync"/>.</summary>
/// <param name="User">The account, when the username and password matched.</param>
/// <param name="Throttled">Whether the attempt was refused unchecked: too many for this username this minute.</param>
public sealed record SignInResult(UserAccount? User, bool Throttled);
