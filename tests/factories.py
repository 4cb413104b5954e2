"""factory_boy factories for the tests. Sequences keep names unique."""

from datetime import date

import factory
from factory.django import DjangoModelFactory

from accounts.models import Role, RoleGrant, User
from members.models import (
    AdmissionCriterion,
    ChairTerm,
    Governance,
    Membership,
    MembershipApplication,
    Network,
    NetworkLevel,
    Organization,
    Person,
    PersonLevel,
)

PASSWORD = "correct horse battery staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Sequence(lambda n: f"User{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    acronym = factory.Sequence(lambda n: f"AG{n}")
    name = factory.LazyAttribute(lambda o: f"Agency {o.acronym}")
    slug = factory.LazyAttribute(lambda o: o.acronym.lower())


class NetworkFactory(DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Network {n}")
    short_name = factory.Sequence(lambda n: f"NET{n}")
    slug = factory.Sequence(lambda n: f"net{n}")
    level = NetworkLevel.GLOBAL
    governance = Governance.ROTATING_CHAIR
    chair_term_months = 6


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    network = factory.SubFactory(NetworkFactory)
    organization = factory.SubFactory(OrganizationFactory)
    joined = date(2020, 1, 1)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Person {n}")
    level = PersonLevel.FOCAL_POINT
    email = factory.Sequence(lambda n: f"person{n}@agency.example.org")


class ChairTermFactory(DjangoModelFactory):
    class Meta:
        model = ChairTerm

    network = factory.SubFactory(NetworkFactory)
    organization = factory.SubFactory(OrganizationFactory)
    start = date(2030, 1, 1)
    end = date(2030, 6, 30)


class CriterionFactory(DjangoModelFactory):
    class Meta:
        model = AdmissionCriterion

    network = factory.SubFactory(NetworkFactory)
    position = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"Criterion {n}")


class ApplicationFactory(DjangoModelFactory):
    class Meta:
        model = MembershipApplication

    network = factory.SubFactory(NetworkFactory)
    reference = factory.Sequence(lambda n: f"TEST-2026-{n:04d}")
    org_name = factory.Sequence(lambda n: f"Applicant Agency {n}")
    org_acronym = factory.Sequence(lambda n: f"APP{n}")
    org_kind = "un_entity"
    mandate = "A mandate."
    relevance = "Relevant to migration."
    areas_of_work = "Data, protection."
    focal_point_name = "Ana Focal"
    focal_point_email = factory.Sequence(lambda n: f"fp{n}@applicant.example.org")
    contact_email = factory.Sequence(lambda n: f"contact{n}@applicant.example.org")


def grant(user, role=Role.SECRETARIAT, network=None):
    return RoleGrant.objects.create(user=user, role=role, network=network)
