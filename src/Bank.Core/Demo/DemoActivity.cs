using System.Globalization;
using Bank.Core.Accounts;
using Bank.Core.Auth;
using Bank.Core.Users;

namespace Bank.Core.Demo;

/// <summary>A movement the ledger would accept at its time, with the balances it leaves (members by index).</summary>
internal readonly record struct DemoMovement(
    long AtTicks, TransactionType Type, long AmountPaise, int From, int To, Channel Channel, string? Narration, long FromBalanceAfter, long ToBalanceAfter);

/// <summary>A sign-in attempt; <see cref="Member"/> is -1 when the typed User ID names nobody.</summary>
internal readonly record struct DemoSignIn(long AtTicks, int Member, string Identifier, LoginOutcome Outcome, Channel Channel, string IpAddress, string UserAgent);

/// <summary>The movements and sign-ins of a stretch of time, each list in time order, and how far through the window it ends.</summary>
internal sealed record DemoBatch(IReadOnlyList<DemoMovement> Movements, IReadOnlyList<DemoSignIn> SignIns, double Fraction);

/// <summary>
/// The bank's months, simulated in time order: every customer, staff member and stranger is a stream of events in one
/// queue ordered by time (ties by scheduling order, so a seed always gives the same history). Balances live in memory
/// and a movement is made only when the ledger would accept it at that moment: an Active customer with an Active account,
/// an Active recipient, never above the per-transaction limit, never below zero. Every movement and every visit of a
/// customer happens in a session that a successful sign-in started (a few after a mistyped password); staff sign in on
/// working days at the branch; strangers mistype User IDs. Batches come out in time order, so memory stays bounded.
/// </summary>
internal sealed class DemoActivity
{
    /// <summary>A sign-in comes at most this long before the event it belongs to; batches keep the last stretch back for it.</summary>
    private static readonly long SignInLead = TimeSpan.FromMinutes(6).Ticks;

    /// <summary>When customers use their bank, by local hour.</summary>
    private static readonly double[] HourWeights =
        [0.3, 0.15, 0.1, 0.05, 0.05, 0.15, 0.5, 1.5, 3, 4.5, 5.5, 6, 5.5, 5, 5, 5, 5, 5.5, 6.5, 7, 6.5, 5, 3, 1.2];

    private readonly DemoMember[] _members;
    private readonly int _firstCustomer;
    private readonly int _customers;
    private readonly DemoTime _time;
    private readonly long _limit;
    private readonly long _idleTicks;
    private readonly long _lifetimeTicks;
    private readonly Random _random;
    private readonly double[] _hours;
    private readonly PriorityQueue<(Kind Kind, int Member), (long Ticks, long Order)> _queue = new();
    private long _order;
    private List<DemoMovement> _movements = [];
    private List<DemoSignIn> _signIns = [];

    /// <summary>The simulation of <paramref name="people"/> over <paramref name="time"/>; sessions end as the bank's do (<see cref="SecurityOptions"/>).</summary>
    public DemoActivity(DemoPeople people, DemoTime time, long limitPaise, TimeSpan sessionIdle, TimeSpan sessionLifetime, int seed)
    {
        _members = people.Members;
        _firstCustomer = people.StaffCount;
        _customers = people.Customers;
        _time = time;
        _limit = limitPaise;
        _idleTicks = sessionIdle.Ticks;
        _lifetimeTicks = sessionLifetime.Ticks;
        _random = new Random(unchecked((seed * 104_729) + 3));
        _hours = new double[HourWeights.Length];
        var sum = 0.0;
        for (var i = 0; i < HourWeights.Length; i++)
        {
            sum += HourWeights[i];
            _hours[i] = sum;
        }
    }

    private enum Kind : byte
    {
        Opening,
        Movement,
        Salary,
        Bills,
        Visit,
        Shift,
        Refused,
        Stranger,
    }

    /// <summary>The whole window in batches of about <paramref name="movementsPerBatch"/> movements.</summary>
    public IEnumerable<DemoBatch> Run(int movementsPerBatch)
    {
        ScheduleBeginnings();
        while (_queue.TryDequeue(out var next, out var at))
        {
            if (_movements.Count >= movementsPerBatch || _signIns.Count >= 2 * movementsPerBatch)
            {
                yield return Flush(at.Ticks, last: false);
            }

            Handle(next.Kind, next.Member, at.Ticks);
        }

        yield return Flush(_time.NowTicks, last: true);
    }

