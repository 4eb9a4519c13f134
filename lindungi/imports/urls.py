from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("impor/", views.import_list_view, name="list"),
    path("impor/<uuid:import_id>/", views.import_detail, name="detail"),
    path("impor/<uuid:import_id>/status/", views.import_progress, name="progress"),
    path("impor/<uuid:import_id>/ulang/", views.import_rerun_view, name="rerun"),
    path("impor/<uuid:import_id>/unduh/<str:kind>/", views.import_file, name="download"),
]
