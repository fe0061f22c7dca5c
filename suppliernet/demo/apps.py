from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "suppliernet.demo"
    verbose_name = "Demo data"
