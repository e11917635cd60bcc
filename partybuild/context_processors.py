from django.conf import settings


def import_limits(request) -> dict:
    """The bounds of an upload, stated on every import page."""
    return {
        "import_limits": {
            "megabytes": settings.IMPORT_MAX_BYTES // (1024 * 1024),
            "lines": settings.IMPORT_MAX_ROWS,
            "inline": settings.IMPORT_INLINE_LIMIT,
        }
    }
