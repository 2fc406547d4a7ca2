"""Official documents of employment assistance: 接受就业援助协议书, 公示, 目标责任书.

One job per module (see ``doc_templates/README.md``):

- :mod:`~doc_templates.contexts` — the data each paper needs;
- :mod:`~doc_templates.formatting` — dates, amounts, numerals, punctuation, blanks;
- :mod:`~doc_templates.citations` — clause keys → words (no policy key on paper);
- :mod:`~doc_templates.clauses` — reads the clause each paper rests on, 考核与奖惩 … from the pack;
- :mod:`~doc_templates.office` — the office's own details, from the clerk only;
- :mod:`~doc_templates.views` — a context → the strings its template places;
- :mod:`~doc_templates.templates` — shipped or local template, checked;
- :mod:`~doc_templates.render` — one paper → .docx bytes;
- :mod:`~doc_templates.naming` — file names;
- :mod:`~doc_templates.register` — 文书登记簿 (keyed hashes, re-issue numbering);
- :mod:`~doc_templates.batches` — many papers, skipped rows, 未生成 list;
- :mod:`~doc_templates.merge` — the print file (duplex);
- :mod:`~doc_templates.pdf` — PDF through one LibreOffice process;
- :mod:`~doc_templates.from_assessment` — engine results → contexts, procedure in order;
- :mod:`~doc_templates.targets` — target letters: goals computed from the ledger;
- :mod:`~doc_templates.build_templates` — rebuilds the three .docx templates.
"""
