from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("laporan/dasbor/", views.dashboard_view, name="dashboard"),
    path("laporan/dasbor/hitung-ulang/", views.dashboard_refresh_view, name="dashboard_refresh"),
    path("laporan/cakupan/", views.coverage_view, name="coverage"),
    path("laporan/peta/", views.boundary_view, name="boundary"),
    path("laporan/peta/unggah/", views.boundary_upload_view, name="boundary_upload"),
    path("laporan/angka/unggah/", views.figures_upload_view, name="figures_upload"),
    path("laporan/paritrana/", views.readiness_view, name="readiness"),
    path("laporan/cetak/", views.printed_view, name="printed"),
    path("laporan/ekspor/", views.exports_view, name="exports"),
    path("laporan/ekspor/<int:export_id>/unduh/", views.export_download_view, name="export_file"),
    path("laporan/cetak/<int:report_id>/unduh/", views.printed_download_view, name="printed_file"),
    path("laporan/paritrana/simpan/", views.readiness_record_view, name="readiness_record"),
]
