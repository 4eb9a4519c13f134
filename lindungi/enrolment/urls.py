from django.urls import path

from . import views

app_name = "enrolment"

urlpatterns = [
    path("program/<int:programme_id>/batch/baru/", views.batch_new, name="batch_new"),
    path(
        "program/<int:programme_id>/kelayakan/", views.programme_preview, name="programme_preview"
    ),
    path("batch/<int:batch_id>/", views.batch_view, name="batch"),
    path("batch/<int:batch_id>/kirim/", views.batch_submit_view, name="batch_submit"),
    path("batch/<int:batch_id>/berkas.<str:fmt>", views.batch_download, name="batch_file"),
    path("batch/<int:batch_id>/tambah/", views.batch_add_view, name="batch_add"),
    path(
        "batch/<int:batch_id>/keluarkan/<int:enrolment_id>/",
        views.batch_remove_view,
        name="batch_remove",
    ),
    path("batch/<int:batch_id>/jawaban/", views.return_upload_view, name="return_upload"),
    path("jawaban-bpjs/<int:return_id>/laporan/", views.return_report, name="return_report"),
    path("kepesertaan/<int:enrolment_id>/", views.enrolment_view, name="detail"),
    path("kepesertaan/<int:enrolment_id>/akhiri/", views.enrolment_end_view, name="end"),
]
