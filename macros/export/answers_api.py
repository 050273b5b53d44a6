"""The resolver's answers in the JSON API: /api/v1/answers/, one document per setup, and an index.

URL scheme: answers/postgresql-{major}/openssl-{series}/{platform}/{min_protocol or "default"}.json,
for every PostgreSQL major x OpenSSL series it builds with, on the default platform (upstream
OpenSSL), for the server's defaults and each oldest protocol. The same documents as
`python -m macros answer --format json` (macros/model/resolver.py), with `meta` in front.
"""

from __future__ import annotations

from macros.export.context import ExportContext
from macros.export.json_api import API_DIR, dump, meta
from macros.model.dataset import Dataset
from macros.model.resolver import ANSWER_FLOORS, all_answers

ANSWERS_INDEX = "answers/index.json"
URL_SCHEME = "answers/postgresql-{major}/openssl-{series}/{platform}/{min_protocol}.json"


def answer_files(data: Dataset, context: ExportContext) -> dict[str, str]:
    """Every answer document and their index, by path under docs/ (api/v1/answers/...)."""
    answers = all_answers(data)
    files = {API_DIR + path: dump({"meta": meta(context, "answer")} | document)
             for path, document in answers.items()}
    listed = [{"postgresql": d["setup"]["postgresql"], "openssl": d["setup"]["openssl"],
               "platform": d["setup"]["platform"], "min_protocol": d["setup"]["min_protocol"],
               "url": context.url(API_DIR + path)}
              for path, d in answers.items()]
    index = {"meta": meta(context, "answers-index"),
             "url_scheme": context.url(API_DIR + URL_SCHEME),
             "floors": ["default" if f is None else f for f in ANSWER_FLOORS],
             "answers": listed}
    files[API_DIR + ANSWERS_INDEX] = dump(index)
    return files
