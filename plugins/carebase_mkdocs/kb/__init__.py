"""The ``carebase/kb`` plugin: knowledge base, FAQs, navigation and article pages."""
