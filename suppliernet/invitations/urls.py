from django.urls import path

from suppliernet.invitations import views

urlpatterns = [
    path("suppliers/<uuid:supplier_id>/invite/", views.supplier_invite, name="supplier_invite"),
    path("suppliers/invite-selected/", views.invite_selected, name="invite_selected"),
    path("invitations/", views.invitation_list, name="invitation_list"),
    path(
        "invitations/<uuid:invitation_id>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "invitations/<uuid:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
]
