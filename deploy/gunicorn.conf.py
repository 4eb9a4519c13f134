"""gunicorn settings read by deploy/lindungi-web.service (`--config`); the unit's command line
holds the rest.

The access log names the path without its query string, and no Referer: both can carry a NIK or
a name (a search link, a page opened from one), and domain.md §9 wants no personal data in logs.
`%(U)s` is the path alone; `%(r)s` (the request line), `%(q)s` and `%(f)s` would bring them back
(tests/test_deploy_logs.py). Behind nginx the client's address is the X-Real-IP header.
"""

access_log_format = (
    '%({x-real-ip}i)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s "%(a)s"'
)
