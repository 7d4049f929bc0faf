"""Content gaps: the questions readers searched for and the help centre did not answer.

The search box sends them as events to Plausible or GA4 (``carebase/search`` ``analytics``);
``carebase report gaps`` reads them back (:mod:`.plausible`, or an export file: :mod:`.csvfile`),
merges the same question asked in different ways of typing (:mod:`.model`), finds the nearest
existing article (:mod:`.nearest`) and writes the report (:mod:`.report`).
"""
