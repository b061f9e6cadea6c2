using Bank.Core;
using Bank.Core.Auth;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using QRCoder;

namespace Bank.Web.Pages.Account;

/// <summary>
/// Setting up the second factor: a new secret as a QR code (a PNG data URI, which the Content-Security-Policy's
/// <c>img-src data:</c> allows) and as text, a first code to turn it on, then the recovery codes, shown once.
/// </summary>
[EnableRateLimiting(WebServices.SignInLimit)]
public sealed class TwoFactorEnrolModel(TwoFactorService twoFactor, Actor actor) : BankPageModel
{
    /// <summary>The first code from the authenticator app.</summary>
    [BindProperty]
    public string? Code { get; set; }

    /// <summary>The enrolment waiting for its first code.</summary>
    public TwoFactorEnrolment? Enrolment { get; private set; }

    /// <summary>The enrolment's otpauth URI as a QR code (PNG data URI).</summary>
    public string? QrCode { get; private set; }

    /// <summary>The recovery codes, in the answer that turned the second factor on (and never again).</summary>
    public IReadOnlyList<string>? RecoveryCodes { get; private set; }

    /// <summary>Whether the user's second factor is on.</summary>
    public bool Enabled { get; private set; }

    /// <summary>Whether this session may do nothing else until the second factor is set up.</summary>
    public bool Required => User.TwoFactorPending() == TwoFactorStep.Enrol;

    /// <summary>Shows the state: on, waiting for its first code, or not set up.</summary>
    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    /// <summary>Starts an enrolment with a new secret.</summary>
    public async Task OnPostStartAsync(CancellationToken ct)
    {
        if (Succeeded(await twoFactor.EnrolAsync(actor, ct), out var enrolment))
        {
            ShowEnrolment(enrolment);
            return;
        }

        await LoadAsync(ct);
    }

    /// <summary>Turns the second factor on with a first code, and shows the recovery codes.</summary>
    public async Task OnPostConfirmAsync(CancellationToken ct)
    {
        if (Succeeded(await twoFactor.ConfirmAsync(actor, Code, ct), out var codes))
        {
            RecoveryCodes = codes.RecoveryCodes;
            Enabled = true;
            return;
        }

        Code = null;
        await LoadAsync(ct);
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Enabled = await twoFactor.IsEnabledAsync(actor.UserId, ct);
        if (!Enabled && (await twoFactor.PendingAsync(actor, ct)).TryGet(out var enrolment, out _))
        {
            ShowEnrolment(enrolment);
        }
    }

    private void ShowEnrolment(TwoFactorEnrolment enrolment)
    {
        Enrolment = enrolment;
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(enrolment.OtpauthUri, QRCodeGenerator.ECCLevel.M);
        QrCode = "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(5));
    }
}
