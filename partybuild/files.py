"""Scoped file downloads: every stored file (an export, an import's upload, an attachment)
leaves through here, after the calling view has checked who may read it.

Files have no public address. By default the app streams them; in production behind nginx,
FILE_ACCEL_PREFIX hands the sending to the proxy (X-Accel-Redirect to an `internal`
location aliasing MEDIA_ROOT), so a worker process is not tied up by a large file.
"""

from urllib.parse import quote

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header


def send_file(file: FieldFile, filename: str) -> HttpResponse:
    """The stored file as a download under `filename` (the name the user knows it by)."""
    prefix = settings.FILE_ACCEL_PREFIX
    if prefix:
        response = HttpResponse(content_type="application/octet-stream")
        path = prefix.rstrip("/") + "/" + file.name.lstrip("/")
        response["X-Accel-Redirect"] = quote(path)  # a URI: percent-encoded
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
    return FileResponse(file.open("rb"), as_attachment=True, filename=filename)


def workbook_response(write, filename: str) -> FileResponse:
    """A workbook written in the request (`write(stream)`: a template, a small sheet) as a
    download under `filename`."""
    import io

    from .sheets import XLSX

    stream = io.BytesIO()
    write(stream)
    stream.seek(0)
    return FileResponse(stream, as_attachment=True, filename=filename, content_type=XLSX)
