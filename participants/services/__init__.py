"""Every write of the participants app, one module per subdomain; callers import from the module
(`from participants.services.registration import registration_accredit`). Each status change goes
through `transition.transition()`, which applies the tables in `participants/enums.py`."""
