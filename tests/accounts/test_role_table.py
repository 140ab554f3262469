"""Every route of the app, for every kind of visitor, answers as the role table
(tests/role_table.py) says; a route that is not in the table fails."""

from __future__ import annotations

import pytest

from tests.role_table import ACTORS, LOGIN, TABLE, sign_in


def test_the_table_covers_every_route(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(TABLE) == set(), "add the new routes to the role table"
    assert set(TABLE) - endpoints == set(), "remove routes that no longer exist"


@pytest.mark.parametrize("endpoint", sorted(TABLE))
def test_route_answers_each_visitor_as_the_table_says(client, world, endpoint):
    user_ids, values = world
    method, template, data, expected = TABLE[endpoint]
    path = template.format(**values)
    answers = {}
    for actor in ACTORS:
        sign_in(client, user_ids.get(actor))
        form = {k: str(v).format(**values) for k, v in (data or {}).items()}
        with client.open(path, method=method, data=form) as response:
            answers[actor] = response.status_code
            location = response.location
        if actor == "anonymous" and expected.get(actor) == LOGIN:
            assert location
            assert "/login" in location
    wanted = {actor: expected.get(actor, expected["*"]) for actor in ACTORS}
    assert answers == wanted
