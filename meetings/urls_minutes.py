"""URLs of the meetings' minutes pages (their own module: see meetings/urls.py)."""

urlpatterns: list = []
