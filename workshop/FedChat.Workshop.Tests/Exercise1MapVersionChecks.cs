using FedChat.Core.Discovery;
using FedChat.Tests.Components;
using FedChat.Web.Components.Shared;

namespace FedChat.Workshop.Tests;

/// <summary>Exercise 1: colour the servers on the map by their FedChat version.</summary>
[Trait("Workshop", "Exercise1")]
public class Exercise1MapVersionChecks
{
    [Fact]
    public async Task MapNode_HasAClassNamedAfterItsVersion()
    {
        foreach (var (version, expectedClass) in new[] { ("0.1", "version-0-1"), ("1.0.0", "version-1-0"), ("2.3.1-beta", "version-2-3") })
        {
            var classes = await NodeClassesAsync(version);

            Check.That(classes.Contains(expectedClass),
                $"The map node for a server running FedChat {version} should have the class '{expectedClass}' on its <g class=\"peer-node …\">, " +
                $"but its classes are '{string.Join(' ', classes)}'. See hint 1 of Exercise 1.");
        }

        // A server that did not say its version (other software, or an old FedChat) gets no version class.
        var unknown = await NodeClassesAsync(null);
        Check.That(!unknown.Any(c => c.StartsWith("version-", StringComparison.Ordinal)),
            $"A server that did not say its version should get no 'version-…' class, but its classes are '{string.Join(' ', unknown)}'. See hint 1 of Exercise 1.");
    }

    [Fact]
    public void Stylesheet_GivesVersionClassesAColour()
    {
        var css = File.ReadAllText(Path.Combine(Check.RepositoryRoot, "FedChat.Web", "Components", "Shared", "PeerNode.razor.css"));

        Check.That(css.Contains(".version-", StringComparison.Ordinal) && css.Contains("fill", StringComparison.Ordinal),
            "PeerNode.razor.css has no rule for a '.version-…' class yet, so every version still looks the same. " +
            "Add one that sets the node's fill colour. See hint 2 of Exercise 1.");
    }

    /// <summary>Renders one map node the way the map page does and returns the classes of its outer &lt;g&gt;.</summary>
    private static async Task<string[]> NodeClassesAsync(string? version)
    {
        var document = await ComponentRenderer.RenderAsync<PeerNode>(new()
        {
            ["Key"] = "http://192.168.1.24:5080",
            ["Name"] = "sam-laptop",
            ["Status"] = PeerStatus.Online,
            ["Users"] = 2,
            ["Version"] = version,
        });
        var node = document.QuerySelector("g.peer-node") ?? throw new InvalidOperationException("PeerNode rendered no <g class=\"peer-node\">: keep that class on the outer element.");
        return [.. node.ClassList];
    }
}
