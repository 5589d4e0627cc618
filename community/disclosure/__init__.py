"""村务/居务公开 on a schedule (docs/disclosure.md): the catalogue of what must be disclosed, the
periods and deadlines, the obligations that follow from them and from events, and who checks."""
