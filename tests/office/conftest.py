import pytest

from tests.factories import make_user
from tests.showrooms.helpers import counter  # noqa: F401  (a fixture: the sales reports' showroom)


@pytest.fixture
def officer(app_ctx):
    return make_user("office@example.vn", role="office", name="Chị Lan")


@pytest.fixture
def office_client(client, auth, officer):
    auth.login(officer)
    return client
