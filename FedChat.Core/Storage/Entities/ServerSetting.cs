namespace FedChat.Core.Storage.Entities;

/// <summary>
/// A setting the admin changes while the server runs (such as the registration mode). Settings from
/// appsettings.json are only defaults; a value stored here wins.
/// </summary>
public class ServerSetting
{
    /// <summary>Gets or sets the setting's name.</summary>
    public string Key { get; set; } = "";

    /// <summary>Gets or sets the setting's value as text.</summary>
    public string Value { get; set; } = "";
}