    private DemoBatch Flush(long now, bool last)
    {
        // Sign-ins come slightly before their event: keep back the ones a later event could still precede.
        _signIns.Sort((a, b) => a.AtTicks.CompareTo(b.AtTicks));
        var kept = last ? -1 : _signIns.FindIndex(s => s.AtTicks > now - SignInLead);
        var cut = kept < 0 ? _signIns.Count : kept;
        var batch = new DemoBatch(_movements, _signIns[..cut], last ? 1 : _time.Fraction(now));
        _movements = [];
        _signIns = _signIns[cut..];
        return batch;
    }

    private void ScheduleBeginnings()
    {
        for (var i = 0; i < _members.Length; i++)
        {
            var member = _members[i];
            var start = Math.Max(member.CreatedTicks, _time.StartTicks);
            if (member.ActiveUntilTicks <= start)
            {
                // Never active in the window (Pending, or switched off before it began).
                continue;
            }

            if (member.IsCustomer)
            {
                var settle = member.CreatedTicks < _time.StartTicks ? Days(5 * _random.NextDouble()) : Minutes(10 + (_random.NextDouble() * 36 * 60));
                Push(Kind.Opening, i, Daytime(start + settle, after: start));
            }
            else
            {
                Push(Kind.Shift, i, NextShift(member, start, sameDay: true));
            }

            if (member.ActiveUntilTicks < _time.NowTicks && _random.NextDouble() < 0.5)
            {
                // Some of those switched off try to sign in again later.
                Push(Kind.Refused, i, member.ActiveUntilTicks + Hours(1 + (_random.NextDouble() * 20 * 24)));
            }
        }

        Push(Kind.Stranger, -1, _time.StartTicks + Days(Exponential(1 / StrangersPerDay)));
    }

    private double StrangersPerDay => Math.Max(0.3, _members.Length / 2_500.0);

    private void Handle(Kind kind, int index, long t)
    {
        var member = index >= 0 ? _members[index] : null;
        switch (kind)
        {
            case Kind.Opening:
                if (member!.CanMoveMoneyAt(t))
                {
                    var amount = Rounded(Math.Max(500, LogNormal(member.AmountScale * 3, 0.7)), 100);
                    var note = member.CreatedTicks >= _time.StartTicks ? "Initial deposit" : Pick(["Cash deposit", "Cheque deposit", null]);
                    Credit(member, t, PreferredChannel(member), amount, note);
                    Push(Kind.Movement, index, NextMovement(member, t));
                    if (member.IsSalaried)
                    {
                        Push(Kind.Salary, index, NextSalary(member, t));
                    }
                }

                Push(Kind.Visit, index, NextVisit(member, t));
                break;
            case Kind.Movement when member!.CanMoveMoneyAt(t):
                Move(member, t);
                Push(Kind.Movement, index, NextMovement(member, t));
                break;
            case Kind.Salary when member!.CanMoveMoneyAt(t):
                var month = _time.LocalDate(t).ToString("MMM yyyy", CultureInfo.InvariantCulture);
                Credit(member, t, Channel.Api, member.SalaryPaise, $"Salary {month} - {DemoCatalog.Employers[member.Employer]}");
                Push(Kind.Salary, index, NextSalary(member, t));
                if (_random.NextDouble() < 0.9)
                {
                    // Most of a salary leaves within days: rent, the EMI, the card bill, the SIP.
                    Push(Kind.Bills, index, Daytime(t + Days(_random.NextDouble() * 6), after: t));
                }

                break;
            case Kind.Bills when member!.CanMoveMoneyAt(t):
                var bills = (long)Math.Min(member.BalancePaise * 0.9, member.SalaryPaise * Between(0.6, 1.0));
                if (_random.NextDouble() < 0.5)
                {
                    Debit(member, t, PreferredChannel(member), bills, Pick(DemoCatalog.BigPayments));
                }
                else if (Recipient(member, t) is { } landlord)
                {
                    var rentMonth = CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(_time.LocalDate(t).Month);
                    Transfer(member, landlord, t, PreferredChannel(member), bills, string.Format(CultureInfo.InvariantCulture, Pick(DemoCatalog.BigTransfers)!, rentMonth));
                }

                break;
            case Kind.Visit when member!.CanSignInAt(t):
                EnsureSession(member, t, PreferredChannel(member));
                Push(Kind.Visit, index, NextVisit(member, t));
                break;
            case Kind.Shift when member!.CanSignInAt(t):
                EnsureSession(member, t, Channel.Web);
                var again = _time.LocalTimeOfDay(t) < TimeSpan.FromHours(15) && _random.NextDouble() < 0.55;
                Push(Kind.Shift, index, again ? t + Minutes(150 + (_random.NextDouble() * 120)) : NextShift(member, t, sameDay: false));
                break;
            case Kind.Refused:
                var channel = _random.NextDouble() < 0.8 ? Channel.Web : Channel.Api;
                _signIns.Add(Attempt(member!, t, LoginOutcome.NotActive, channel));
                break;
            case Kind.Stranger:
                Stranger(t);
                Push(Kind.Stranger, -1, t + Days(Exponential(1 / StrangersPerDay)));
                break;
            default:
                // The member can no longer do this (switched off, account frozen): the stream ends.
                break;
        }
    }

