import factory
from django.contrib.auth.models import Group

from willkommen.accounts.models import Team, User


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"team-{n}")
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = "Maria"
    last_name = "Muster"
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            self.groups.add(Group.objects.get(name=role))

    @factory.post_generation
    def member_of(self, create, extracted, **kwargs):
        for team in extracted or []:
            self.teams.add(team)
