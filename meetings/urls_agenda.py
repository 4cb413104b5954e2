"""URLs of the meetings' agenda pages (their own module: see meetings/urls.py)."""

urlpatterns: list = []
