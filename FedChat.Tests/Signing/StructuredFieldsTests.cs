using FedChat.Core.Signing;

namespace FedChat.Tests.Signing;

/// <summary>RFC 8941 parsing, with examples from RFC 8941 §3 and RFC 9421.</summary>
public class StructuredFieldsTests
{
    [Fact]
    public void TryParseDictionary_WithEveryKindOfValue_ReadsThem()
    {
        const string Field = "a=1, b=-2.5, c=\"x \\\"y\\\"\", d=tok/en:1, e=:AQID:, f=?0, g, h=(1 \"two\");p=?1;q=*star";

        Assert.True(StructuredFields.TryParseDictionary(Field, out var members, out var error), error);

        var values = members.ToDictionary(m => m.Key, m => m.Value);
        Assert.Equal(1L, ((SfItem)values["a"]).Value);
        Assert.Equal(-2.5m, ((SfItem)values["b"]).Value);
        Assert.Equal("x \"y\"", ((SfItem)values["c"]).Value);
        Assert.Equal(new SfToken("tok/en:1"), ((SfItem)values["d"]).Value);
        Assert.Equal(new byte[] { 1, 2, 3 }, ((SfItem)values["e"]).Value);
        Assert.Equal(false, ((SfItem)values["f"]).Value);
        Assert.Equal(true, ((SfItem)values["g"]).Value);
        var list = (SfInnerList)values["h"];
        Assert.Equal("(1 \"two\");p;q=*star", StructuredFields.SerializeInnerList(list));
    }

    [Fact]
    public void TryParseDictionary_WithRepeatedKey_KeepsTheLastValue()
    {
        Assert.True(StructuredFields.TryParseDictionary("a=1, a=2", out var members, out _));

        Assert.Equal(2L, ((SfItem)Assert.Single(members).Value).Value);
    }

    [Theory]
    [InlineData("a=1,")]
    [InlineData("a=1 b=2")]
    [InlineData("A=1")]
    [InlineData("a=1234567890123456")]
    [InlineData("a=1.2345")]
    [InlineData("a=\"unterminated")]
    [InlineData("a=\"bad \\escape\"")]
    [InlineData("a=\"tab\there\"")]
    [InlineData("a=:no end")]
    [InlineData("a=?2")]
    [InlineData("a=(1 2")]
    [InlineData("a=(1,2)")]
    [InlineData("a=%")]
    [InlineData("a=")]
    [InlineData("a=1;")]
    [InlineData("a=-")]
    public void TryParseDictionary_WithMalformedField_FailsWithAReasonInsteadOfThrowing(string field)
    {
        var parsed = StructuredFields.TryParseDictionary(field, out var members, out var error);

        Assert.False(parsed);
        Assert.Empty(members);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }
}
