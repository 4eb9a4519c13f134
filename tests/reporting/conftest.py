"""Reports reuse the Kutai Kartanegara world of the enrolment tests."""

from tests.enrolment.conftest import kukar  # noqa: F401 - fixture
