using System.Security.Cryptography;
using FedChat.Core.Signing;

namespace FedChat.Tests.Signing;

/// <summary>
/// Fixed keys for the test rig, so that every run signs with the same keys: Alice on server-a and
/// Bob on server-b. Generated once with OpenSSL for these tests; they protect nothing.
/// </summary>
internal static class TestKeys
{
    public const string AliceKeyId = "https://server-a.example/users/alice#main-key";
    public const string BobKeyId = "https://server-b.example/users/bob#main-key";
    public const string AliceProofKeyId = "https://server-a.example/users/alice#proof-key";

    public const string AliceRsaPrivatePem = """
        -----BEGIN PRIVATE KEY-----
        MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCsn0rqochnZBzt
        KNOKt3kqm3q/xf9Jf8HYEkyHnEgOOdUBKJXJQIZWWg0p7vFJIKIVP1eoG2mc0RZY
        JNf/mAsl/Xtx06wSK3JFI0z9VeKU3ljP7jWNQrlf7dQ5wRLwo5LUwosuRSWQYi2q
        hR8WPPJijfuofaNzg5IQ5uJZH4WXK31hemq8uQvCVgMm7xottkNID8027bU7AgwA
        AVyQNC11zdG+B2JAr/HbUTJURRKyV+YLBA93PJr4MnWwdjBQAhZL4qr66N99Nd0m
        2Ydg41BZNRIL8MkGQHIAqvx0jS3tw8Fbdf5n5PRD7ZXJTFN6O5H34FnhJZeup5Px
        fy+5NW3bAgMBAAECggEAHwF3p+BKSkPhrDl+kbZ11ZDawfJy8cU4ULKsu1j3WlLJ
        7yzWhrEH0B/ZqHQKM9vgMRfRC1ltJWUq8ccgYwDw07CNiTr/d74FBuUZ0ZEpIxsy
        8Zo0VTysZk4mJf+HguCmoX+WF0gFQMNZt3y0wj5NPSWKk8+JWdjCljWaZ26xhJ7X
        prrJzUNrN7oDLjBIoa5to2F4VcvE6DuXtiwySlDYXg0AWiFMNYDfMXZzzEbXEwzU
        d14tvEyuaGSt7T2VBcacUiHnqH4SIP4/NmzlUyP3urW3bPKUtn3HdHR7gM9vir0Q
        ua3KaYQNDRvbnsESeKBwyTzIsCaZfzCTlBZuFd9pQQKBgQDrKLotZ0fdcWP170dx
        ZEsNlJFfB7alzb3hNhQbY+OAJflEjawCzrgBMCpzMl+M5hGwy9eyoiWVH2EH1gE8
        beg7q9a/CA4ZDsdB+I6CtEzQI5GkFet0iHyYka3BpKGEZ9cbTlXDN6mXRouX7pmx
        MOMvM8rOKcoksEg/02C5wteYmwKBgQC767vS/NaW82pna+HWb3hWmSqOhGAztl7M
        T+dk+uFZDbtWZLMjXICFSIYHALIzsV/vUw7kgRedy3EG0NKR1oSAWKUSW1tgP+f2
        mnOauxC5aYz7tQ+ihP8JQw+Kv9m8EeZEPKIBz96pzyOJ8ujNSamagDKwX3r9mwSB
        ZGrbFNWzwQKBgGo077kX31Y9IxdtJUgqMteEVQ+lbTF/NZXklbo1KAe1ntn+XkS6
        VlJ7DYEPrCX3tt+xgM61+uFZ1bnzRoWjYfKpTojiu3NHwGikOMEBa3vJxLpmB/yO
        tC84BFDj6Ori9zzm6UcM+bRP8TYCVjm3ybOE4cCxERH25/qjnhjnzfWnAoGAL6aE
        x+lI2Jn8fyEB8Qfu8baA7gZvBm3V9+TC/f4HqjcrK6r5KZxJEoLjSV9J0IXHl73t
        5s89F8wAawQEgOpuSsUvhkoYD33k6ckcSz3n7bvv/dtZjZI/wS95/2rKYUAArYja
        Y687/L8DefVYRsXI9d5P/B0Z6LioGc9GsSrFTYECgYEAzHCG8zZak0nd/i/GYSCC
        WXRQamSbRbbfmiNRENwAlNZNTmW+qhz3lnh+VUCOC69ikoYr04l7151OWFFpfwv3
        VvVMkb5D2HXr3iYqlcKatSwaeUyQVucSxEGsH0b9wf9dPOQp+hw47BagLkSGVBrq
        sxsPgPgE4ObCsFAyTt39TPk=
        -----END PRIVATE KEY-----
        """;