    /// <summary>A deposit, withdrawal or transfer the customer can afford at this moment.</summary>
    private void Move(DemoMember member, long t)
    {
        var channel = PreferredChannel(member);
        var balance = member.BalancePaise;
        var roll = _random.NextDouble();
        var credits = member.IsSalaried ? 0.1 : 0.3;

        // The more money sits in the account (against a month's income), the likelier a big payment: rent, an EMI, a card
        // bill, an investment. This keeps balances where people keep them instead of growing with every salary.
        var income = member.IsSalaried ? member.SalaryPaise : member.AmountScale * 400;
        var big = roll >= credits && _random.NextDouble() < balance / (balance + (3 * income));
        if (big && _random.NextDouble() < 0.5)
        {
            Debit(member, t, channel, (long)(balance * Between(0.25, 0.6)), Pick(DemoCatalog.BigPayments));
        }
        else if (big && Recipient(member, t) is { } payee)
        {
            var month = CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(_time.LocalDate(t).Month);
            var note = string.Format(CultureInfo.InvariantCulture, Pick(DemoCatalog.BigTransfers)!, month);
            Transfer(member, payee, t, channel, (long)(balance * Between(0.2, 0.5)), note);
        }
        else if (balance < 200_00 || roll < credits)
        {
            var rupees = LogNormal(member.AmountScale * 1.2, 0.8);
            Credit(member, t, channel, _random.NextDouble() < 0.7 ? Rounded(rupees, 100) : Paise(rupees), Note(DemoCatalog.DepositNotes, 0.1));
        }
        else if (roll < credits + 0.4)
        {
            long amount;
            string? note;
            if (_random.NextDouble() < 0.55)
            {
                // Cash from an ATM or the counter: round hundreds, as much as there is.
                amount = Rounded(Math.Clamp(LogNormal(member.AmountScale * 0.6, 0.6), 500, 25_000), 500);
                if (amount > balance)
                {
                    amount = (long)(balance * Between(0.4, 0.9)) / 500_00 * 500_00;
                }

                note = Pick(["ATM withdrawal", "Cash withdrawal", "Cash withdrawal at branch", null]);
            }
            else
            {
                amount = Paise(LogNormal(member.AmountScale * 0.5, 0.9));
                if (amount > balance)
                {
                    amount = (long)(balance * Between(0.3, 0.9));
                }

                note = Note(DemoCatalog.WithdrawalNotes, 0.15);
            }

            Debit(member, t, channel, amount, note);
        }
        else if (Recipient(member, t) is { } to)
        {
            var rupees = LogNormal(member.AmountScale * 0.7, 0.9);
            var amount = _random.NextDouble() < 0.5 ? Rounded(rupees, 100) : Paise(rupees);
            if (amount > balance * 0.95)
            {
                amount = (long)(balance * Between(0.3, 0.9));
            }

            var month = CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(_time.LocalDate(t).Month);
            var note = Note(DemoCatalog.TransferNotes, 0.15);
            Transfer(member, to, t, channel, amount, note is null ? null : string.Format(CultureInfo.InvariantCulture, note, month));
        }
    }

    private void Credit(DemoMember member, long t, Channel channel, long amount, string? note)
    {
        amount = Math.Min(amount, _limit);
        if (amount <= 0)
        {
            return;
        }

        EnsureSession(member, t, channel);
        member.BalancePaise += amount;
        member.Transactions++;
        _movements.Add(new DemoMovement(t, TransactionType.Credit, amount, member.Index, -1, channel, note, member.BalancePaise, 0));
    }

    private void Debit(DemoMember member, long t, Channel channel, long amount, string? note)
    {
        amount = Math.Min(amount, _limit);
        if (amount < 100 || amount > member.BalancePaise)
        {
            return;
        }

        EnsureSession(member, t, channel);
        member.BalancePaise -= amount;
        member.Transactions++;
        _movements.Add(new DemoMovement(t, TransactionType.Debit, amount, member.Index, -1, channel, note, member.BalancePaise, 0));
    }

