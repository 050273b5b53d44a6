"""The reader of a page's content (tests/page_content.py) that the MkDocs/Zensical comparison uses."""

from __future__ import annotations

from page_content import first_difference, page_content

PAGE = """<!doctype html><html><head><title>A page - Site</title><script>var chrome = 1;</script></head>
<body><nav>Navigation <a href="/">Home</a></nav>
<svg><title>an icon</title></svg>
<div class="md-content"><article class="md-content__inner md-typeset">
<h1 id="a-page">A   page</h1>
<p>Some <code>text</code>
over two lines.<br>After a break.</p>
<script>var hidden = "never shown";</script>
<pre><code><span>first   line</span>
second line
</code></pre>
<article>An inner article</article>
<table><thead><tr><th>Version</th><th>Status</th></tr></thead>
<tbody><tr><td>1.0</td><td><em>On</em> by default</td></tr></tbody></table>
<h2 id="more">More</h2><p>End.</p>
</article></div>
<footer>Footer text</footer></body></html>"""


def test_content_is_the_article_only_with_its_title_headings_cells_and_lines():
    page = page_content(PAGE)
    assert page.found and page.title == "A page - Site"
    assert page.headings == ["h1 #a-page A page", "h2 #more More"]
    assert page.cells == ["table 1 row 1: Version | Status", "table 1 row 2: 1.0 | On by default"]
    assert page.text == ["A page", "Some text over two lines.", "After a break.", "first line", "second line",
                         "An inner article", "Version", "Status", "1.0", "On by default", "More", "End."]


def test_a_page_without_the_content_element_is_marked_as_such():
    page = page_content("<html><head><title>T</title></head><body><p>Text</p></body></html>")
    assert not page.found and page.text == [] and page.title == "T"


def test_the_difference_names_the_page_and_the_changed_line():
    before = page_content(PAGE).lines()
    after = page_content(PAGE.replace("over two lines", "over three lines")).lines()
    assert first_difference("p/index.html", before, before, ("a", "b")) == ""
    difference = first_difference("p/index.html", before, after, ("a", "b")).splitlines()
    assert difference[:2] == ["--- a: p/index.html", "+++ b: p/index.html"]
    assert "-text: Some text over two lines." in difference and "+text: Some text over three lines." in difference
