from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("pekerja/", views.worker_list_view, name="worker_list"),
    path("pekerja/baru/", views.worker_new, name="worker_new"),
    path("pekerja/<int:worker_id>/", views.worker_detail, name="worker_detail"),
    path("pekerja/<int:worker_id>/ubah/", views.worker_edit, name="worker_edit"),
    path("pekerja/<int:worker_id>/nik/", views.worker_nik, name="worker_nik"),
    path("pekerja/<int:worker_id>/verifikasi/", views.worker_verify_view, name="worker_verify"),
    path("pekerja/<int:worker_id>/tolak/", views.worker_reject_view, name="worker_reject"),
    path(
        "pekerja/<int:worker_id>/peristiwa/<int:event_id>/bukti/",
        views.event_evidence,
        name="event_evidence",
    ),
    path("pekerja/<int:worker_id>/ahli-waris/", views.heir_add_view, name="heir_add"),
    path(
        "pekerja/<int:worker_id>/ahli-waris/<int:heir_id>/urutan/",
        views.heir_rank,
        name="heir_rank",
    ),
    path(
        "pekerja/<int:worker_id>/ahli-waris/<int:heir_id>/hapus/",
        views.heir_remove_view,
        name="heir_remove",
    ),
    path("verifikasi/", views.verification_queue_view, name="verification"),
]
