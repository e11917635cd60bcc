from django.urls import path

from . import views

app_name = "transfers"
urlpatterns = [
    path("organizations/<int:pk>/", views.letters, name="letters"),
    path("organizations/<int:pk>/floating/", views.floating_list, name="floating_list"),
    path("members/<int:pk>/", views.member_page, name="member"),
    path("members/<int:pk>/letter/", views.letter_new, name="letter_new"),
    path("members/<int:pk>/away/", views.floating_new, name="floating_new"),
    path("incoming/", views.incoming_new, name="incoming_new"),
    path("letters/<int:pk>/", views.letter, name="letter"),
    path("letters/<int:pk>/print/", views.letter_print, name="letter_print"),
    path("letters/<int:pk>/decide/", views.letter_decide, name="letter_decide"),
    path("letters/<int:pk>/receipt/", views.letter_receive, name="letter_receive"),
    path("letters/<int:pk>/refuse/", views.letter_refuse, name="letter_refuse"),
    path("letters/<int:pk>/withdraw/", views.letter_withdraw, name="letter_withdraw"),
    path("floating/<int:pk>/", views.floating, name="floating"),
    path("floating/<int:pk>/return/", views.floating_return, name="floating_return"),
]
