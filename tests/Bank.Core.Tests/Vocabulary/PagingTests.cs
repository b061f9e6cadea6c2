namespace Bank.Core.Tests.Vocabulary;

/// <summary>One keyset page vocabulary for every list: one default and maximum limit, opaque cursors that belong to one list.</summary>
public sealed class PagingTests
{
    private sealed record Key(DateTimeOffset At, long Id);

    private sealed record Query(string? Cursor = null, int? Limit = null) : IPageQuery;

    [Fact]
    public void A_page_s_cursor_leads_to_the_key_of_its_last_row_and_no_further_page_has_none()
    {
        var rows = Enumerable.Range(1, 4).Select(i => new Key(new DateTimeOffset(2026, 11, 30, 12, 0, i, TimeSpan.Zero).AddTicks(1234567), i)).ToList();
        var errors = new FieldErrors();
        var window = new Query(Limit: 3).Window<Key>("lines", errors);

        var page = window.ToPage(rows, r => r, r => r.Id);

        Assert.False(errors.Any);
        Assert.Equal(4, window.Fetch);
        Assert.Equal([1L, 2, 3], page.Items);
        var next = new Query(page.NextCursor).Window<Key>("lines", errors);
        Assert.False(errors.Any);
        Assert.Equal(rows[2], next.After);
        Assert.Null(next.ToPage(rows.Take(1).ToList(), r => r, r => r.Id).NextCursor);
    }

    [Fact]
    public void The_default_limit_applies_and_limits_outside_one_to_the_maximum_are_refused()
    {
        var errors = new FieldErrors();
        Assert.Equal(Paging.DefaultLimit, new Query().Window<Key>("lines", errors).Limit);
        Assert.Equal(Paging.MaxLimit, new Query(Limit: Paging.MaxLimit).Window<Key>("lines", errors).Limit);
        Assert.False(errors.Any);

        foreach (var limit in new[] { 0, -1, Paging.MaxLimit + 1 })
        {
            var wrong = new FieldErrors();
            new Query(Limit: limit).Window<Key>("lines", wrong);
            Assert.Equal([Paging.LimitRule], wrong.ToDictionary()["limit"]);
        }
    }

    [Theory]
    [InlineData("not-a-cursor")]
    [InlineData("%%%")]
    [InlineData("e30")]
    [InlineData("eyJMaXN0IjoibGluZXMifQ")]
    public void Text_that_is_not_a_cursor_of_this_list_is_refused(string text)
    {
        var errors = new FieldErrors();
        Assert.Null(new Query(text).Window<Key>("lines", errors).After);
        Assert.Equal([Paging.CursorRule], errors.ToDictionary()["cursor"]);
    }

    [Fact]
    public void A_cursor_of_another_list_or_sort_is_refused()
    {
        var errors = new FieldErrors();
        var cursor = new Query(Limit: 1).Window<Key>("users name", errors)
            .ToPage([new Key(DateTimeOffset.UnixEpoch, 1), new Key(DateTimeOffset.UnixEpoch, 2)], r => r, r => r.Id).NextCursor;

        new Query(cursor).Window<Key>("users -name", errors);

        Assert.Equal([Paging.CursorRule], errors.ToDictionary()["cursor"]);
    }
}
