from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from .api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Passwords change in one place, the account page, through the service that also ends the
    # account's API tokens and audits it; the admin's own form would do neither.
    path(
        "django-admin/password_change/",
        RedirectView.as_view(pattern_name="portal:profile"),
        name="django_admin_password_change",
    ),
    path("django-admin/", admin.site.urls),
    path("", include("lindungi.registry.urls")),
    path("", include("lindungi.lifecycle.urls")),
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
