from django.contrib import admin
from django.urls import include, path

from .api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
    path("", include("lindungi.registry.urls")),
    path("", include("lindungi.imports.urls")),
    path("", include("lindungi.dedup.urls")),
    path("", include("lindungi.programmes.urls")),
    path("", include("lindungi.enrolment.urls")),
    path("", include("lindungi.billing.urls")),
    path("", include("lindungi.claims.urls")),
    path("", include("lindungi.reporting.urls")),
    path("", include("lindungi.portal.urls")),
]

handler404 = "lindungi.portal.errors.page_not_found"
handler500 = "lindungi.portal.errors.server_error"
