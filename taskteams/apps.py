from django.apps import AppConfig


class TaskteamsConfig(AppConfig):
    name = "taskteams"
    verbose_name = "Task teams"
