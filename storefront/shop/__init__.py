"""The shop itself: who operates it (name, address, tax code, registration with the Ministry of
Industry and Trade), its policy pages, and how search engines find it (sitemap.xml, robots.txt).

The office keeps the operator and the policies (storefront/office); every page's footer, the
order confirmation and its e-mail show the operator."""

from flask import Blueprint

bp = Blueprint("shop", __name__)
