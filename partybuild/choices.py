"""Code lists several apps share."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Rating(models.TextChoices):
    """The four-step rating of conduct and work (好 / 较好 / 一般 / 差): a community's
    evaluation of a member, a superior's of a secretary's yearly report."""

    GOOD = "good", _("good")
    FAIRLY_GOOD = "fairly_good", _("fairly good")
    AVERAGE = "average", _("average")
    POOR = "poor", _("poor")
