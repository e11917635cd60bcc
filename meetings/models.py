"""Organizational life (domain.md section 5): party groups, meetings and their attendance.

A meeting's attendance is one row per person who should attend, generated from the
registry as of the meeting's day; the meeting keeps the counts of its rows (should attend,
present, on leave, excluded), so compliance, rates and the statistics never scan the rows.
Only meetings.services changes these.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partybuild.models import user_link
from partybuild.validators import no_control_characters, within_upload_limit


class PartyGroup(models.Model):
    """A party group (党小组) of a branch."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="party_groups",
        verbose_name=_("branch"),
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=60, validators=[no_control_characters])
    leader = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("group leader"),
    )  # fmt: skip
    started_on = models.DateField(_("set up on"))
    ended_on = models.DateField(_("dissolved on"), null=True, blank=True)

    class Meta:
        verbose_name = _("party group")
        verbose_name_plural = _("party groups")
        ordering = ["organization", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], condition=Q(ended_on__isnull=True),
                name="one_open_group_of_a_name",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.name


class GroupMembership(models.Model):
    """A member's place in a party group, dated; at most one open place per member."""

    group = models.ForeignKey(PartyGroup, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="group_memberships"
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(ended_on__isnull=True),
                name="one_open_group_a_member",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.member_id} in {self.group_id}"


class Kind(models.TextChoices):
    MEMBER_MEETING = "member_meeting", _("branch member meeting")
    COMMITTEE_MEETING = "committee_meeting", _("branch committee meeting")
    GROUP_MEETING = "group_meeting", _("party group meeting")
    PARTY_LESSON = "party_lesson", _("party lesson")
    THEME_DAY = "theme_day", _("theme party day")
    LIFE_MEETING = "life_meeting", _("organizational-life meeting")
    OTHER = "other", _("other")


# A branch holds a committee when this many posts are held (secretary and committee members).
COMMITTEE_FROM = 3


# Kinds whose meetings decide by vote: valid only with more than half present.
DECIDING = frozenset({Kind.MEMBER_MEETING, Kind.COMMITTEE_MEETING})


class Meeting(models.Model):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="meetings",
        verbose_name=_("organization"),
    )  # fmt: skip
    group = models.ForeignKey(
        PartyGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings",
        verbose_name=_("party group"),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    on = models.DateField(_("date"))
    starts_at = models.TimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=120, blank=True,
                             validators=[no_control_characters])  # fmt: skip
    host = models.CharField(_("host"), max_length=60, blank=True,
                            validators=[no_control_characters])  # fmt: skip
    recorder = models.CharField(_("recorder"), max_length=60, blank=True,
                                validators=[no_control_characters])  # fmt: skip
    lecturer = models.CharField(_("lecturer"), max_length=60, blank=True,
                                validators=[no_control_characters])  # fmt: skip
    lecturer_is_secretary = models.BooleanField(_("given by the secretary"), default=False)
    topic = models.CharField(_("topic"), max_length=200, validators=[no_control_characters])
    minutes = models.TextField(_("minutes"), blank=True, validators=[no_control_characters])
    decides = models.BooleanField(
        _("decides by vote"), default=False,
        help_text=_("Admission, conversion, elections and other decisions need more than half "
                    "of those who should attend present."),
    )  # fmt: skip
    held = models.BooleanField(_("held"), default=False)
    # The counts of the attendance rows, kept by meetings.services.
    should_attend = models.PositiveIntegerField(default=0)
    present = models.PositiveIntegerField(default=0)
    on_leave = models.PositiveIntegerField(default=0)
    excluded = models.PositiveIntegerField(default=0)
    voters_should = models.PositiveIntegerField(default=0)  # full members who should attend
    voters_present = models.PositiveIntegerField(default=0)
    recorded_by = user_link()
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-on", "-id"]
        indexes = [
            models.Index(fields=["organization", "on"]),
            models.Index(fields=["on", "kind"], condition=Q(held=True), name="held_by_day"),
            # Lists newest first walk this and stop at the page's end (partybuild.paging).
            models.Index(fields=["-on", "-id"], name="meetings_newest_first"),
        ]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"

    @property
    def counted(self) -> int:
        """Those who should attend, after the exclusions the rules allow."""
        return self.should_attend - self.excluded

    @property
    def attendance_rate(self):
        from partybuild.numbers import percent

        return percent(self.present, self.counted)


class Attendance(models.Model):
    class State(models.TextChoices):
        PRESENT = "present", _("present")
        LEAVE = "leave", _("on leave")
        ABSENT = "absent", _("absent")

    # Looked up by meeting through the unique (meeting, member) index: no index of its own.
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance", db_index=False
    )
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    probationary = models.BooleanField(default=False)  # no vote: not counted for quorum
    state = models.CharField(_("attendance"), max_length=8, choices=State.choices,
                             default=State.PRESENT)  # fmt: skip
    reason = models.CharField(_("reason"), max_length=120, blank=True,
                              validators=[no_control_characters])  # fmt: skip
    excluded = models.BooleanField(_("not counted as should attend"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_a_member")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}/{self.member_id}: {self.state}"


class MeetingFile(models.Model):
    """A photo of the sign-in sheet, the minutes: served through the scoped file view."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="meetings/%Y/", validators=[within_upload_limit])
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name
