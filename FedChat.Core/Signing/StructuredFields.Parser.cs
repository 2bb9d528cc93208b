using System.Globalization;
using System.Text;

namespace FedChat.Core.Signing;

/// <summary>The RFC 8941 parser itself; see StructuredFields.cs for the entry points.</summary>
internal static partial class StructuredFields
{
    /// <summary>A cursor over the input; each method is one parsing algorithm of RFC 8941 §4.2.</summary>
    private sealed class Parser(string input)
    {
        private int _pos;

        private bool AtEnd => _pos >= input.Length;

        private char Current => input[_pos];

        public void ParseDictionary(List<KeyValuePair<string, object>> members)
        {
            SkipSpaces(); // Leading and trailing spaces are discarded (§4.2 step 2).
            while (!AtEnd)
            {
                var key = ParseKey();
                object member;
                if (!AtEnd && Current == '=')
                {
                    _pos++;
                    member = ParseItemOrInnerList();
                }
                else
                {
                    // A key without "=" means boolean true (§4.2.2 step 3.3).
                    member = new SfItem(true, ParseParameters());
                }

                // A repeated key overwrites the earlier member (§4.2.2 step 3.4).
                members.RemoveAll(m => m.Key == key);
                members.Add(new(key, member));
                SkipOptionalWhitespace();
                if (AtEnd)
                {
                    return;
                }

                Expect(',', "a comma between dictionary members");
                SkipOptionalWhitespace();
                if (AtEnd)
                {
                    throw new FormatException("The dictionary ends with a comma.");
                }
            }
        }

        private object ParseItemOrInnerList() => !AtEnd && Current == '(' ? ParseInnerList() : ParseItem();

        private SfInnerList ParseInnerList()
        {
            Expect('(', "'('");
            var items = new List<SfItem>();
            while (!AtEnd)
            {
                SkipSpaces();
                if (!AtEnd && Current == ')')
                {
                    _pos++;
                    return new SfInnerList(items, ParseParameters());
                }

                items.Add(ParseItem());
                if (!AtEnd && Current != ' ' && Current != ')')
                {
                    throw new FormatException($"Unexpected '{Current}' at position {_pos} inside an inner list.");
                }
            }

            throw new FormatException("An inner list is not closed with ')'.");
        }

        private SfItem ParseItem() => new(ParseBareItem(), ParseParameters());

        private object ParseBareItem()
        {
            if (AtEnd)
            {
                throw new FormatException("A value is missing at the end of the field.");
            }

            var c = Current;
            return c switch
            {
                '-' or (>= '0' and <= '9') => ParseNumber(),
                '"' => ParseString(),
                ':' => ParseByteSequence(),
                '?' => ParseBoolean(),
                '*' or (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') => ParseToken(),
                _ => throw new FormatException($"Unexpected '{c}' at position {_pos}: not the start of a value."),
            };
        }

        private List<KeyValuePair<string, object>> ParseParameters()
        {
            var parameters = new List<KeyValuePair<string, object>>();
            while (!AtEnd && Current == ';')
            {
                _pos++;
                SkipSpaces();
                var key = ParseKey();
                object value = true;
                if (!AtEnd && Current == '=')
                {
                    _pos++;
                    value = ParseBareItem();
                }

                parameters.RemoveAll(p => p.Key == key);
                parameters.Add(new(key, value));
            }

            return parameters;
        }

        private string ParseKey()
        {
            if (AtEnd || !(Current is '*' or (>= 'a' and <= 'z')))
            {
                throw new FormatException($"Expected a key (lowercase letter or '*') at position {_pos}.");
            }

            var start = _pos;
            while (!AtEnd && Current is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-' or '.' or '*')
            {
                _pos++;
            }

            return input[start.._pos];
        }

        private object ParseNumber()
        {
            var start = _pos;
            if (Current == '-')
            {
                _pos++;
            }

            var digitsStart = _pos;
            while (!AtEnd && (char.IsAsciiDigit(Current) || Current == '.'))
            {
                _pos++;
            }

            var text = input[start.._pos];
            var digits = input[digitsStart.._pos];
            var dot = digits.IndexOf('.', StringComparison.Ordinal);
            if (digits.Length == 0 || !char.IsAsciiDigit(digits[0]))
            {
                throw new FormatException($"Malformed number at position {start}.");
            }

            if (dot < 0)
            {
                // Integers have at most 15 digits (§3.3.1).
                return digits.Length <= 15 ? long.Parse(text, CultureInfo.InvariantCulture)
                    : throw new FormatException($"The integer at position {start} has more than 15 digits.");
            }

            // Decimals: at most 12 integer digits and 1 to 3 fraction digits (§3.3.2).
            var fraction = digits.Length - dot - 1;
            if (dot > 12 || fraction is < 1 or > 3 || digits.IndexOf('.', dot + 1) >= 0)
            {
                throw new FormatException($"Malformed decimal at position {start}.");
            }

            return decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        }

        private string ParseString()
        {
            var start = _pos;
            _pos++; // the opening quote
            var text = new StringBuilder();
            while (!AtEnd)
            {
                var c = input[_pos++];
                if (c == '\\')
                {
                    // Only \" and \\ are valid escapes (§4.2.5 step 4.2).
                    if (AtEnd || !(Current is '"' or '\\'))
                    {
                        throw new FormatException($"Invalid escape in the string at position {start}.");
                    }

                    text.Append(input[_pos++]);
                }
                else if (c == '"')
                {
                    return text.ToString();
                }
                else if (c < 0x20 || c > 0x7E)
                {
                    throw new FormatException($"The string at position {start} contains a character that is not printable ASCII.");
                }
                else
                {
                    text.Append(c);
                }
            }

            throw new FormatException($"The string at position {start} has no closing quote.");
        }

        private SfToken ParseToken()
        {
            var start = _pos;
            _pos++;
            // tchar (RFC 9110 §5.6.2) plus ':' and '/' (§4.2.6).
            while (!AtEnd && (char.IsAsciiLetterOrDigit(Current) || "!#$%&'*+-.^_`|~:/".Contains(Current, StringComparison.Ordinal)))
            {
                _pos++;
            }

            return new SfToken(input[start.._pos]);
        }

        private byte[] ParseByteSequence()
        {
            var start = _pos;
            _pos++; // the opening colon
            var end = input.IndexOf(':', _pos);
            if (end < 0)
            {
                throw new FormatException($"The byte sequence at position {start} has no closing ':'.");
            }

            var base64 = input[_pos..end];
            _pos = end + 1;
            var buffer = new byte[base64.Length];
            if (base64.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '='))
                || !Convert.TryFromBase64String(base64, buffer, out var written))
            {
                throw new FormatException($"The byte sequence at position {start} is not valid base64.");
            }

            return buffer[..written];
        }

        private bool ParseBoolean()
        {
            _pos++; // the '?'
            if (AtEnd || !(Current is '0' or '1'))
            {
                throw new FormatException($"A boolean must be ?0 or ?1 (position {_pos}).");
            }

            return input[_pos++] == '1';
        }

        private void Expect(char expected, string what)
        {
            if (AtEnd || Current != expected)
            {
                throw new FormatException(AtEnd ? $"Expected {what} but the field ended." : $"Expected {what} at position {_pos}, found '{Current}'.");
            }

            _pos++;
        }

        private void SkipSpaces()
        {
            while (!AtEnd && Current == ' ')
            {
                _pos++;
            }
        }

        private void SkipOptionalWhitespace()
        {
            while (!AtEnd && Current is ' ' or '\t')
            {
                _pos++;
            }
        }
    }
}
