"""The lifecycle workflows reuse the Kutai Kartanegara world of the enrolment tests."""

from tests.enrolment.conftest import kukar, programme  # noqa: F401 - fixtures
