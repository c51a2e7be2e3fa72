using System;
using System.Management.Automation;

namespace PingSweep
{
    /// <summary>
    /// Builds the module's error records: every one has a specific ErrorId, a category, the offending input
    /// as target, and a recommended action, so a script can branch on the id and a person knows what to do.
    /// </summary>
    internal static class ErrorFactory
    {
        public static ErrorRecord Create(string errorId, ErrorCategory category, object? target, string message, string recommendedAction, Exception? inner = null)
        {
            Exception exception = inner is null ? new ArgumentException(message) : new InvalidOperationException(message, inner);
            return Create(exception, errorId, category, target, message, recommendedAction);
        }

        public static ErrorRecord Create(Exception exception, string errorId, ErrorCategory category, object? target, string message, string recommendedAction)
        {
            return new ErrorRecord(exception, errorId, category, target)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = recommendedAction },
            };
        }
    }
}
