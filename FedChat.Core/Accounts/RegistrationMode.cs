namespace FedChat.Core.Accounts;

/// <summary>Who may create an account on this server.</summary>
public enum RegistrationMode
{
    /// <summary>Anyone who can open the server's page may register.</summary>
    Open,

    /// <summary>Only people with a valid invite link may register (Snikket-style).</summary>
    InviteOnly,
}
