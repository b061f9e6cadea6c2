using System.Globalization;
using Bank.Core.Users;
using Bogus;

namespace Bank.Core.Demo;

/// <summary>
/// One demo user as the simulation needs them after their row is written: who they are, when they could act, their habits
/// with money and devices, and (during the simulation) their balance and session.
/// </summary>
internal sealed class DemoMember
{
    public required int Index { get; init; }

    public required Role Role { get; init; }

    public required UserStatus Status { get; init; }

    /// <summary>First and last name (set with the person's row data).</summary>
    public string Name { get; set; } = "";

    /// <summary>When the user (and a customer's account) was created, UTC ticks.</summary>
    public required long CreatedTicks { get; init; }

    /// <summary>From when the user may no longer sign in or move money (an Inactive, Suspended or Pending user); otherwise never.</summary>
    public long ActiveUntilTicks { get; init; } = long.MaxValue;

    /// <summary>From when a customer's account is frozen; otherwise never.</summary>
    public long FrozenTicks { get; init; } = long.MaxValue;

    /// <summary>The member who created this user (demo staff), or -1 for the bank's first Super_Admin.</summary>
    public int CreatorIndex { get; init; } = -1;

    // Set when the row is written.
    public long UserId { get; set; }

    public long AccountId { get; set; }

    public long AccountBody { get; set; }

    // Habits (customers).
    public long SalaryPaise { get; set; }

    public int SalaryDay { get; set; }

    public int Employer { get; set; }

    public double MovementsPerMonth { get; set; }

    public double VisitsPerMonth { get; set; }

    /// <summary>The customer's usual amount, in rupees.</summary>
    public double AmountScale { get; set; }

    public double WebShare { get; set; }

    public int[] Payees { get; set; } = [];

    public int Browser { get; set; }

    public int ApiClient { get; set; }

    public string HomeIp { get; set; } = "";

    // The simulation's running state.
    public long BalancePaise { get; set; }

    public int Transactions { get; set; }

    public long LastSeenTicks { get; set; }

    /// <summary>The latest successful sign-in written to the database so far (0: none).</summary>
    public long LastLoginTicks { get; set; }

    public long SessionStartTicks { get; set; } = long.MinValue;

    public Channel SessionChannel { get; set; }

    public bool IsCustomer => Role == Role.Customer;

    public bool IsSalaried => SalaryPaise > 0;

    /// <summary>Whether the user could sign in at <paramref name="ticks"/>.</summary>
    public bool CanSignInAt(long ticks) => ticks >= CreatedTicks && ticks < ActiveUntilTicks;

    /// <summary>Whether money could move in or out of the customer's account at <paramref name="ticks"/>.</summary>
    public bool CanMoveMoneyAt(long ticks) => IsCustomer && CanSignInAt(ticks) && ticks < FrozenTicks;

}

/// <summary>A demo user's row data, checked by <see cref="NewUser.Validate"/> like every user the bank creates.</summary>
internal sealed record DemoPerson(DemoMember Member, NewUser.Valid Valid);

/// <summary>
/// Makes the demo bank's people with Bogus (locale <c>en_IND</c>): staff of every role first, then customers, in batches,
/// each created before the next (User IDs ascend with creation time). Everything follows from the seed and the
/// bank's state at the start (emails and phone numbers already taken).
/// </summary>
internal sealed class DemoPeople
{
    private readonly Faker _faker;
    private readonly Random _random;
    private readonly DemoTime _time;
    private readonly int _minimumAge;
    private readonly HashSet<string> _emails;
    private readonly HashSet<string> _phones;
    private readonly (IndianState State, double Weight)[] _states;
    private readonly double _stateWeights;

    public DemoPeople(DemoRequest request, DemoTime time, int minimumAge, IEnumerable<string> takenEmails, IEnumerable<string> takenPhones)
    {
        _faker = new Faker("en_IND") { Random = new Randomizer(request.Seed) };
        _random = new Random(unchecked((request.Seed * 7919) + 17));
        _time = time;
        _minimumAge = Math.Max(18, minimumAge);
        _emails = new HashSet<string>(takenEmails, StringComparer.Ordinal);
        _phones = new HashSet<string>(takenPhones, StringComparer.Ordinal);
        _states = ReferenceData.Instance.States
            .Select(s => (s, DemoCatalog.StatePopulation.GetValueOrDefault(s.Name, 1)))
            .ToArray();
        _stateWeights = _states.Sum(s => s.Weight);

        Customers = request.Customers;
        StaffCounts = new Dictionary<Role, int>
        {
            [Role.SuperAdmin] = Math.Min(2 + (request.Customers / 50_000), 6),
            [Role.Admin] = Math.Max(3, request.Customers / 2_500),
            [Role.Employee] = Math.Max(8, request.Customers / 250),
        };
        Members = new DemoMember[StaffCounts.Values.Sum() + Customers];
    }

