using System.Buffers.Binary;
using System.Text.Json.Nodes;
using FedChat.Core.Signing;

namespace FedChat.Tests.Signing;

/// <summary>RFC 8785 (JCS) with the RFC's own examples.</summary>
public class JsonCanonicalizationTests
{
    /// <summary>RFC 8785 Appendix B: IEEE 754 bits and the text ECMAScript gives for them.</summary>
    [Theory]
    [InlineData("0000000000000000", "0")]
    [InlineData("8000000000000000", "0")]
    [InlineData("0000000000000001", "5e-324")]
    [InlineData("8000000000000001", "-5e-324")]
    [InlineData("7fefffffffffffff", "1.7976931348623157e+308")]
    [InlineData("ffefffffffffffff", "-1.7976931348623157e+308")]
    [InlineData("4340000000000000", "9007199254740992")]
    [InlineData("c340000000000000", "-9007199254740992")]
    [InlineData("4430000000000000", "295147905179352830000")]
    [InlineData("44b52d02c7e14af5", "9.999999999999997e+22")]
    [InlineData("44b52d02c7e14af6", "1e+23")]
    [InlineData("44b52d02c7e14af7", "1.0000000000000001e+23")]
    [InlineData("444b1ae4d6e2ef4e", "999999999999999700000")]
    [InlineData("444b1ae4d6e2ef4f", "999999999999999900000")]
    [InlineData("444b1ae4d6e2ef50", "1e+21")]
    [InlineData("3eb0c6f7a0b5ed8c", "9.999999999999997e-7")]
    [InlineData("3eb0c6f7a0b5ed8d", "0.000001")]
    [InlineData("41b3de4355555553", "333333333.3333332")]
    [InlineData("41b3de4355555554", "333333333.33333325")]
    [InlineData("41b3de4355555555", "333333333.3333333")]
    [InlineData("41b3de4355555556", "333333333.3333334")]
    [InlineData("41b3de4355555557", "333333333.33333343")]
    [InlineData("becbf647612f3696", "-0.0000033333333333333333")]
    [InlineData("43143ff3c1cb0959", "1424953923781206.2")]
    public void FormatNumber_ForAppendixBValue_GivesTheEcmaScriptText(string ieeeHex, string expected)
    {
        var value = BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64BigEndian(Convert.FromHexString(ieeeHex)));

        Assert.Equal(expected, JsonCanonicalization.FormatNumber(value));
    }

    [Theory]
    [InlineData("7fffffffffffffff")] // NaN
    [InlineData("7ff0000000000000")] // Infinity
    public void FormatNumber_ForNaNOrInfinity_Throws(string ieeeHex)
    {
        var value = BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64BigEndian(Convert.FromHexString(ieeeHex)));

        Assert.Throws<ArgumentException>(() => JsonCanonicalization.FormatNumber(value));
    }

    [Theory]
    [InlineData(1.0, "1")]
    [InlineData(-1.5, "-1.5")]
    [InlineData(100.0, "100")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(123e-20, "1.23e-18")]
    [InlineData(0.1, "0.1")]
    public void FormatNumber_ForEverydayValues_GivesTheEcmaScriptText(double value, string expected)
    {
        Assert.Equal(expected, JsonCanonicalization.FormatNumber(value));
    }

    [Fact]
    public void Canonicalize_Section322Example_GivesThePrintedOutput()
    {
        // RFC 8785 §3.2.2 (input) and §3.2.3 end (output).
        const string Input = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;

        var canonical = JsonCanonicalization.Canonicalize(JsonNode.Parse(Input));

        Assert.Equal("{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}", canonical);
    }

    [Fact]
    public void Canonicalize_Section323SortingExample_SortsByUtf16CodeUnits()
    {
        const string Input = """
            {
              "\u20ac": "Euro Sign",
              "\r": "Carriage Return",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "1": "One",
              "\ud83d\ude00": "Emoji: Grinning Face",
              "\u0080": "Control",
              "\u00f6": "Latin Small Letter O With Diaeresis"
            }
            """;

        var canonical = JsonCanonicalization.Canonicalize(JsonNode.Parse(Input));

        Assert.Equal("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"ö\":\"Latin Small Letter O With Diaeresis\",\"€\":\"Euro Sign\",\"😀\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}", canonical);
    }

    [Fact]
    public void Canonicalize_NodesBuiltInCode_GivesTheSameTextAsParsedJson()
    {
        var built = new JsonObject { ["z"] = 5, ["a"] = new JsonArray(1.5m, "x", true, null), ["m"] = new JsonObject { ["b"] = 2L, ["a"] = 1e21 } };
        var parsed = JsonNode.Parse("{ \"a\" : [ 1.50, \"x\", true, null ], \"m\": {\"b\": 2, \"a\": 1000000000000000000000}, \"z\": 5.0 }");

        Assert.Equal("{\"a\":[1.5,\"x\",true,null],\"m\":{\"a\":1e+21,\"b\":2},\"z\":5}", JsonCanonicalization.Canonicalize(built));
        Assert.Equal(JsonCanonicalization.Canonicalize(built), JsonCanonicalization.Canonicalize(parsed));
    }

    [Fact]
    public void Canonicalize_ControlCharacters_UsesShortEscapesOrLowercaseHex()
    {
        var node = JsonValue.Create("\b\t\n\f\r\u0001\u001f\u007f/");

        Assert.Equal("\"\\b\\t\\n\\f\\r\\u0001\\u001f\u007f/\"", JsonCanonicalization.Canonicalize(node));
    }

    [Fact]
    public void Canonicalize_StringWithLoneSurrogate_Throws()
    {
        Assert.Throws<ArgumentException>(() => JsonCanonicalization.Canonicalize(JsonValue.Create("\ud800")));
    }
}
