"""The office's lists find a product by its printed code, its EAN or its exact name, first; a
"%" or "_" in a query is a character, never a wildcard, and never empties the list by itself."""

from storefront.extensions import db
from tests.factories import make_producer, make_product, make_region


def names_in(page: str) -> list[str]:
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    return [n for n in ("KoRa 10%", "KoRa 5%", "Cà phê", "Sâm dây") if n in body]


def test_a_products_code_finds_it_first(office_client):
    wanted = make_product("Sâm dây", code="2DMY4M")
    make_product("Cà phê 2DMY4M", stars=4)  # the code in another's name comes after
    page = office_client.get("/office/products?q=2dmy4m").text
    body = page.split("<tbody>")[1]
    assert body.index(f"/office/products/{wanted.code}") < body.index("Cà phê 2DMY4M")


def test_an_ean_finds_its_product(office_client):
    make_product("Sâm dây", stars=4)
    product = make_product("Cà phê", stars=4)
    product.ean = "8936012345678"
    db.session.commit()
    assert names_in(office_client.get("/office/products?q=8936012345678").text) == ["Cà phê"]


def test_a_percent_in_an_exact_name_is_a_character(office_client):
    # codes, producer and place without digits: a numbered one ("T00010", "HTX Số 10") would
    # hold the "10" searched for once the suite has made ten of them
    region = make_region(code="KONTUM", name="Kon Tum")
    kora = make_producer(code="KORAGR", name="Kora Group", region=region)
    make_product("KoRa 10%", stars=4, code="KRAAAA", producer=kora)
    make_product("KoRa 5%", stars=4, code="KRBBBB", producer=kora)
    make_product("Sâm dây", stars=4, code="SDCCCC", producer=kora)
    assert names_in(office_client.get("/office/products?q=KoRa 10%25").text) == ["KoRa 10%"]
    assert names_in(office_client.get("/office/products?q=%25").text) != []
    assert names_in(office_client.get("/office/products?q=_").text) != []


def test_the_certificates_list_finds_a_decision_number_or_a_product_code(office_client):
    product = make_product("Sâm dây", stars=4, code="2DMY4M")
    make_product("Cà phê", stars=4)
    number = product.certificates[0].decision_number
    for q in (number, "2dmy4m", "sam day"):
        assert names_in(office_client.get("/office/certificates", query_string={"q": q}).text) == [
            "Sâm dây"
        ]
