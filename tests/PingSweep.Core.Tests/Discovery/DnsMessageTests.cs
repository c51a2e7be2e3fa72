using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using PingSweep.Discovery;
using Xunit;

namespace PingSweep.Tests.Discovery
{
    /// <summary>PTR queries and answers byte by byte, and the files the resolver reads.</summary>
    public class DnsMessageTests
    {
        [Theory]
        [InlineData("198.19.7.10", "10.7.19.198.in-addr.arpa")]
        [InlineData("2001:2:0:21::10", "0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.2.0.0.0.0.0.0.2.0.0.0.1.0.0.2.ip6.arpa")]
        [InlineData("::1", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa")]
        public void The_reverse_name_is_the_one_RFC_1035_and_3596_define(string address, string expected) =>
            Assert.Equal(expected, DnsMessage.ReverseName(NetAddress.Parse(address)));

        [Fact]
        public void A_query_has_the_id_recursion_desired_and_one_PTR_question()
        {
            var query = DnsMessage.BuildPtrQuery(0xBEEF, NetAddress.Parse("192.0.2.1"));
            var expected = new List<byte> { 0xBE, 0xEF, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
            foreach (var label in new[] { "1", "2", "0", "192", "in-addr", "arpa" })
            {
                expected.Add((byte)label.Length);
                expected.AddRange(Encoding.ASCII.GetBytes(label));
            }

            expected.AddRange(new byte[] { 0, 0, 12, 0, 1 });
            Assert.Equal(expected.ToArray(), query);
            Assert.Equal(0xBEEF, DnsMessage.IdOf(query));
        }

        [Fact]
        public void A_PTR_answer_with_a_compressed_owner_gives_the_name_without_the_root_dot()
        {
            var query = DnsMessage.BuildPtrQuery(7, NetAddress.Parse("198.18.0.1"));
            var answer = new Answer(query).Ptr(Answer.PointerToQuestion, "host-1.alive.lab.test").Build();
            Assert.Equal(DnsAnswerKind.Name, DnsMessage.Read(answer, answer.Length, query, out var name));
            Assert.Equal("host-1.alive.lab.test", name);
        }

        [Fact]
        public void A_classless_delegation_CNAME_is_followed_to_its_PTR()
        {
            var query = DnsMessage.BuildPtrQuery(7, NetAddress.Parse("198.18.0.1"));
            var answer = new Answer(query)
                .Record(Answer.PointerToQuestion, DnsMessage.TypeCname, Answer.Name("1.0-25.0.18.198.in-addr.arpa"))
                .Record(Answer.Name("1.0-25.0.18.198.in-addr.arpa"), DnsMessage.TypePtr, Answer.Name("delegated.example"))
                .Build();
            Assert.Equal(DnsAnswerKind.Name, DnsMessage.Read(answer, answer.Length, query, out var name));
            Assert.Equal("delegated.example", name);
        }

        [Fact]
        public void A_PTR_record_for_another_name_is_not_the_answer()
        {
            var query = DnsMessage.BuildPtrQuery(7, NetAddress.Parse("198.18.0.1"));
            var answer = new Answer(query).Record(Answer.Name("2.0.18.198.in-addr.arpa"), DnsMessage.TypePtr, Answer.Name("other.example")).Build();
            Assert.Equal(DnsAnswerKind.NoName, DnsMessage.Read(answer, answer.Length, query, out var name));
            Assert.Null(name);
        }

        [Theory]
        [InlineData(3, "NoName")]       // NXDOMAIN
        [InlineData(2, "AskElsewhere")] // SERVFAIL
        [InlineData(5, "AskElsewhere")] // REFUSED
        public void The_response_code_decides_between_no_name_and_another_server(int rcode, string expectedKind)
        {
            var expected = (DnsAnswerKind)Enum.Parse(typeof(DnsAnswerKind), expectedKind);
            var query = DnsMessage.BuildPtrQuery(7, NetAddress.Parse("198.18.0.1"));
            var answer = new Answer(query) { Rcode = rcode }.Build();
            Assert.Equal(expected, DnsMessage.Read(answer, answer.Length, query, out _));
        }

        [Fact]
        public void An_answer_with_another_id_another_question_or_no_response_bit_is_not_an_answer()
        {
            var query = DnsMessage.BuildPtrQuery(7, NetAddress.Parse("198.18.0.1"));
            var otherId = new Answer(DnsMessage.BuildPtrQuery(8, NetAddress.Parse("198.18.0.1"))).Ptr(Answer.PointerToQuestion, "x").Build();
            var otherQuestion = new Answer(DnsMessage.BuildPtrQuery(7, NetAddress.Parse("198.18.0.2"))).Ptr(Answer.PointerToQuestion, "x").Build();
            var notAResponse = (byte[])query.Clone();

            Assert.Equal(DnsAnswerKind.NotAnAnswer, DnsMessage.Read(otherId, otherId.Length, query, out _));
            Assert.Equal(DnsAnswerKind.NotAnAnswer, DnsMessage.Read(otherQuestion, otherQuestion.Length, query, out _));
            Assert.Equal(DnsAnswerKind.NotAnAnswer, DnsMessage.Read(notAResponse, notAResponse.Length, query, out _));
        }

        [Fact]
        public void The_question_is_matched_regardless_of_letter_case()
        {
            var query = DnsMessage.BuildPtrQuery(7, NetAddress.Parse("198.18.0.1"));
            var upper = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(query).ToUpperInvariant());
            upper[0] = query[0];
            upper[1] = query[1];
            var answer = new Answer(upper).Ptr(Answer.PointerToQuestion, "Host-1.Example").Build();
            Assert.Equal(DnsAnswerKind.Name, DnsMessage.Read(answer, answer.Length, query, out var name));
            Assert.Equal("Host-1.Example", name);
        }

        [Fact]
        public void Hostile_answers_are_read_safely_a_pointer_loop_a_truncation_and_odd_bytes()
        {
            var query = DnsMessage.BuildPtrQuery(7, NetAddress.Parse("198.18.0.1"));

            // The PTR data points at itself: no hang, no exception.
            var loop = new Answer(query).Ptr(Answer.PointerToQuestion, "x").Build();
            var dataAt = loop.Length - 3; // "x" is 1 label byte + 1 char + root
            loop[dataAt] = (byte)(0xC0 | (dataAt >> 8));
            loop[dataAt + 1] = (byte)dataAt;
            Assert.Equal(DnsAnswerKind.NoName, DnsMessage.Read(loop, loop.Length, query, out _));

            // Cut anywhere: never more than "not an answer" or "no name".
            var whole = new Answer(query).Ptr(Answer.PointerToQuestion, "host.example").Build();
            for (var cut = 0; cut < whole.Length; cut++)
            {
                var kind = DnsMessage.Read(whole, cut, query, out _);
                Assert.True(kind == DnsAnswerKind.NotAnAnswer || kind == DnsAnswerKind.NoName, $"cut at {cut}: {kind}");
            }

            // A dot, a space and a non-ASCII byte inside a label are escaped, not passed on raw.
            var odd = new Answer(query).Record(Answer.PointerToQuestion, DnsMessage.TypePtr, new byte[] { 5, (byte)'a', (byte)'.', (byte)' ', 0xE9, (byte)'b', 0 }).Build();
            Assert.Equal(DnsAnswerKind.Name, DnsMessage.Read(odd, odd.Length, query, out var name));
            Assert.Equal("a\\046\\032\\233b", name);
        }

        [Fact]
        public void Resolv_conf_gives_at_most_three_servers_in_order_and_127_0_0_1_without_any()
        {
            var configuration = ResolverConfiguration.Parse(new StringReader(
                "# comment\nsearch lab.test\nnameserver 198.19.8.53\noptions timeout:1\nnameserver 2001:2::53\nnameserver bogus\nnameserver 10.0.0.3\nnameserver 10.0.0.4\n"));
            Assert.Equal(new[] { "198.19.8.53:53", "[2001:2::53]:53", "10.0.0.3:53" }, configuration.Servers.Select(s => s.ToString()).ToArray());
            Assert.Equal("127.0.0.1:53", Assert.Single(ResolverConfiguration.Parse(new StringReader("search x\n")).Servers).ToString());
        }

        [Fact]
        public void The_hosts_file_names_an_address_by_its_first_line_and_first_name()
        {
            var hosts = HostsFile.Parse(new StringReader(
                "127.0.0.1 localhost\n198.19.7.10\tquiet-known quiet # alias\n198.19.7.10 later\n# 198.19.7.11 commented\nnot-an-address x\n2001:2:0:21::10 six\n"));
            Assert.Equal("quiet-known", hosts.Find(NetAddress.Parse("198.19.7.10")));
            Assert.Equal("six", hosts.Find(NetAddress.Parse("2001:2:0:21:0::10")));
            Assert.Null(hosts.Find(NetAddress.Parse("198.19.7.11")));
            Assert.Equal(3, hosts.Count);
        }

        /// <summary>Builds a response to a query: the query's header and question, answers appended.</summary>
        internal sealed class Answer
        {
            public static readonly byte[] PointerToQuestion = { 0xC0, DnsMessage.HeaderLength };
            private readonly byte[] _query;
            private readonly List<byte[]> _records = new List<byte[]>();

            public Answer(byte[] query) => _query = query;

            public int Rcode { get; set; }

            public static byte[] Name(string name)
            {
                var bytes = new List<byte>();
                foreach (var label in name.Split('.'))
                {
                    bytes.Add((byte)label.Length);
                    bytes.AddRange(Encoding.ASCII.GetBytes(label));
                }

                bytes.Add(0);
                return bytes.ToArray();
            }

            public Answer Ptr(byte[] owner, string name) => Record(owner, DnsMessage.TypePtr, Name(name));

            public Answer Record(byte[] owner, ushort type, byte[] data)
            {
                var record = new List<byte>(owner) { (byte)(type >> 8), (byte)type, 0, 1, 0, 0, 0x0E, 0x10, (byte)(data.Length >> 8), (byte)data.Length };
                record.AddRange(data);
                _records.Add(record.ToArray());
                return this;
            }

            public byte[] Build()
            {
                var message = new List<byte>(_query);
                message[2] = (byte)(0x80 | message[2]); // QR
                message[3] = (byte)(0x80 | Rcode);      // RA, RCODE
                message[6] = (byte)(_records.Count >> 8);
                message[7] = (byte)_records.Count;
                foreach (var record in _records)
                {
                    message.AddRange(record);
                }

                return message.ToArray();
            }
        }
    }
}
