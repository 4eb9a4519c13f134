from django.urls import path

from . import views

app_name = "lifecycle"

urlpatterns = [
    path("pekerja/<int:worker_id>/peristiwa/", views.event_record, name="event_record"),
    path(
        "pekerja/<int:worker_id>/peristiwa/<int:event_id>/batal/",
        views.event_cancel,
        name="event_cancel",
    ),
]
