from django.urls import path

from . import views

app_name = "claims"

urlpatterns = [
    path("kalkulator-manfaat/", views.estimate_view, name="estimate"),
    path("klaim/", views.claim_list_view, name="list"),
    path("klaim/baru/", views.claim_new_view, name="new"),
    path("klaim/belum-diklaim/", views.worklist_view, name="worklist"),
    path(
        "klaim/belum-diklaim/<int:event_id>/buka/", views.worklist_open_view, name="worklist_open"
    ),
    path("klaim/<int:case_id>/", views.claim_detail_view, name="detail"),
    path("klaim/<int:case_id>/ubah/", views.claim_update_view, name="update"),
    path("klaim/<int:case_id>/ahli-waris/", views.claim_heir_view, name="heir"),
    path("klaim/<int:case_id>/dokumen/", views.claim_document_view, name="document"),
    path(
        "klaim/<int:case_id>/dokumen/<int:document_id>/",
        views.claim_document_download_view,
        name="document_download",
    ),
    path("klaim/<int:case_id>/status/", views.claim_status_view, name="status"),
    path("klaim/<int:case_id>/beasiswa/", views.claim_scholarship_view, name="scholarship"),
    path("hari-libur/", views.holidays_view, name="holidays"),
    path("hari-libur/<int:holiday_id>/hapus/", views.holiday_remove_view, name="holiday_remove"),
]
