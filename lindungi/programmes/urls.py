from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("program/", views.programme_list_view, name="list"),
    path("program/baru/", views.programme_new, name="new"),
    path("program/<int:programme_id>/", views.programme_detail, name="detail"),
    path("program/<int:programme_id>/ubah/", views.programme_edit, name="edit"),
    path("program/<int:programme_id>/lanjutkan/", views.programme_renew_view, name="renew"),
    path("tarif/", views.rates_view, name="rates"),
]
