using FedChat.Core.Storage;
using FedChat.Core.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FedChat.Core.Accounts;

/// <summary>
/// Settings the admin changes while the server runs. The configured value is the default until the
/// admin picks one; the admin's choice is stored in the database so it survives restarts.
/// </summary>
public sealed class ServerSettings(IDbContextFactory<FedChatDbContext> dbFactory, IOptions<FedChatOptions> options)
{
    private const string RegistrationModeKey = "RegistrationMode";

    /// <summary>Reads who may register right now.</summary>
    public async Task<RegistrationMode> GetRegistrationModeAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.Settings.FindAsync([RegistrationModeKey], cancellationToken);
        return stored is not null && Enum.TryParse<RegistrationMode>(stored.Value, out var mode)
            ? mode
            : options.Value.Registration;
    }

    /// <summary>Changes who may register.</summary>
    public async Task SetRegistrationModeAsync(RegistrationMode mode, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.Settings.FindAsync([RegistrationModeKey], cancellationToken);
        if (stored is null)
        {
            db.Settings.Add(new ServerSetting { Key = RegistrationModeKey, Value = mode.ToString() });
        }
        else
        {
            stored.Value = mode.ToString();
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}