    private void Transfer(DemoMember from, DemoMember to, long t, Channel channel, long amount, string? note)
    {
        amount = Math.Min(amount, _limit);
        if (amount < 100 || amount > from.BalancePaise)
        {
            return;
        }

        EnsureSession(from, t, channel);
        from.BalancePaise -= amount;
        to.BalancePaise += amount;
        from.Transactions++;
        to.Transactions++;
        _movements.Add(new DemoMovement(t, TransactionType.Transfer, amount, from.Index, to.Index, channel, note, from.BalancePaise, to.BalancePaise));
    }

    /// <summary>One of the customer's usual payees, or anyone, as long as the ledger would let them receive now.</summary>
    private DemoMember? Recipient(DemoMember member, long t)
    {
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var pick = attempt == 0 && _random.NextDouble() < 0.7 ? member.Payees[_random.Next(member.Payees.Length)] : _random.Next(_customers);
            var to = _members[_firstCustomer + pick];
            if (to != member && to.CanMoveMoneyAt(t))
            {
                return to;
            }
        }

        return null;
    }

    /// <summary>Makes sure the member is signed in on <paramref name="channel"/> at <paramref name="t"/>: the session goes on, or a sign-in starts a new one.</summary>
    private void EnsureSession(DemoMember member, long t, Channel channel)
    {
        if (member.SessionChannel == channel && t - member.LastSeenTicks <= _idleTicks && t - member.SessionStartTicks <= _lifetimeTicks)
        {
            member.LastSeenTicks = t;
            return;
        }

        // Shortly before, and after anything the member did before (their history reads in order).
        var earliest = Math.Max(member.LastSeenTicks, member.CreatedTicks) + TimeSpan.TicksPerSecond;
        var at = member.IsCustomer ? t - Seconds(20 + (_random.NextDouble() * 220)) : t;
        at = Math.Min(t, Math.Max(at, earliest));
        var typo = at - Seconds(10 + (_random.NextDouble() * 50));
        if (typo > earliest && _random.NextDouble() < 0.04)
        {
            _signIns.Add(Attempt(member, typo, LoginOutcome.WrongPassword, channel));
        }

        _signIns.Add(Attempt(member, at, LoginOutcome.Success, channel));
        member.SessionStartTicks = at;
        member.LastSeenTicks = t;
        member.SessionChannel = channel;
    }

    private DemoSignIn Attempt(DemoMember member, long at, LoginOutcome outcome, Channel channel)
    {
        var identifier = member.UserId.ToString(CultureInfo.InvariantCulture);
        if (!member.IsCustomer)
        {
            return new DemoSignIn(at, member.Index, identifier, outcome, channel, DemoCatalog.OfficeNetwork + (10 + (member.Index % 40)).ToString(CultureInfo.InvariantCulture), DemoCatalog.StaffBrowser);
        }

        var web = channel == Channel.Web;
        var ip = web && _random.NextDouble() < 0.65 ? member.HomeIp : Address(DemoCatalog.MobileNetworks);
        return new DemoSignIn(at, member.Index, identifier, outcome, channel, ip, web ? DemoCatalog.Browsers[member.Browser] : DemoCatalog.ApiClients[member.ApiClient]);
    }

    /// <summary>Someone who types a phone number, a mail address or an account number where the User ID goes.</summary>
    private void Stranger(long t)
    {
        var identifier = _random.NextDouble() switch
        {
            < 0.4 => string.Create(CultureInfo.InvariantCulture, $"{_random.Next(6, 10)}{_random.Next(0, 1_000_000_000):D9}"),
            < 0.7 => string.Create(CultureInfo.InvariantCulture, $"{Pick(DemoCatalog.FemaleFirstNames)!.ToLowerInvariant()}{_random.Next(1, 100)}@gmail.com"),
            _ => AccountNumber.FromBody(AccountNumber.FirstBody + _random.Next(0, Math.Max(1, _customers))),
        };
        var web = _random.NextDouble() < 0.85;
        var agent = web ? DemoCatalog.Browsers[_random.Next(DemoCatalog.Browsers.Length)] : "curl/8.14.1";
        var networks = _random.NextDouble() < 0.7 ? DemoCatalog.MobileNetworks : DemoCatalog.OtherNetworks;
        _signIns.Add(new DemoSignIn(t, -1, identifier, LoginOutcome.UnknownUser, web ? Channel.Web : Channel.Api, Address(networks), agent));
    }

    private long NextMovement(DemoMember member, long t) =>
        Daytime(t + Days(Exponential(DemoTime.DaysPerMonth / member.MovementsPerMonth)), after: t);

    private long NextVisit(DemoMember member, long t) =>
        Daytime(t + Days(Exponential(DemoTime.DaysPerMonth / member.VisitsPerMonth)), after: t);

    /// <summary>The next pay day after the day of <paramref name="t"/>: the salary day of the month (the last day for 31), early morning.</summary>
    private long NextSalary(DemoMember member, long t)
    {
        var today = _time.LocalDate(t);
        for (var month = 0; ; month++)
        {
            var first = new DateOnly(today.Year, today.Month, 1).AddMonths(month);
            var day = first.AddDays(Math.Min(member.SalaryDay, DateTime.DaysInMonth(first.Year, first.Month)) - 1);
            if (day > today)
            {
                return _time.At(day, TimeSpan.FromSeconds((6 * 3600) + _random.Next(5 * 3600)));
            }
        }
    }

    /// <summary>The staff member's next day at the branch (Monday to Saturday; some days off), 09:15–10:30.</summary>
    private long NextShift(DemoMember member, long t, bool sameDay)
    {
        var presence = member.Role switch { Role.SuperAdmin => 0.6, Role.Admin => 0.8, _ => 0.9 };
        var day = _time.LocalDate(t).AddDays(sameDay ? 0 : 1);
        for (var tries = 0; tries < 30; tries++, day = day.AddDays(1))
        {
            if (day.DayOfWeek != DayOfWeek.Sunday && _random.NextDouble() < presence)
            {
                var at = _time.At(day, TimeSpan.FromMinutes(555) + TimeSpan.FromTicks(_random.NextInt64(75 * TimeSpan.TicksPerMinute)));
                if (at > t)
                {
                    return at;
                }
            }
        }

        return long.MaxValue;
    }

    /// <summary>The day of <paramref name="ticks"/> at an hour people use their bank, but never before <paramref name="after"/>.</summary>
    private long Daytime(long ticks, long after)
    {
        var pick = _random.NextDouble() * _hours[^1];
        var hour = Math.Max(0, Array.FindIndex(_hours, h => h > pick));
        var at = _time.At(_time.LocalDate(ticks), TimeSpan.FromHours(hour) + TimeSpan.FromTicks(_random.NextInt64(TimeSpan.TicksPerHour)));
        return at > after ? at : after + Minutes(2 + (_random.NextDouble() * 90));
    }

    private Channel PreferredChannel(DemoMember member) => _random.NextDouble() < member.WebShare ? Channel.Web : Channel.Api;

    private string Address((int A, int B)[] networks)
    {
        var (a, b) = networks[_random.Next(networks.Length)];
        return string.Create(CultureInfo.InvariantCulture, $"{a}.{b}.{_random.Next(0, 256)}.{_random.Next(1, 255)}");
    }

    private string? Note(string[] notes, double none) => _random.NextDouble() < none ? null : notes[_random.Next(notes.Length)];

    private T? Pick<T>(T?[] items) => items[_random.Next(items.Length)];

    /// <summary>Schedules an event; one at or after now is dropped (the window ends there), so the queue holds only what happens in it.</summary>
    private void Push(Kind kind, int member, long ticks)
    {
        if (ticks < _time.NowTicks)
        {
            _queue.Enqueue((kind, member), (DemoTime.Micro(ticks), _order++));
        }
    }

    /// <summary>Whole rupees, rounded to a multiple of <paramref name="step"/>, in paise.</summary>
    private static long Rounded(double rupees, int step) => (long)Math.Max(step, Math.Round(rupees / step) * step) * 100;

    /// <summary>Rupees and paise.</summary>
    private static long Paise(double rupees) => (long)Math.Max(100, Math.Round(rupees * 100));

    private double Between(double low, double high) => low + (_random.NextDouble() * (high - low));

    private double Exponential(double mean) => -Math.Log(1 - _random.NextDouble()) * mean;

    private double LogNormal(double median, double sigma) =>
        median * Math.Exp(sigma * Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble()));

    private static long Days(double days) => (long)(days * TimeSpan.TicksPerDay);

    private static long Hours(double hours) => (long)(hours * TimeSpan.TicksPerHour);

    private static long Minutes(double minutes) => (long)(minutes * TimeSpan.TicksPerMinute);

    private static long Seconds(double seconds) => (long)(seconds * TimeSpan.TicksPerSecond);
}
