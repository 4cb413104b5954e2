"""URLs of the workplans' plans pages (their own module: see workplans/urls.py)."""

urlpatterns: list = []
