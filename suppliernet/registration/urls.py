from django.urls import path

from suppliernet.registration import views

# No object IDs in these public URLs: the checked invitation is kept in the session.
urlpatterns = [
    path("", views.activate, name="activate"),
    path("register/", views.register, name="activation_register"),
    path("ask-admin/", views.ask_admin, name="activation_ask_admin"),
    path("ask-new-code/", views.ask_new_code, name="activation_ask_new_code"),
]
