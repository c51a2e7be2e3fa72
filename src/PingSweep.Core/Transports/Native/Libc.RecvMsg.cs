using System.Runtime.InteropServices;

namespace PingSweep.Transports.Native
{
    internal static partial class Libc
    {
        /// <summary>recvmsg(2): one message with its ancillary data; with MSG_ERRQUEUE, one entry of the socket's error queue.</summary>
        [DllImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
        public static extern unsafe long RecvMsg(int fd, MsgHdr* message, int flags);
    }
}