    public const string BobRsaPrivatePem = """
        -----BEGIN PRIVATE KEY-----
        MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQC6+ezc6XzuSiWs
        sRPMGoZa4NUqVg1hAjN2RTPZmlIvigCWs2W7Pm3Q/c6a5IroZhGn2ApuAwl0yf2D
        0G8SBZrEsVyX1npqdRC9xHRnZeuzsKLJMYm7wn+84q7CPNOU1JRe5vsMzaEKI5pO
        JbhLtKGlnKHlgxYS3/PWRHCvkFRHt97WGdJTBfL/vnD4vr1FjCAuIw3ezd/MGsli
        CXKsM9fTNx7F+mVCppPrbbdtshne7hRy7E91OqUxg7DuOmsSgarp3iqlE7WumXmJ
        r2IkZQQEH5uqyd65zBLiyUA+prm6kUCs34+hTm2wEm8g2eOxuzAsO+3ALaJ76qwR
        XHkAE7c3AgMBAAECggEAJw/Ki7ZdyryD1WmjHKtX8UlyTyduIRugG6/Gbsn+LH9U
        syckdDNNJvG3RYXEfVvBiYKpXyVURuliBLU5VxcDp97z3KbKqU3uou6VcPqKfN5E
        i+rE/wxZumDTKLIjc77bhl4UCa812xPoCzZ3I53HfX1VF0lFBclyvAtNTWhGKzsj
        ZhKGFIinMKqYpK66Ee+ovMOUqyl/m9MkV/6VzL0lCWiX+YWf+8+CYT60nPDgseL7
        ETRPtVdYQ+ygpofmzxOqMdZdyxoqOr8EnvDrplna4QK2I3XbUxYeaQbqzSo7HOD0
        D4rwS1SXEs5lGQjzk/wKqr7tBlW2lRAmP3TxU46KAQKBgQDtBQSNzpyNMyiHSqr8
        7mwq9ZLksCeVXV1M+JxxobJaZddNYoO3eU96QgNTNCRSt9LX3IzT+C+IPvCooOc4
        MZBpo6R7dew116u4DgTN1Re9IooR/jvCPBzFmXRpVxLg6/PNWNN2aGnHMNTb+4sO
        6rfqzqULv83T3AGwr/jMaYT5NwKBgQDJ8wCQ/82TbzHFdQ+TtxPKscPmFLQOe0qA
        Sf8JhhSGFVMAuDy8BqjaPmD613c3ckb/5B7TxrrtBS47R0jfCdgcXW2WNsY/C1MS
        ar59n9U5SlrtTTvyuKYtbqCT7YNxnLzTkMvT/4o/pu+4Hy76OurzpEsKLZJSEupe
        fsAl2i4yAQKBgEmmzoR2WKVz6TspU7rnJ8utpejUaGh8q7p4YrzYv0Bh9yZ/32hL
        FQxrqPbY9BSUNLuJOGXB8JtI26W64j7PAA4joMAQo8cTbrPx/0Iq3oaSTg9LTiyM
        W3B3v/nf6ejkyUzdNlDMH1qbbPmyz8Jh46beceEVyBL2gbvy4sA6Zey/AoGARr9B
        kIp8y0ymBAWpalc1sMmr1jukhHo+tEi39u8o23w28saYSEqQ9rvpn5bCJgN7ygNx
        pUE2lPg+pPepGLHLKsy0Km6P7uAZvxb0GvBWc1aQGhf3i2WSmdHqoUgQx0lggUF1
        lpQsK3Zg/oC2JWVkj+wbebpTSztjLa17xQb1LgECgYBdr0vg7PG5kneL6NFdRhLJ
        IBAchMqlRdurriusFP4A1kQYCTrURWpLdprw4lcSJg0Y9wU+SBZut2tqps1UZZRI
        K3L+SUgPng0pokyC6y/Pxk9H8kcZwf4AJPIGm6XtHxuDxrWNDFPB08UQCGL+e2OL
        pOWnX9Vdrow1Cl6w2/ZucQ==
        -----END PRIVATE KEY-----
        """;

    public const string AliceEcdsaPrivatePem = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgTsY19/vd6n6UI70V
        ENmAJ6cU288N62fLfkKtbZqL87ihRANCAATUWt6+ye6KeOl4pMAfh15TUENiLzgJ
        lG0KMKDQ1nMOg2r1QtZU3h9Oi6yoszbS4aJUXVwxqWs97JP0VyYUcUJz
        -----END PRIVATE KEY-----
        """;

    public static RSA AliceRsa() => (RSA)KeyPairs.ImportPrivateKeyPem(AliceRsaPrivatePem);

    public static RSA BobRsa() => (RSA)KeyPairs.ImportPrivateKeyPem(BobRsaPrivatePem);

    public static ECDsa AliceEcdsa() => (ECDsa)KeyPairs.ImportPrivateKeyPem(AliceEcdsaPrivatePem);

    /// <summary>The id of Alice's Ed25519 key in her <c>assertionMethod</c>.</summary>
    public const string AliceEdKeyId = "https://server-a.example/users/alice#ed25519-key";

    /// <summary>Alice's Ed25519 key, from a fixed seed (the bytes 1 to 32), so every run signs the same.</summary>
    public static Org.BouncyCastle.Crypto.Parameters.Ed25519PrivateKeyParameters AliceEd25519() =>
        Ed25519Keys.FromSeed(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    /// <summary>Alice's Ed25519 public key as published: a Multikey text.</summary>
    public static string AliceEdMultibase() => Multikey.EncodeEd25519PublicKey(Ed25519Keys.PublicKeyOf(AliceEd25519()));

    /// <summary>A resolver that knows Alice's and Bob's public keys, as a server that fetched both actors would.</summary>
    public static PublicKeyResolver Resolver() => (keyId, _) => Task.FromResult(keyId switch
    {
        AliceKeyId => new PublicKeyInfo(AliceKeyId, Public(AliceRsa())) { Owner = "https://server-a.example/users/alice" },
        BobKeyId => new PublicKeyInfo(BobKeyId, Public(BobRsa())) { Owner = "https://server-b.example/users/bob" },
        _ => null,
    });

    public static AsymmetricAlgorithm Public(AsymmetricAlgorithm key) => KeyPairs.ImportPublicKeyPem(KeyPairs.ExportPublicKeyPem(key));
}
