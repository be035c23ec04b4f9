from django.urls import path

from willkommen.accessibility import views

app_name = "accessibility"
urlpatterns = [
    path("barrierefreiheit/", views.statement, name="statement"),
    path("accessibility/", views.legacy_statement),  # the earlier address of the statement
    path("leichte-sprache/", views.easy_language, name="easy_language"),
    path("gebaerdensprache/", views.sign_language, name="sign_language"),
    path("barriere-melden/", views.report, name="report"),
    path("barriere-melden/danke/", views.report_received, name="report_received"),
]

# Outside the language prefix: the files are the same in every language.
media_urlpatterns = [
    path("media/accessibility/videos/<str:name>", views.video_file, name="video_file"),
    path("media/accessibility/captions/<str:name>", views.captions_file, name="captions_file"),
]
