"""Official documents of employment assistance: 接受就业援助协议书, 公示, 目标责任书.

- :mod:`doc_templates.contexts` — the data each document needs (dataclasses);
- :mod:`doc_templates.render` — ``render_agreement/notice/letter`` and the batch
  writers ``write_agreements/write_letters/write_notice``;
- :mod:`doc_templates.register` — 文书登记簿 (numbers that survive re-runs);
- :mod:`doc_templates.pdf` — ``to_pdf`` through one LibreOffice process;
- :mod:`doc_templates.from_assessment` — rules-engine results → contexts;
- :mod:`doc_templates.build_templates` — rebuilds the three .docx templates.
"""
