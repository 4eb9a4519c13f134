from django.urls import path

from . import views

app_name = "dedup"

urlpatterns = [
    path("duplikat/", views.queue_view, name="queue"),
    path("duplikat/jalankan/", views.run_start_view, name="run_start"),
    path("duplikat/<int:pair_id>/", views.pair_view, name="pair"),
    path("duplikat/<int:pair_id>/keputusan/", views.pair_decide_view, name="decide"),
    path("duplikat/gabungan/<int:merge_id>/batal/", views.merge_undo_view, name="undo"),
]
