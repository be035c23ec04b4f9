"""Demo data: example booking rules, ticket series, staffing tasks and a believable
office history, for trying willkommen out (``make demo``).

Nothing imports this package: only its management commands use it. It writes
through each app's public services (or their bulk variants) so that demo rows
are rows the apps could have written themselves, and no app keeps demo code.
"""
