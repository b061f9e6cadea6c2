using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bank.Core.Jobs;

/// <summary>
/// A scheduled job's claim on one period (the monthly report of 2026-10). The key (job, period) is unique: whoever inserts
/// it first runs the job for that period, on any number of instances and across restarts; everyone else skips it.
/// </summary>
public sealed class JobRun
{
    /// <summary>The job's name, such as <c>monthly-login-report</c>.</summary>
    public required string Job { get; set; }

    /// <summary>The period it ran for, such as <c>2026-10</c>.</summary>
    public required string Period { get; set; }

    /// <summary>When it was claimed.</summary>
    public DateTimeOffset ClaimedAt { get; set; }

    /// <summary>The instance that claimed it.</summary>
    public required string ClaimedBy { get; set; }
}

/// <summary>Table <c>job_runs</c>.</summary>
internal sealed class JobRunMapping : IEntityTypeConfiguration<JobRun>
{
    public void Configure(EntityTypeBuilder<JobRun> e)
    {
        e.ToTable("job_runs");
        e.HasKey(r => new { r.Job, r.Period });
        e.Property(r => r.Job).HasMaxLength(64);
        e.Property(r => r.Period).HasMaxLength(32);
        e.Property(r => r.ClaimedBy).HasMaxLength(100);
    }
}
