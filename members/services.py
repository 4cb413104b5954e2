"""Writes on the members side. Each service is atomic, keyword-only, and
raises DomainError with a message for the user when a rule refuses it."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.access import refuse_changes
from core.errors import DomainError
from members.roles import Actor
from notifications.outbox import email_queue

from .models import (
    AdmissionCriterion,
    ApplicationStatus,
    ChairTerm,
    CriterionAssessment,
    Membership,
    MembershipApplication,
    Network,
    Organization,
    Person,
    PersonLevel,
)
from .permissions import contact_scope
from .selectors import current_membership_of

# --- contacts ------------------------------------------------------------------


def person_save(
    *, person: Person, locked: Iterable[str] = (), actor: Actor | None = None
) -> Person:
    """Create or update a contact. `locked`: the access fields the editor may
    not change (members.permissions.PERSON_ACCESS); a change to one is
    refused, whatever the form let through. `actor`: the editor; a contact
    placed in a network it may not place it in (contact_scope: a network it
    does not manage, or every network of an agency that is also in others)
    is refused too. Without an actor (a command, the seed), no such check."""
    with transaction.atomic():
        refuse_changes(person, locked)
        if actor is not None and "network" not in set(locked):
            scope = contact_scope(actor, person.organization_id, linked=person.user_id is not None)
            if not scope.allows(person.network_id):
                raise DomainError(
                    _(
                        "You may not place this contact there: choose one of the networks you manage."
                    ),
                    field="network",
                )
        person.save()
    return person


# --- chair terms -------------------------------------------------------------


def chair_term_save(*, term: ChairTerm) -> ChairTerm:
    """Create or update a chair term, refusing an overlap in its network.

    The check gives the message; the database constraint (exclusion on
    PostgreSQL, trigger on SQLite) settles a race between two requests.
    """
    if term.end < term.start:
        raise DomainError(_("A chair term must end after it starts."), field="end")
    try:
        with transaction.atomic():
            # Lock the network row so two planners queue behind each other.
            Network.objects.select_for_update().filter(pk=term.network_id).first()
            message = term.overlap_message()
            if message:
                raise DomainError(message)
            term.save()
    except IntegrityError as exc:
        raise DomainError(_("This term overlaps another chair term of the network.")) from exc
    return term


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def chair_terms_plan(*, network: Network, count: int) -> list[ChairTerm]:
    """Plan the next `count` terms after the last one, following the rotation
    order and the network's term length."""
    if not network.has_rotating_chair:
        raise DomainError(_("This network has a coordinator, not a rotating chair."))
    rotation = list(network.rotation.select_related("organization").order_by("position"))
    if not rotation:
        raise DomainError(_("Set the rotation order before planning terms."))
    if not 1 <= count <= 12:
        raise DomainError(_("Plan between 1 and 12 terms at a time."), field="count")
    last = network.chair_terms.order_by("-end").first()
    if last is None:
        start = timezone.localdate().replace(day=1)
        next_index = 0
    else:
        start = last.end + timedelta(days=1)
        order = [r.organization_id for r in rotation]
        next_index = (order.index(last.organization_id) + 1) if last.organization_id in order else 0
    planned = []
    with transaction.atomic():
        for i in range(count):
            org = rotation[(next_index + i) % len(rotation)].organization
            end = add_months(start, network.chair_term_months) - timedelta(days=1)
            planned.append(
                chair_term_save(
                    term=ChairTerm(network=network, organization=org, start=start, end=end)
                )
            )
            start = end + timedelta(days=1)
    return planned


def rotation_set(*, network: Network, organizations: list[Organization]) -> None:
    if len({o.pk for o in organizations}) != len(organizations):
        raise DomainError(_("An agency can appear only once in the rotation."))
    with transaction.atomic():
        network.rotation.all().delete()
        network.rotation.bulk_create(
            [
                network.rotation.model(network=network, organization=org, position=i)
                for i, org in enumerate(organizations, start=1)
            ]
        )


def criteria_set(*, network: Network, texts: list[str]) -> None:
    """Make `texts` the network's admission criteria, in order. A criterion
    no longer listed is retired, not deleted: past reviews keep it."""
    with transaction.atomic():
        existing = {c.text: c for c in AdmissionCriterion.all_objects.filter(network=network)}
        for criterion in existing.values():
            if criterion.text not in texts and not criterion.retired:
                criterion.retired = True
                criterion.save(update_fields=["retired"])
        for position, text in enumerate(texts, start=1):
            criterion = existing.get(text) or AdmissionCriterion(network=network, text=text)
            if criterion.pk is None or criterion.position != position or criterion.retired:
                criterion.position = position
                criterion.retired = False
                criterion.save()


