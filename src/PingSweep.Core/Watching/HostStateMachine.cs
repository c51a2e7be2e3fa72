namespace PingSweep.Watching
{
    /// <summary>
    /// One host's state, decided round by round with hysteresis: a single lost round changes nothing, <c>DownAfter</c>
    /// consecutive failed rounds make an Up host Down (or Unreachable, when the last of them was reported undeliverable),
    /// and <c>UpAfter</c> consecutive answered rounds make it Up again. The first round decides the initial state on its
    /// own, so a watch reports every host at once.
    /// </summary>
    /// <remarks>
    /// <para>A failed host moves between Down and Unreachable only after <c>DownAfter</c> consecutive rounds of the other
    /// kind, so a router that answers some rounds with an error and lets others time out does not make a change a round.</para>
    /// <para>A state begins when the first of the rounds that decided it was sent: a host that stopped answering went Down
    /// when its first unanswered request left, not <c>DownAfter</c> rounds later when the watch was sure.</para>
    /// <para>Pure and single-threaded: its owner serializes the calls. Constant memory: a few counters per host.</para>
    /// </remarks>
    internal sealed class HostStateMachine
    {
        private readonly int _downAfter;
        private readonly int _upAfter;
        private Streak _answered;
        private Streak _failed;
        private Streak _lost;
        private Streak _errors;
        private double _answeredRttSumMs;
        private string? _lastReason;

        /// <summary>Creates the machine of a host watched since <paramref name="startTicks"/>.</summary>
        /// <param name="downAfter">Consecutive failed rounds before an Up host is declared failed; at least 1.</param>
        /// <param name="upAfter">Consecutive answered rounds before a failed host is Up again; at least 1.</param>
        /// <param name="startTicks">When the watch started: the beginning of <see cref="HostState.Unknown"/>.</param>
        public HostStateMachine(int downAfter, int upAfter, long startTicks)
        {
            _downAfter = downAfter < 1 ? 1 : downAfter;
            _upAfter = upAfter < 1 ? 1 : upAfter;
            SinceTicks = startTicks;
        }

        /// <summary>The current state.</summary>
        public HostState State { get; private set; }

        /// <summary>When the current state began.</summary>
        public long SinceTicks { get; private set; }

        /// <summary>Takes the outcome of round <paramref name="round"/>; true, with the <paramref name="transition"/>, when it changed the state.</summary>
        public bool Observe(in RoundOutcome outcome, long round, out StateTransition transition)
        {
            Count(outcome);
            var next = Decide(out var deciding);
            if (next == State)
            {
                transition = default;
                return false;
            }

            var rtt = next == HostState.Up ? _answeredRttSumMs / _answered.Length : (double?)null;
            transition = new StateTransition(next, State, deciding.StartTicks, SinceTicks, round, deciding.Length, rtt,
                next == HostState.Unreachable ? _lastReason : null);
            State = next;
            SinceTicks = deciding.StartTicks;
            return true;
        }

        private void Count(in RoundOutcome outcome)
        {
            if (outcome.IsAnswered)
            {
                if (_answered.Length == 0)
                {
                    _answeredRttSumMs = 0;
                }

                _answered.Extend(outcome.SentTicks);
                _answeredRttSumMs += outcome.RttMs;
                _failed = default;
                _lost = default;
                _errors = default;
                return;
            }

            _answered = default;
            _failed.Extend(outcome.SentTicks);
            if (outcome.Kind == RoundOutcomeKind.Failed)
            {
                _errors.Extend(outcome.SentTicks);
                _lost = default;
                _lastReason = outcome.Reason;
            }
            else
            {
                _lost.Extend(outcome.SentTicks);
                _errors = default;
            }
        }

        /// <summary>The state the streaks call for, and the streak that calls for it.</summary>
        private HostState Decide(out Streak deciding)
        {
            switch (State)
            {
                case HostState.Unknown:
                    // The first round alone decides: a watcher starts with a full picture.
                    deciding = _answered.Length > 0 ? _answered : _failed;
                    return _answered.Length > 0 ? HostState.Up : _errors.Length > 0 ? HostState.Unreachable : HostState.Down;
                case HostState.Up:
                    deciding = _failed;
                    return _failed.Length < _downAfter ? HostState.Up : _errors.Length > 0 ? HostState.Unreachable : HostState.Down;
                case HostState.Down:
                    deciding = _answered.Length >= _upAfter ? _answered : _errors;
                    return _answered.Length >= _upAfter ? HostState.Up : _errors.Length >= _downAfter ? HostState.Unreachable : HostState.Down;
                default:
                    deciding = _answered.Length >= _upAfter ? _answered : _lost;
                    return _answered.Length >= _upAfter ? HostState.Up : _lost.Length >= _downAfter ? HostState.Down : HostState.Unreachable;
            }
        }

        /// <summary>Consecutive rounds of one kind: how many, and when the first of them was sent.</summary>
        private struct Streak
        {
            public int Length;
            public long StartTicks;

            public void Extend(long sentTicks)
            {
                if (Length == 0)
                {
                    StartTicks = sentTicks;
                }

                if (Length < int.MaxValue)
                {
                    Length++; // saturates: a host Up for years at 10 ms rounds must not wrap to a negative streak
                }
            }
        }
    }
}
