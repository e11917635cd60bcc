from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Organization, Policy, Position, UserRole


def _superusers_only(request) -> bool:
    """Django admin is for superusers only; everyone else works through the scoped pages."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superusers_only


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "parent", "status", "term_ends_on"]
    list_filter = ["kind", "status"]
    search_fields = ["code", "name", "unit"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent"]
    readonly_fields = ["parent", "depth"]  # the tree is changed through the services

    def has_add_permission(self, request) -> bool:
        return False  # created through the pages or import_organizations (closure table)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # organizations are dissolved, never deleted


@admin.register(Position)
class PositionAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "post", "member", "started_on", "ended_on"]
    list_filter = ["post"]
    list_select_related = ["organization", "member"]
    raw_id_fields = ["organization", "member"]


@admin.register(UserRole)
class UserRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "organization"]
    list_filter = ["role"]
    list_select_related = ["user", "organization"]
    raw_id_fields = ["organization"]


admin.site.register(Policy, SimpleHistoryAdmin)
