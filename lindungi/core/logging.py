"""Log filters that keep personal data out of application logs (domain.md §9)."""

import logging
import re

_QUERY = re.compile(r"\?[^\s\"]*")


class StripQueryStringFilter(logging.Filter):
    """Removes query strings from logged request lines: a NIK typed into a search box stays out."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args and isinstance(record.args, tuple):
            record.args = tuple(
                _QUERY.sub("?…", arg) if isinstance(arg, str) else arg for arg in record.args
            )
        if isinstance(record.msg, str) and "?" in record.msg:
            record.msg = _QUERY.sub("?…", record.msg)
        return True
