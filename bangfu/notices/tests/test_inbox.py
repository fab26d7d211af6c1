"""The inbox: one's own notices only, a badge with the unread count, opening marks read."""

from django.urls import reverse

from bangfu.notices.models import Notification


def test_inbox_badge_open_and_mark_read(users, client_for):
    mine = Notification.objects.create(recipient=users["county_a"], title="给花垣的通知", link="/referrals/")
    Notification.objects.create(recipient=users["county_b"], title="给凤凰的通知")
    client = client_for(users["county_a"])
    page = client.get(reverse("notices:inbox")).content.decode()
    assert "给花垣的通知" in page and "给凤凰的通知" not in page
    assert 'id="inbox-badge">1<' in client.get(reverse("notices:badge")).content.decode()
    response = client.get(reverse("notices:open", kwargs={"pk": mine.pk}))
    assert response.status_code == 302 and response["Location"] == "/referrals/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.get(reverse("notices:badge")).content == b""


def test_other_users_notice_is_404(users, client_for):
    theirs = Notification.objects.create(recipient=users["county_b"], title="x")
    assert (
        client_for(users["county_a"]).get(reverse("notices:open", kwargs={"pk": theirs.pk})).status_code
        == 404
    )
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(users, client_for):
    for i in range(3):
        Notification.objects.create(recipient=users["county_a"], title=f"n{i}")
    other = Notification.objects.create(recipient=users["county_b"], title="b")
    client_for(users["county_a"]).post(reverse("notices:mark_all_read"))
    assert not Notification.objects.filter(recipient=users["county_a"], read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None