    /// <summary>How many staff of each role the bank gets.</summary>
    public IReadOnlyDictionary<Role, int> StaffCounts { get; }

    public int Customers { get; }

    /// <summary>Every member, filled in as the batches are made (staff first).</summary>
    public DemoMember[] Members { get; }

    public int StaffCount => Members.Length - Customers;

    /// <summary>The people in batches of at most <paramref name="size"/>, in creation order.</summary>
    public IEnumerable<IReadOnlyList<DemoPerson>> Batches(int size)
    {
        var batch = new List<DemoPerson>(size);
        var index = 0;
        foreach (var (role, count) in StaffCounts)
        {
            for (var i = 0; i < count; i++, index++)
            {
                batch.Add(MakeStaff(index, role, i));
                if (batch.Count == size)
                {
                    yield return batch;
                    batch = new List<DemoPerson>(size);
                }
            }
        }

        for (var i = 0; i < Customers; i++, index++)
        {
            batch.Add(MakeCustomer(index, i));
            if (batch.Count == size)
            {
                yield return batch;
                batch = new List<DemoPerson>(size);
            }
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private DemoPerson MakeStaff(int index, Role role, int i)
    {
        // Staff joined before the customers: spread over the three years before the customers' first two (staff come
        // first, so the member index is the place among the staff).
        var from = _time.StartTicks - TimeSpan.FromDays(5 * 365).Ticks;
        var to = _time.StartTicks - TimeSpan.FromDays((2 * 365) + 30).Ticks;
        var created = Spread(from, to, index, StaffCount);
        var status = role == Role.Employee && i > 0 && _random.NextDouble() < 0.06 ? UserStatus.Inactive : UserStatus.Active;
        var member = new DemoMember
        {
            Index = index,
            Role = role,
            Status = status,
            CreatedTicks = created,
            ActiveUntilTicks = status == UserStatus.Active ? long.MaxValue : Between(Math.Max(created, _time.StartTicks), _time.NowTicks),
        };
        return Person(member, age: 24 + _random.Next(34));
    }

    private DemoPerson MakeCustomer(int index, int i)
    {
        // Two years of customers before the window and the window itself; User IDs ascend with the time of joining.
        var from = _time.StartTicks - TimeSpan.FromDays(2 * 365).Ticks;
        var to = _time.NowTicks - TimeSpan.FromHours(6).Ticks;
        var created = Spread(from, to, i, Customers);
        var roll = _random.NextDouble();
        var recent = _time.NowTicks - created < TimeSpan.FromDays(10).Ticks;
        var status = recent && roll < 0.5 ? UserStatus.Pending
            : roll < 0.04 ? UserStatus.Inactive
            : roll < 0.055 ? UserStatus.Suspended
            : UserStatus.Active;
        var activeUntil = status switch
        {
            UserStatus.Active => long.MaxValue,
            UserStatus.Pending => created,
            _ => Between(Math.Max(created, _time.StartTicks) + TimeSpan.TicksPerDay, _time.NowTicks),
        };
        var frozen = status == UserStatus.Active && _random.NextDouble() < 0.01
            ? Between(Math.Max(created, _time.StartTicks), _time.NowTicks)
            : long.MaxValue;
        var staffCreators = StaffCounts[Role.SuperAdmin] + StaffCounts[Role.Admin];
        var member = new DemoMember
        {
            Index = index,
            Role = Role.Customer,
            Status = status,
            CreatedTicks = created,
            ActiveUntilTicks = activeUntil,
            FrozenTicks = frozen,
            CreatorIndex = _random.Next(staffCreators),
        };
        Habits(member);
        var age = _minimumAge + (int)Math.Min(62, Math.Abs(Normal() * 16) + (_random.NextDouble() * 8));
        return Person(member, age);
    }

    /// <summary>How the customer uses money and devices.</summary>
    private void Habits(DemoMember member)
    {
        if (_random.NextDouble() < 0.6)
        {
            var salary = Math.Clamp(LogNormal(35_000, 0.6), 12_000, 500_000);
            member.SalaryPaise = (long)salary * 100 + (_random.NextDouble() < 0.4 ? _random.Next(1, 100) : 0);
            member.SalaryDay = _random.NextDouble() switch { < 0.35 => 1, < 0.7 => 31, < 0.8 => 5, < 0.9 => 7, _ => 10 };
            member.Employer = _random.Next(DemoCatalog.Employers.Length);
            member.AmountScale = member.SalaryPaise / 100.0 * 0.08 * LogNormal(1, 0.4);
        }
        else
        {
            member.AmountScale = LogNormal(3_000, 0.9);
        }

        member.MovementsPerMonth = Math.Clamp(LogNormal(0.45, 1.0), 0.05, 25);
        member.VisitsPerMonth = Math.Clamp(LogNormal(1.2, 0.8), 0.1, 20);
        member.WebShare = 0.45 + (_random.NextDouble() * 0.5);
        member.Payees = [_random.Next(Customers), _random.Next(Customers)];
        member.Browser = _random.Next(DemoCatalog.Browsers.Length);
        member.ApiClient = _random.NextDouble() < 0.9 ? _random.Next(DemoCatalog.MobileApps) : _random.Next(DemoCatalog.ApiClients.Length);
        var (a, b) = DemoCatalog.BroadbandNetworks[_random.Next(DemoCatalog.BroadbandNetworks.Length)];
        member.HomeIp = string.Create(CultureInfo.InvariantCulture, $"{a}.{b}.{_random.Next(0, 256)}.{_random.Next(1, 255)}");
    }

    private DemoPerson Person(DemoMember member, int age)
    {
        var gender = _random.NextDouble() switch { < 0.49 => Gender.Male, < 0.99 => Gender.Female, _ => Gender.Other };
        var first = gender switch
        {
            Gender.Male => _faker.PickRandom(DemoCatalog.MaleFirstNames),
            Gender.Female => _faker.PickRandom(DemoCatalog.FemaleFirstNames),
            _ => _faker.PickRandom(DemoCatalog.NeutralFirstNames),
        };
        var last = _faker.Name.LastName();
        member.Name = $"{first} {last}";
        Members[member.Index] = member;

        var createdOn = _time.LocalDate(member.CreatedTicks);
        var born = createdOn.AddYears(-age).AddDays(-_random.Next(365));
        var (state, city) = Address();
        var street = _random.NextDouble() < 0.1 ? null : Street();
        var phones = new List<string?> { Phone() };
        if (_random.NextDouble() < 0.15)
        {
            phones.Add(Phone());
        }

        var input = new NewUser(first, last, Email(first, last), born.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), phones,
            gender.Name(), street, city, state, member.Role.Name());
        if (!input.Validate(createdOn, _minimumAge).TryGet(out var valid, out var invalid))
        {
            throw new InvalidOperationException($"A demo user breaks the rules for users: {invalid}");
        }

        return new DemoPerson(member, valid);
    }

    private (string State, string City) Address()
    {
        var pick = _random.NextDouble() * _stateWeights;
        var state = _states[^1].State;
        foreach (var (candidate, weight) in _states)
        {
            if ((pick -= weight) < 0)
            {
                state = candidate;
                break;
            }
        }

        // The first cities of a state are its larger ones: a Zipf-like choice.
        var cities = state.Cities;
        var index = (int)Math.Min(cities.Count - 1, Math.Floor(Math.Pow(cities.Count + 1, _random.NextDouble()) - 1));
        return (state.Name, cities[index]);
    }

    private string Street()
    {
        var house = _random.NextDouble() switch
        {
            < 0.4 => _random.Next(1, 400).ToString(CultureInfo.InvariantCulture),
            < 0.7 => string.Create(CultureInfo.InvariantCulture, $"Flat {_random.Next(1, 15)}{(char)('A' + _random.Next(4))}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{(char)('A' + _random.Next(8))}-{_random.Next(1, 30)}{_random.Next(1, 10):D2}"),
        };
        var name = _random.NextDouble() < 0.5 ? _faker.Name.LastName() : _faker.Name.FirstName();
        return $"{house}, {name} {_faker.PickRandom(DemoCatalog.StreetKinds)}";
    }

    /// <summary>A mobile number (10 digits starting with 6–9) that no user has.</summary>
    private string Phone()
    {
        while (true)
        {
            var phone = string.Create(CultureInfo.InvariantCulture, $"{_random.Next(6, 10)}{_random.Next(0, 1_000_000_000):D9}");
            if (_phones.Add(phone))
            {
                return phone;
            }
        }
    }

    /// <summary>A mail address in Bogus's Indian style, lower case, that no user has (ignoring case).</summary>
    private string Email(string first, string last)
    {
        var email = _faker.Internet.Email(first, last).ToLowerInvariant();
        while (!_emails.Add(email.ToUpperInvariant()))
        {
            var at = email.IndexOf('@', StringComparison.Ordinal);
            email = string.Create(CultureInfo.InvariantCulture, $"{email[..at]}{_random.Next(10, 1000)}{email[at..]}");
        }

        return email;
    }

    /// <summary>The <paramref name="i"/>-th of <paramref name="n"/> moments spread evenly from <paramref name="from"/> to <paramref name="to"/>, jittered, ascending.</summary>
    private long Spread(long from, long to, int i, int n) =>
        DemoTime.Micro(from + (long)((to - from) * ((i + _random.NextDouble()) / Math.Max(1, n))));

    private long Between(long from, long to) => to <= from ? from : DemoTime.Micro(from + (long)((to - from) * _random.NextDouble()));

    private double LogNormal(double median, double sigma) => median * Math.Exp(sigma * Normal());

    private double Normal() =>
        Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
}
