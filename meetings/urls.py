from django.urls import include, path

from .views import meetings

app_name = "meetings"

urlpatterns = [
    path("meetings/", meetings.meeting_list, name="list"),
    path("meetings/year/", meetings.meeting_year, name="year"),
    path("meetings/year/<int:year>/", meetings.meeting_year, name="year"),
    path("networks/<slug:slug>/meetings/new/", meetings.meeting_create, name="create"),
    path("networks/<slug:slug>/meetings/plan-year/", meetings.meeting_plan_year, name="plan_year"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="edit"),
    path("meetings/<int:pk>/copy/", meetings.meeting_copy, name="copy"),
    path("meetings/<int:pk>/cancel/", meetings.meeting_cancel, name="cancel"),
    path("meetings/<int:pk>/held/", meetings.meeting_mark_held, name="mark_held"),
    path("meetings/<int:pk>/invite/", meetings.meeting_invite, name="invite"),
    path("meetings/<int:pk>/attendance/", meetings.attendance, name="attendance"),
    path("invitations/<int:pk>/answer/", meetings.participant_respond, name="respond"),
    path("", include("meetings.urls_agenda")),
    path("", include("meetings.urls_minutes")),
    path("", include("meetings.urls_calendar")),
]
