using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace PingSweep.Discovery
{
    /// <summary>
    /// Builds a reverse DNS (PTR) query and reads the answer to it (RFC 1035, 3596; CNAMEs followed as RFC 2317's
    /// classless delegation needs). Every length and pointer is checked against the bytes actually there: a malformed
    /// or hostile answer is "not ours", never an exception and never a read past the datagram.
    /// </summary>
    internal static class DnsMessage
    {
        public const int HeaderLength = 12;
        public const ushort TypePtr = 12;
        public const ushort TypeCname = 5;
        public const ushort ClassIn = 1;
        private const int MaxCompressionJumps = 64;
        private const int MaxChain = 8;

        /// <summary>The name a PTR query asks for: <c>4.3.2.1.in-addr.arpa</c>, or the 32 nibbles of an IPv6 address under <c>ip6.arpa</c>.</summary>
        public static string ReverseName(NetAddress address)
        {
            if (address.IsIPv4)
            {
                var v = address.IPv4Value;
                return string.Format(CultureInfo.InvariantCulture, "{0}.{1}.{2}.{3}.in-addr.arpa", v & 0xFF, (v >> 8) & 0xFF, (v >> 16) & 0xFF, v >> 24);
            }

            var bytes = new byte[16];
            address.WriteBytes(bytes, 0);
            var text = new StringBuilder(72);
            const string hex = "0123456789abcdef";
            for (var i = 15; i >= 0; i--)
            {
                text.Append(hex[bytes[i] & 0xF]).Append('.').Append(hex[bytes[i] >> 4]).Append('.');
            }

            return text.Append("ip6.arpa").ToString();
        }

        /// <summary>A query for the PTR record of <paramref name="address"/>: header with recursion desired, one question.</summary>
        public static byte[] BuildPtrQuery(ushort id, NetAddress address)
        {
            var name = ReverseName(address);
            var labels = name.Split('.');
            var length = HeaderLength + 1 + 4;
            foreach (var label in labels)
            {
                length += 1 + label.Length;
            }

            var query = new byte[length];
            query[0] = (byte)(id >> 8);
            query[1] = (byte)id;
            query[2] = 0x01; // RD
            query[5] = 1;    // QDCOUNT
            var at = HeaderLength;
            foreach (var label in labels)
            {
                query[at++] = (byte)label.Length;
                for (var i = 0; i < label.Length; i++)
                {
                    query[at++] = (byte)label[i];
                }
            }

            query[at++] = 0;
            query[at++] = 0;
            query[at++] = (byte)TypePtr;
            query[at++] = 0;
            query[at] = (byte)ClassIn;
            return query;
        }

        /// <summary>The query's id, as the first two bytes hold it.</summary>
        public static ushort IdOf(byte[] message) => (ushort)((message[0] << 8) | message[1]);

        /// <summary>
        /// Reads an answer to <paramref name="query"/> (which this class built): <see cref="DnsAnswerKind.NotAnAnswer"/>
        /// unless it is a response with the query's id and question; then the name, no name (NXDOMAIN, or no PTR record),
        /// or "ask another server" (SERVFAIL, REFUSED and other failures).
        /// </summary>
        public static DnsAnswerKind Read(byte[] response, int length, byte[] query, out string? name)
        {
            name = null;
            length = Math.Min(length, response.Length);
            if (length < HeaderLength || response[0] != query[0] || response[1] != query[1] || (response[2] & 0x80) == 0)
            {
                return DnsAnswerKind.NotAnAnswer;
            }

            var questions = (response[4] << 8) | response[5];
            var answers = (response[6] << 8) | response[7];
            var questionLength = query.Length - HeaderLength;
            if (questions != 1 || length < HeaderLength + questionLength
                || !SameBytesIgnoringCase(response, HeaderLength, query, HeaderLength, questionLength))
            {
                return DnsAnswerKind.NotAnAnswer;
            }

            var rcode = response[3] & 0x0F;
            if (rcode == 3)
            {
                return DnsAnswerKind.NoName; // NXDOMAIN: the address has no name
            }

            if (rcode != 0)
            {
                return DnsAnswerKind.AskElsewhere;
            }

            var records = new List<KeyValuePair<string, KeyValuePair<ushort, string>>>();
            var at = HeaderLength + questionLength;
            for (var i = 0; i < answers; i++)
            {
                if (!TryReadName(response, length, ref at, out var owner) || at + 10 > length)
                {
                    break; // truncated (TC) or malformed: use what was read
                }

                var type = (ushort)((response[at] << 8) | response[at + 1]);
                var klass = (ushort)((response[at + 2] << 8) | response[at + 3]);
                var dataLength = (response[at + 8] << 8) | response[at + 9];
                at += 10;
                if (at + dataLength > length)
                {
                    break;
                }

                if (klass == ClassIn && (type == TypePtr || type == TypeCname))
                {
                    var dataAt = at;
                    if (TryReadName(response, at + dataLength, ref dataAt, out var target))
                    {
                        records.Add(new KeyValuePair<string, KeyValuePair<ushort, string>>(owner, new KeyValuePair<ushort, string>(type, target)));
                    }
                }

                at += dataLength;
            }

            var wanted = ReverseNameOf(query);
            for (var step = 0; step < MaxChain; step++)
            {
                string? alias = null;
                foreach (var record in records)
                {
                    if (!string.Equals(record.Key, wanted, StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    if (record.Value.Key == TypePtr)
                    {
                        name = record.Value.Value.Length == 0 ? null : record.Value.Value;
                        return name is null ? DnsAnswerKind.NoName : DnsAnswerKind.Name;
                    }

                    alias ??= record.Value.Value;
                }

                if (alias is null)
                {
                    break;
                }

                wanted = alias;
            }

            return DnsAnswerKind.NoName;
        }

        /// <summary>
        /// Reads a (possibly compressed) domain name at <paramref name="at"/>, which moves past it; the labels are joined
        /// with dots, without the root's trailing dot; a byte that is not a printable letter, digit or hyphen-like
        /// character, and a dot or backslash inside a label, is written as <c>\DDD</c> (RFC 4343).
        /// </summary>
        internal static bool TryReadName(byte[] message, int length, ref int at, out string name)
        {
            name = string.Empty;
            var text = new StringBuilder(64);
            var position = at;
            var end = -1;
            var jumps = 0;
            while (true)
            {
                if (position >= length)
                {
                    return false;
                }

                var labelLength = message[position];
                if ((labelLength & 0xC0) == 0xC0)
                {
                    if (position + 1 >= length || ++jumps > MaxCompressionJumps)
                    {
                        return false;
                    }

                    if (end < 0)
                    {
                        end = position + 2;
                    }

                    position = ((labelLength & 0x3F) << 8) | message[position + 1];
                    continue;
                }

                if ((labelLength & 0xC0) != 0)
                {
                    return false; // extended label types are not used in answers
                }

                position++;
                if (labelLength == 0)
                {
                    break;
                }

                if (position + labelLength > length || text.Length > 1024)
                {
                    return false;
                }

                if (text.Length > 0)
                {
                    text.Append('.');
                }

                for (var i = 0; i < labelLength; i++)
                {
                    var c = message[position + i];
                    if (c > 0x20 && c < 0x7F && c != (byte)'.' && c != (byte)'\\')
                    {
                        text.Append((char)c);
                    }
                    else
                    {
                        text.Append('\\').Append(c.ToString("D3", CultureInfo.InvariantCulture));
                    }
                }

                position += labelLength;
            }

            at = end >= 0 ? end : position;
            name = text.ToString();
            return true;
        }

        private static string ReverseNameOf(byte[] query)
        {
            var at = HeaderLength;
            TryReadName(query, query.Length, ref at, out var name);
            return name;
        }

        private static bool SameBytesIgnoringCase(byte[] a, int aAt, byte[] b, int bAt, int count)
        {
            for (var i = 0; i < count; i++)
            {
                var x = a[aAt + i];
                var y = b[bAt + i];
                if (x != y && ToLower(x) != ToLower(y))
                {
                    return false;
                }
            }

            return true;
        }

        private static byte ToLower(byte c) => c >= (byte)'A' && c <= (byte)'Z' ? (byte)(c | 0x20) : c;
    }
}
