import pytest

from tests.factories import make_user


@pytest.fixture()
def officer(app_ctx):
    return make_user("office@example.vn", role="office", name="Chị Lan")


@pytest.fixture()
def office_client(client, auth, officer):
    auth.login(officer)
    return client