# --- memberships -----------------------------------------------------------


def membership_save(*, membership: Membership) -> Membership:
    if membership.left and membership.left < membership.joined:
        raise DomainError(_("A membership cannot end before it starts."), field="left")
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:
        raise DomainError(
            _("%(org)s is already a member of %(net)s.")
            % {"org": membership.organization, "net": membership.network},
            field="organization",
        ) from exc
    return membership


# --- membership applications ----------------------------------------------


def _next_reference(network: Network) -> str:
    year = timezone.localdate().year
    prefix = f"{network.slug[:6].upper()}-{year}-"
    last = MembershipApplication.objects.filter(reference__startswith=prefix).aggregate(
        m=Max("reference")
    )["m"]
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _notify_applicant(application: MembershipApplication, occasion: str) -> None:
    context = {
        "application": application,
        "status_url": settings.SITE_URL + application.get_status_url(),
        "occasion": occasion,
    }
    email_queue(
        to=application.contact_email,
        subject=render_to_string("members/email/application_subject.txt", context).strip(),
        body=render_to_string("members/email/application_body.txt", context),
        dedupe_key=f"application:{application.pk}:{occasion}",
    )


def _transition(application: MembershipApplication, to: str) -> None:
    if not application.can_move_to(to):
        raise DomainError(
            _("An application that is %(state)s cannot become %(to)s.")
            % {
                "state": application.get_status_display().lower(),
                "to": ApplicationStatus(to).label.lower(),
            }
        )
    application.status = to


def already_member_message(organization: Organization, network: Network) -> str:
    """What the applicant reads when its agency is a member (by name): the
    form's check (members:apply_check) and the first save say the same."""
    return _(
        "%(org)s is already a member of this network (%(net)s): it need not apply, "
        "and this application cannot be saved. To change its focal points or contacts, "
        "write to the network's secretariat."
    ) % {"org": f"{organization.name} ({organization.acronym})", "net": network.name}


def same_acronym_message(organization: Organization, network: Network) -> str:
    """What the applicant reads when only the acronym is a member's: a
    warning, the application may still be sent."""
    return _(
        "An agency with the acronym %(acronym)s is already a member of this network "
        "(%(net)s): %(org)s. Is that yours? If it is, it need not apply; if not, you may "
        "go on."
    ) % {"acronym": organization.acronym, "org": organization.name, "net": network.name}


def already_member_refusal(application: MembershipApplication) -> None:
    """An agency that is a member of the network (by name) does not apply:
    refused at the first save, before the applicant fills in the rest. The
    same acronym alone is only a warning (the form's check)."""
    match = current_membership_of(
        network=application.network, name=application.org_name, acronym=application.org_acronym
    )
    if match is not None and match.same_name:
        raise DomainError(
            already_member_message(match.organization, application.network), field="org_name"
        )


def application_save_draft(
    *, application: MembershipApplication, user=None, notify: bool = True
) -> MembershipApplication:
    """Create or update the applicant's draft; the reference is given once.
    A new draft mails its private link, unless it is submitted at once: then
    the "received" mail carries the link."""
    if application.pk and application.status != ApplicationStatus.DRAFT:
        raise DomainError(_("This application has been submitted and can no longer be edited."))
    if not application.network.accepts_applications:
        raise DomainError(_("This network does not accept applications at the moment."))
    already_member_refusal(application)
    with transaction.atomic():
        created = application.pk is None
        if created:
            Network.objects.select_for_update().filter(pk=application.network_id).first()
            application.reference = _next_reference(application.network)
            if user is not None and user.is_authenticated:
                application.submitted_by = user
        application.save()
        if created and notify:
            _notify_applicant(application, "created")
    return application


def application_submit(*, application: MembershipApplication, user=None) -> MembershipApplication:
    with transaction.atomic():
        application_save_draft(application=application, user=user, notify=False)
        _transition(application, ApplicationStatus.SUBMITTED)
        application.submitted_at = timezone.now()
        application.save(update_fields=["status", "submitted_at", "updated_at"])
        _notify_applicant(application, "submitted")
    return application


