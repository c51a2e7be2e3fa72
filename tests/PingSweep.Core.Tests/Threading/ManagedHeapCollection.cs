using Xunit;

namespace PingSweep.Core.Tests.Threading
{
    /// <summary>
    /// Tests that measure the process's managed heap run alone: <see cref="System.GC.GetTotalMemory(bool)"/> counts every
    /// thread's allocations, so a test class running beside them would add its own (seen: 11 MB against a bound of 9).
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class ManagedHeapCollection
    {
        public const string Name = "Managed heap";
    }
}
