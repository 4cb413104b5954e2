"""URLs of the meetings' calendar pages (their own module: see meetings/urls.py)."""

urlpatterns: list = []
