"""Importers: solved forum threads and merged pull requests become knowledge-base articles.

One sync engine (:mod:`.sync`) and several sources (:mod:`.discourse`, :mod:`.github`,
:mod:`.jsonl`), all speaking :mod:`.model`. Untrusted text is made safe by :mod:`.safety`
before it is written.
"""
