import pytest
from django.contrib.auth.models import AnonymousUser

from lindungi.accounts.models import User
from lindungi.core.scope import region_in_scope
from lindungi.regions.models import Region

pytestmark = pytest.mark.django_db


def test_region_in_scope_follows_code_prefixes(world):
    op = world.village_operator
    assert region_in_scope(op, "64.02.06.1002")
    assert not region_in_scope(op, "64.02.06.1001")
    assert not region_in_scope(op, "64.02.06")  # a scope never reaches upwards
    assert region_in_scope(world.regency_admin, "64.02.06.1002")
    assert not region_in_scope(world.regency_admin, "64.71.01.1001")
    # "64.0" must not match "64.02": prefixes are whole code segments
    assert not region_in_scope(world.province_admin, "640.1")
    assert region_in_scope(world.superadmin, "64.71")
    assert not region_in_scope(AnonymousUser(), "64")
    assert not region_in_scope(None, "64")


def test_visible_to_filters_any_scoped_model(world):
    assert Region.objects.visible_to(world.district_operator).count() == 1 + 14
    assert set(User.objects.visible_to(world.regency_admin).values_list("username", flat=True)) == {
        "admin.kukar",
        "op.tenggarong",
        "op.loaipuh",
        "bpjs.kukar",
        "auditor.kukar",
    }
    assert set(
        User.objects.visible_to(world.village_operator).values_list("username", flat=True)
    ) == {"op.loaipuh"}
    assert User.objects.visible_to(world.superadmin).count() == 9
    assert User.objects.visible_to(AnonymousUser()).count() == 0
