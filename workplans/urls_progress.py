"""URLs of the workplans' progress pages (their own module: see workplans/urls.py)."""

urlpatterns: list = []
