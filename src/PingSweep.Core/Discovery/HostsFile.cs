using System;
using System.Collections.Generic;
using System.IO;

namespace PingSweep.Discovery
{
    /// <summary>The address-to-name part of <c>/etc/hosts</c>: the first name of the first line that lists an address, as glibc's <c>files</c> source answers a reverse lookup.</summary>
    internal sealed class HostsFile
    {
        /// <summary>Where the hosts file lives on Linux and other Unix systems.</summary>
        public const string DefaultPath = "/etc/hosts";

        private readonly Dictionary<NetAddress, string> _names;

        private HostsFile(Dictionary<NetAddress, string> names) => _names = names;

        /// <summary>How many addresses have a name.</summary>
        public int Count => _names.Count;

        /// <summary>Reads the file's text; malformed lines are skipped.</summary>
        public static HostsFile Parse(TextReader reader)
        {
            var names = new Dictionary<NetAddress, string>();
            string? line;
            while ((line = reader.ReadLine()) is not null)
            {
                var hash = line.IndexOf('#');
                if (hash >= 0)
                {
                    line = line.Substring(0, hash);
                }

                var fields = line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length >= 2 && NetAddress.TryParse(fields[0], out var address) && !names.ContainsKey(address))
                {
                    names.Add(address, fields[1]);
                }
            }

            return new HostsFile(names);
        }

        /// <summary>Reads <paramref name="path"/>; an empty table when it cannot be read.</summary>
        public static HostsFile Read(string path = DefaultPath)
        {
            try
            {
                using var reader = new StreamReader(path);
                return Parse(reader);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return new HostsFile(new Dictionary<NetAddress, string>());
            }
        }

        /// <summary>The name the file gives <paramref name="address"/>, or null.</summary>
        public string? Find(NetAddress address) => _names.TryGetValue(address, out var name) ? name : null;
    }
}
