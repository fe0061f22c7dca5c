from django.urls import path

from suppliernet.imports import views

urlpatterns = [
    path("imports/", views.import_list, name="import_list"),
    path("imports/new/", views.import_new, name="import_new"),
    path(
        "imports/template.csv",
        views.import_template,
        {"file_format": "csv"},
        name="import_template_csv",
    ),
    path(
        "imports/template.xlsx",
        views.import_template,
        {"file_format": "xlsx"},
        name="import_template_xlsx",
    ),
    path("imports/<uuid:import_id>/", views.import_detail, name="import_detail"),
    path("imports/<uuid:import_id>/process/", views.import_process, name="import_process"),
    path("imports/<uuid:import_id>/errors.csv", views.import_error_file, name="import_error_file"),
]
