from storefront.rich_text import plain_text, render_markdown


def test_markdown_paragraphs_lists_and_emphasis_are_rendered():
    html = render_markdown("Sâm **Ngọc Linh**\n\n- mật ong\n- vitamin C")
    assert "<strong>Ngọc Linh</strong>" in html
    assert "<li>mật ong</li>" in html


def test_a_script_or_event_handler_in_the_text_never_reaches_the_page():
    html = render_markdown(
        'Trà <script>alert(1)</script> <img src=x onerror="alert(2)"> [x](javascript:alert(3))'
    )
    assert "<script" not in html
    assert "<img" not in html
    assert 'href="javascript' not in html
    assert "Trà" in html


def test_headings_of_level_one_become_level_two():
    html = render_markdown("# Cách dùng")
    assert "<h1" not in html
    assert "<h2>Cách dùng</h2>" in html


def test_plain_text_drops_markup_and_cuts_at_a_word():
    assert plain_text("**Sâm** dây *Ngọc Linh*") == "Sâm dây Ngọc Linh"
    cut = plain_text("một hai ba bốn năm", limit=10)
    assert cut == "một hai ba…"


def test_no_text_renders_nothing():
    assert render_markdown(None) == ""
    assert render_markdown("  ") == ""
