from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from core import registry
from core import views as core_views
from home import views as home_views

admin.site.site_header = "Secretariat administration"
admin.site.site_title = "Secretariat admin"

urlpatterns = [
    path("", home_views.home, name="home"),
    path("search/", home_views.search, name="search"),
    path("healthz", core_views.healthz, name="healthz"),
    # The public site for search engines: what each app lists (core.registry).
    path("sitemap.xml", sitemap, {"sitemaps": registry.sitemaps()}, name="sitemap"),
    path("robots.txt", home_views.robots_txt, name="robots_txt"),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("", include("members.urls")),
    path("", include("meetings.urls")),
    path("", include("workplans.urls")),
    path("", include("taskteams.urls")),
    path("", include("decisions.urls")),
    path("", include("documents.urls")),
    path("", include("reports.urls")),
]

handler403 = "core.views.error_403"
handler404 = "core.views.error_404"

# No /media/ route, not even with DEBUG: uploaded documents are served only
# through views that check who may read them.
