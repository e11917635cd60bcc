"""Uploads are bounded in bytes while they arrive, before any view reads them."""

from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler


class BoundedUploadHandler(TemporaryFileUploadHandler):
    """Spools each uploaded file to a temporary file, keeping at most UPLOAD_MAX_BYTES of it.

    Beyond the limit the bytes are dropped, not stored: the file keeps its true `size`, so
    the form or the spreadsheet check refuses it by size without reading it. (The proxy in
    front bounds the request body itself; see the README.)
    """

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_BYTES:
            return None
        return super().receive_data_chunk(raw_data, start)
