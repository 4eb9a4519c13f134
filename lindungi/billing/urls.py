from django.urls import path

from . import views

app_name = "billing"

urlpatterns = [
    path("simulasi-anggaran/", views.simulate_view, name="simulate"),
]
