from django.urls import path

from . import views

app_name = "dues"
urlpatterns = [
    path("organizations/<int:pk>/", views.collect, name="collect"),
    path("organizations/<int:pk>/collection/", views.collection_page, name="collection"),
    path("organizations/<int:pk>/arrears/", views.arrears, name="arrears"),
    path("organizations/<int:pk>/bases/", views.bases, name="bases"),
    path("organizations/<int:pk>/bases/import/", views.bases_import_page, name="bases_import"),
    path("organizations/<int:pk>/bank/", views.bank_import, name="bank_import"),
    path("bases-template/", views.bases_template, name="bases_template"),
    path("organizations/<int:pk>/publication/", views.publication, name="publication"),
    path("bank-template/", views.bank_template, name="bank_template"),
    path("members/<int:pk>/", views.member_dues, name="member"),
    path("members/<int:pk>/pay/", views.payment_new, name="payment_new"),
    path("members/<int:pk>/basis/", views.basis_new, name="basis_new"),
    path("members/<int:pk>/excuse/", views.excuse_new, name="excuse_new"),
    path("members/<int:pk>/arrival/", views.opening, name="opening"),
    path("members/<int:pk>/lapse/", views.lapse_new, name="lapse_new"),
    path("members/<int:pk>/statement/", views.statement, name="statement"),
    path("payments/<int:pk>/", views.receipt, name="receipt"),
    path("payments/<int:pk>/cancel/", views.payment_cancel, name="payment_cancel"),
    path("lapses/<int:pk>/decide/", views.lapse_decide, name="lapse_decide"),
]
