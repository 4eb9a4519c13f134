import pytest

from lindungi.accounts.models import User
from lindungi.accounts.roles import Role
from lindungi.accounts.services import login_check, user_create, user_set_password, user_update
from lindungi.core.context import action_context
from lindungi.core.errors import DomainError, FieldErrors, Forbidden
from lindungi.core.models import AuditEvent

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _counts():
    return User.objects.count(), AuditEvent.objects.count()


def test_regency_admin_creates_a_village_operator_in_its_regency(world):
    user = user_create(
        actor=world.regency_admin,
        username="Op.Jahab",
        password=PASSWORD,
        role=Role.VILLAGE_OPERATOR,
        region_code="64.02.06.1001",
        first_name=" Rina ",
    )
    assert user.username == "op.jahab"
    assert user.region_id == "64.02.06.1001"
    assert user.first_name == "Rina"
    assert user.check_password(PASSWORD)
    event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert event.actor == world.regency_admin
    assert event.region_code == "64.02.06.1001"
    assert event.changes["role"] == [None, "village_operator"]
    assert "password" not in event.changes


@pytest.mark.parametrize(
    ("role", "region", "field"),
    [
        (Role.VILLAGE_OPERATOR, "64.02.06", "region"),  # a district, not a village
        (Role.REGENCY_ADMIN, "64", "region"),
        (Role.PROVINCE_ADMIN, None, "region"),
        (Role.SUPERADMIN, "64", "region"),
        ("kepala_dinas", "64.02", "role"),
    ],
)
def test_role_must_fit_the_region_level(world, role, region, field):
    before = _counts()
    with pytest.raises(FieldErrors) as excinfo:
        user_create(
            actor=None, username="someone", password=PASSWORD, role=role, region_code=region
        )
    assert list(excinfo.value.fields) == [field]
    assert _counts() == before


def test_regency_admin_cannot_create_outside_its_regency(world):
    before = _counts()
    with pytest.raises(Forbidden) as excinfo:
        user_create(
            actor=world.regency_admin,
            username="op.manggar2",
            password=PASSWORD,
            role=Role.VILLAGE_OPERATOR,
            region_code="64.71.01.1001",
        )
    assert excinfo.value.code == "region_out_of_scope"
    assert _counts() == before


def test_nobody_creates_a_role_above_their_own(world):
    with pytest.raises(Forbidden) as excinfo:
        user_create(
            actor=world.regency_admin,
            username="another.admin",
            password=PASSWORD,
            role=Role.REGENCY_ADMIN,
            region_code="64.02",
        )
    assert excinfo.value.code == "role_not_assignable"
    with pytest.raises(Forbidden):
        user_create(
            actor=world.village_operator,
            username="x.y",
            password=PASSWORD,
            role=Role.VILLAGE_OPERATOR,
            region_code="64.02.06.1002",
        )


def test_username_rules(world):
    with pytest.raises(FieldErrors) as taken:
        user_create(
            actor=None,
            username="ADMIN.KUKAR",
            password=PASSWORD,
            role=Role.AUDITOR,
            region_code="64.02",
        )
    assert taken.value.fields["username"][0]["code"] == "username_taken"
    with pytest.raises(FieldErrors) as invalid:
        user_create(
            actor=None, username="a b", password=PASSWORD, role=Role.AUDITOR, region_code="64.02"
        )
    assert invalid.value.fields["username"][0]["code"] == "username_invalid"


def test_weak_password_is_refused_in_indonesian(world):
    with pytest.raises(FieldErrors) as excinfo:
        user_create(
            actor=None, username="lemah", password="12345", role=Role.AUDITOR, region_code="64.02"
        )
    error = excinfo.value.fields["password"][0]
    assert error["code"] == "password_weak"
    assert error["message"].startswith("Kata sandi tidak memenuhi ketentuan")
    assert not User.objects.filter(username="lemah").exists()


def test_update_records_before_and_after(world):
    user_update(
        actor=world.regency_admin,
        user=world.village_operator,
        region_code="64.02.06.1001",
        phone="0812 1111",
    )
    event = AuditEvent.objects.filter(action="user.update").latest("id")
    assert event.changes == {
        "region": ["64.02.06.1002", "64.02.06.1001"],
        "phone": ["", "0812 1111"],
    }
    world.village_operator.refresh_from_db()
    assert world.village_operator.region_id == "64.02.06.1001"


def test_update_outside_scope_or_of_self_is_refused(world):
    with pytest.raises(Forbidden):
        user_update(actor=world.regency_admin, user=world.manggar_operator, first_name="X")
    with pytest.raises(Forbidden) as excinfo:
        user_update(actor=world.regency_admin, user=world.regency_admin, role=Role.PROVINCE_ADMIN)
    assert excinfo.value.code == "cannot_change_self"
    with pytest.raises(Forbidden):
        user_update(actor=world.regency_admin, user=world.regency_admin, is_active=False)
    # moving one's own operator out of one's regency is moving it out of scope
    with pytest.raises(Forbidden):
        user_update(
            actor=world.regency_admin, user=world.village_operator, region_code="64.71.01.1001"
        )
    world.manggar_operator.refresh_from_db()
    assert world.manggar_operator.first_name == ""


def test_set_password_lifts_the_sign_in_throttle(world):
    with action_context("web", ip="203.0.113.7"):
        for _ in range(5):
            with pytest.raises(DomainError):
                login_check(username="op.loaipuh", password="salah")
    user_set_password(
        actor=world.regency_admin, user=world.village_operator, password="Baru#Sandi2026x"
    )
    world.village_operator.refresh_from_db()
    assert world.village_operator.check_password("Baru#Sandi2026x")
    with action_context("web", ip="203.0.113.7"):
        assert login_check(username="op.loaipuh", password="Baru#Sandi2026x").pk == (
            world.village_operator.pk
        )


def test_domain_errors_carry_codes_and_indonesian_messages(world):
    with pytest.raises(DomainError) as excinfo:
        user_create(
            actor=world.auditor,
            username="zz.zz",
            password=PASSWORD,
            role=Role.AUDITOR,
            region_code="64.02",
        )
    assert excinfo.value.status == 403
    assert excinfo.value.message == "Anda tidak berwenang melakukan tindakan ini."