def application_start_review(
    *, application: MembershipApplication, reviewer
) -> MembershipApplication:
    with transaction.atomic():
        _transition(application, ApplicationStatus.UNDER_REVIEW)
        application.reviewer = reviewer
        application.save(update_fields=["status", "reviewer", "updated_at"])
        _notify_applicant(application, "under_review")
    return application


def application_assess(
    *, application: MembershipApplication, verdicts: dict[int, tuple[str, str]], notes: str
) -> None:
    """Record the review against each admission criterion: {criterion_id: (verdict, note)}."""
    if application.status != ApplicationStatus.UNDER_REVIEW:
        raise DomainError(_("Start the review before assessing the application."))
    with transaction.atomic():
        for criterion_id, (verdict, note) in verdicts.items():
            CriterionAssessment.objects.update_or_create(
                application=application,
                criterion_id=criterion_id,
                defaults={"verdict": verdict, "note": note},
            )
        application.review_notes = notes
        application.save(update_fields=["review_notes", "updated_at"])


def _organization_for(application: MembershipApplication) -> Organization:
    """The existing agency with this acronym or name, or a new one."""
    existing = (
        Organization.objects.filter(acronym__iexact=application.org_acronym).first()
        or Organization.objects.filter(name__iexact=application.org_name).first()
    )
    if existing:
        return existing
    base = slugify(application.org_acronym)[:30] or "org"
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return Organization.objects.create(
        name=application.org_name,
        acronym=application.org_acronym,
        slug=slug,
        kind=application.org_kind,
        website=application.org_website,
        headquarters=application.org_headquarters,
        description=application.mandate,
    )


def application_decide(
    *,
    application: MembershipApplication,
    admit: bool,
    decided_by: str,
    decision_date: date,
    decision_record: str,
    reason: str,
) -> MembershipApplication:
    """Record the decision of the principals or the executive committee.
    Admission creates the organization if new, its membership and its focal
    point; the applicant is told by e-mail either way."""
    if not admit and not reason.strip():
        raise DomainError(_("Give the reason for declining."), field="reason")
    if decision_date > timezone.localdate():
        raise DomainError(_("The decision cannot be dated in the future."), field="decision_date")
    with transaction.atomic():
        application = MembershipApplication.objects.select_for_update().get(pk=application.pk)
        _transition(
            application, ApplicationStatus.ADMITTED if admit else ApplicationStatus.DECLINED
        )
        application.decided_by = decided_by
        application.decision_date = decision_date
        application.decision_record = decision_record
        application.outcome_reason = reason
        application.closed_at = timezone.now()
        fields = [
            "status",
            "decided_by",
            "decision_date",
            "decision_record",
            "outcome_reason",
            "closed_at",
            "updated_at",
        ]
        if admit:
            # The agency admission would add (_organization_for: by acronym,
            # then name) is one that current_membership_of finds.
            member = current_membership_of(
                network=application.network,
                name=application.org_name,
                acronym=application.org_acronym,
            )
            if member is not None:
                raise DomainError(
                    _("%(org)s is already a member of %(net)s.")
                    % {"org": member.organization, "net": application.network}
                )
            organization = _organization_for(application)
            application.organization = organization
            application.membership = Membership.objects.create(
                network=application.network,
                organization=organization,
                joined=decision_date,
                notes=_("Admitted on application %(ref)s.") % {"ref": application.reference},
            )
            Person.objects.get_or_create(
                organization=organization,
                network=application.network,
                email=application.focal_point_email,
                level=PersonLevel.FOCAL_POINT,
                is_active=True,
                defaults={
                    "name": application.focal_point_name,
                    "position": application.focal_point_position,
                    "phone": application.focal_point_phone,
                },
            )
            fields += ["organization", "membership"]
        application.save(update_fields=fields)
        _notify_applicant(application, application.status)
    return application


def application_withdraw(
    *, application: MembershipApplication, reason: str
) -> MembershipApplication:
    if not reason.strip():
        raise DomainError(_("Tell us why the application is withdrawn."), field="reason")
    with transaction.atomic():
        application = MembershipApplication.objects.select_for_update().get(pk=application.pk)
        _transition(application, ApplicationStatus.WITHDRAWN)
        application.outcome_reason = reason
        application.closed_at = timezone.now()
        application.save(update_fields=["status", "outcome_reason", "closed_at", "updated_at"])
        _notify_applicant(application, "withdrawn")
    return application
