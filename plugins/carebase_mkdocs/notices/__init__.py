"""The ``carebase/notices`` plugin: a site-wide banner while a service notice is active."""
