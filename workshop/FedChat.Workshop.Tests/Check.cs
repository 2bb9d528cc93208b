namespace FedChat.Workshop.Tests;

/// <summary>
/// How the workshop checks fail: with a sentence a student can act on, not "Expected: True, Actual: False".
/// </summary>
internal static class Check
{
    /// <summary>Fails with <paramref name="otherwise"/> unless <paramref name="holds"/>.</summary>
    public static void That(bool holds, string otherwise)
    {
        if (!holds)
        {
            Assert.Fail(otherwise);
        }
    }

    /// <summary>Gets the folder with FedChat.sln (the checks run from deep inside bin/).</summary>
    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "FedChat.sln")))
            {
                directory = directory.Parent;
            }
            return directory?.FullName ?? throw new InvalidOperationException("FedChat.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
