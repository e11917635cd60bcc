from django.urls import path

from . import views

app_name = "appraisals"
urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("new/", views.campaign_new, name="campaign_new"),
    path("<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("<int:pk>/approve/", views.campaign_approve, name="campaign_approve"),
    path("<int:pk>/export/", views.campaign_export, name="campaign_export"),
    path("sheets/<int:pk>/", views.sheet_edit, name="sheet_edit"),
    path("sheets/<int:pk>/decide/", views.sheet_decide, name="sheet_decide"),
    path("sheets/<int:pk>/template/", views.sheet_template, name="sheet_template"),
    path("sheets/<int:pk>/import/", views.sheet_import, name="sheet_import"),
    path("entries/<int:pk>/disposition/", views.disposition_new, name="disposition_new"),
    path("dispositions/<int:pk>/decide/", views.disposition_decide, name="disposition_decide"),
    path(
        "dispositions/<int:pk>/conclude/", views.disposition_conclude, name="disposition_conclude"
    ),
]
