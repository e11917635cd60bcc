from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import IdNumberDisclosure, Member, MembershipRecord


@admin.register(Member)
class MemberAdmin(SimpleHistoryAdmin):
    list_display = ["name", "masked_id_number", "status", "organization"]
    list_filter = ["status", "gender", "education"]
    search_fields = ["name", "id_number"]
    list_select_related = ["organization"]
    raw_id_fields = ["organization"]
    readonly_fields = ["status", "organization", "left_on"]  # dated services only

    def has_add_permission(self, request) -> bool:
        return False  # people enter through the pages or the import: records and counts

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # nothing is deleted; leaving is recorded


@admin.register(MembershipRecord)
class MembershipRecordAdmin(admin.ModelAdmin):
    list_display = ["member", "organization", "status", "started_on", "ended_on"]
    list_select_related = ["member", "organization"]
    raw_id_fields = ["member", "organization"]


@admin.register(IdNumberDisclosure)
class IdNumberDisclosureAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "member", "purpose"]
    list_select_related = ["user", "member"]
