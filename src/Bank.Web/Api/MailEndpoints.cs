using Bank.Core;
using Bank.Core.Notifications;
using Bank.Web.Infrastructure;

namespace Bank.Web.Api;

/// <summary>The outgoing mail (Super_Admin): what is pending, sent and failed, and the retry of a failed mail.</summary>
public static class MailEndpoints
{
    /// <summary>Maps <c>/mail</c>.</summary>
    public static RouteGroupBuilder MapMailEndpoints(this RouteGroupBuilder api)
    {
        var mail = api.MapGroup("/mail").WithTags("Mail").RequireAuthorization(Policies.SuperAdmin);
        mail.MapGet("", ([AsParameters] MailQuery query, Actor actor, OutgoingMail outgoing, CancellationToken ct) => outgoing.ListAsync(actor, query, ct).ToOkAsync())
            .WithSummary("Outgoing mail, newest first (status = pending, sent or failed; cursor, limit): recipient, subject, attempts, last error.");
        mail.MapPost("/{id:long}/retry", (long id, Actor actor, OutgoingMail outgoing, CancellationToken ct) => outgoing.RetryAsync(actor, id, ct).ToOkAsync())
            .Fails(FailureTypes.NotFound, FailureTypes.Conflict)
            .WithSummary("Queues a failed mail again with a fresh count of attempts.");
        return api;
    }
}
