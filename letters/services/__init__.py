"""Letters' writes, by subdomain; import from the submodule that does the work:

- `issuing`: numbering, requesting letters and batches, resend, revoke;
- `rendering`: turning queued letters into PDFs and handing their e-mails to the outbox, the
  render tasks' queueing and the sweeper of lost renders;
- `templates`: staff's versions of a letter's wording;
- `purging`: deleting a letter's PDF, and its copies in the outbox, with the personal data it printed;
- `transition`: the one function that moves a letter's status.
"""
