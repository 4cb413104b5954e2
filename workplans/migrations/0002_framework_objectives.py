"""Reference data: the 23 objectives of the Global Compact for Safe, Orderly
and Regular Migration and SDG target 10.7 (seed 004 gives the context)."""

from django.db import migrations

GCM = (
    "Collect and utilize accurate and disaggregated data as a basis for evidence-based policies",
    "Minimize the adverse drivers and structural factors that compel people to leave their country of origin",
    "Provide accurate and timely information at all stages of migration",
    "Ensure that all migrants have proof of legal identity and adequate documentation",
    "Enhance availability and flexibility of pathways for regular migration",
    "Facilitate fair and ethical recruitment and safeguard conditions that ensure decent work",
    "Address and reduce vulnerabilities in migration",
    "Save lives and establish coordinated international efforts on missing migrants",
    "Strengthen the transnational response to smuggling of migrants",
    "Prevent, combat and eradicate trafficking in persons in the context of international migration",
    "Manage borders in an integrated, secure and coordinated manner",
    "Strengthen certainty and predictability in migration procedures for appropriate screening, assessment and referral",
    "Use migration detention only as a measure of last resort and work towards alternatives",
    "Enhance consular protection, assistance and cooperation throughout the migration cycle",
    "Provide access to basic services for migrants",
    "Empower migrants and societies to realize full inclusion and social cohesion",
    "Eliminate all forms of discrimination and promote evidence-based public discourse to shape perceptions of migration",
    "Invest in skills development and facilitate mutual recognition of skills, qualifications and competences",
    "Create conditions for migrants and diasporas to fully contribute to sustainable development in all countries",
    "Promote faster, safer and cheaper transfer of remittances and foster financial inclusion of migrants",
    "Cooperate in facilitating safe and dignified return and readmission, as well as sustainable reintegration",
    "Establish mechanisms for the portability of social security entitlements and earned benefits",
    "Strengthen international cooperation and global partnerships for safe, orderly and regular migration",
)
SDG_10_7 = (
    "Facilitate orderly, safe, regular and responsible migration and mobility of people, including "
    "through the implementation of planned and well-managed migration policies"
)


def load(apps, schema_editor):
    FrameworkObjective = apps.get_model("workplans", "FrameworkObjective")
    for number, title in enumerate(GCM, start=1):
        FrameworkObjective.objects.update_or_create(
            code=f"GCM {number}", defaults={"framework": "gcm", "number": number, "title": title}
        )
    FrameworkObjective.objects.update_or_create(
        code="SDG 10.7", defaults={"framework": "sdg", "number": 107, "title": SDG_10_7}
    )


def unload(apps, schema_editor):
    apps.get_model("workplans", "FrameworkObjective").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("workplans", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
