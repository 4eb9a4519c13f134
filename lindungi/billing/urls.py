from django.urls import path

from . import views

app_name = "billing"

urlpatterns = [
    path("simulasi-anggaran/", views.simulate_view, name="simulate"),
    path("program/<int:programme_id>/keuangan/", views.finance_view, name="finance"),
    path("program/<int:programme_id>/penagihan/", views.run_view, name="run"),
    path("penagihan/<int:run_id>/batalkan/", views.run_reverse_view, name="run_reverse"),
    path("program/<int:programme_id>/pembayaran/", views.payment_view, name="payment"),
    path("pembayaran/<int:payment_id>/batalkan/", views.payment_void_view, name="payment_void"),
    path("pembayaran/<int:payment_id>/bukti/", views.evidence_view, name="evidence"),
    path("program/<int:programme_id>/anggaran/", views.budget_view, name="budget"),
    path("tagihan/<int:invoice_id>/", views.invoice_view, name="invoice"),
    path("tagihan/<int:invoice_id>/rincian.csv", views.invoice_csv, name="invoice_csv"),
    path("program/<int:programme_id>/rekonsiliasi/", views.statement_view, name="statement_new"),
    path("rekonsiliasi/<int:statement_id>/", views.statement_detail, name="statement"),
    path("peringatan/", views.alerts_view, name="alerts"),
    path("peringatan/<int:alert_id>/", views.alert_view, name="alert"),
    path(
        "peringatan/<int:alert_id>/tangani/",
        views.alert_acknowledge_view,
        name="alert_acknowledge",
    ),
    path("daftar-ulang/", views.reenrolment_view, name="reenrolment"),
]
