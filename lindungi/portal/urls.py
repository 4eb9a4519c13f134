from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", views.login_view, name="login"),
    path("cek/", views.status_check, name="status_check"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/saya/", views.profile, name="profile"),
    path("akun/token/buat/", views.token_create, name="token_create"),
    path("akun/token/<int:token_id>/cabut/", views.token_revoke_view, name="token_revoke"),
    path("pengguna/", views.users, name="users"),
    path("pengguna/baru/", views.user_new, name="user_new"),
    path("pengguna/<int:user_id>/", views.user_detail, name="user_detail"),
    path("pengguna/<int:user_id>/sandi/", views.user_password, name="user_password"),
    path("pengguna/<int:user_id>/buka-kunci/", views.user_unlock_view, name="user_unlock"),
    path("audit/", views.audit, name="audit"),
    path("pekerjaan/", views.jobs, name="jobs"),
    path("pekerjaan/<uuid:job_id>/", views.job_detail, name="job_detail"),
    path("pekerjaan/<uuid:job_id>/kemajuan/", views.job_progress, name="job_progress"),
    path("wilayah/", views.regions, name="regions"),
    path("wilayah/pilih/", views.region_picker, name="region_picker"),
    path("wilayah/muat-ulang/", views.regions_reload, name="regions_reload"),
    path("wilayah/<str:code>/", views.regions, name="region_detail"),
]
