"""Writes for meetings, one module per subdomain:

- `transition`: the one function that moves any meetings status along its table (`enums.py`);
- `planning`: meetings, their contributions and partners, the next COP;
- `agendas`: agenda versions and their items;
- `programme`: programme sessions and side-event slots;
- `side_events`: side-event requests, their review and the organisers' mail;
- `scope`: `scope_check`, refusing a State outside a meeting's scope (regions, groups, States);
- `information`: the information for participants, its sections per language and their files;
- `materials`: presentations, statements and photos (no symbol), uploaded, published, withdrawn.

Callers import the module they need (`from meetings.services import side_events`)."""
