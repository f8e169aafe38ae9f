"""The imatinib CDS Hooks 2.0.1 service: the decision module's recommendations inside the EHR.

An EHR calls it on ``patient-view`` and on ``order-select`` / ``order-sign`` of an imatinib
``MedicationRequest``, with the patient's FHIR R4 data (prefetched, or read from its FHIR server); the
service reads the data with ``fhir.resources`` (``cds.fhir``), computes the durations from the series
(``cds.case``), runs the decision module (``knowledge``; nothing clinical is decided here) and answers
with cards (``cds.cards``, ``cds.services``) that cite the sources registry and link to the chat
(``cds.chat``). Feedback on cards is kept in the audit database (``cds.feedback``).

Serve it with ``python -m cds serve --port 5070 [--host 127.0.0.1]``. Configuration (environment):

- ``CDS_CHAT_URL``: the web chat widget the cards link to (default
  ``http://localhost:5005/webhooks/webchat/ui/``); the case goes in the fragment, ``#say=…``.
- ``AUDIT_DB`` / ``AUDIT_SALT``: the audit database and its salt, shared with the chat's audit trail
  (``audit/__init__.py``; default ``.rasa/audit.db``).
- Client JWTs ("Trusting CDS Clients"; off unless a key source is set, and then required on every
  call): ``CDS_JWKS_URL`` (the EHR's JWK Set), or ``CDS_JWKS_FILE`` (a JWK Set agreed out of band), or
  ``CDS_JWT_PUBLIC_KEY_FILE`` (one PEM public key); with ``CDS_BASE_URL``, this service's public URL
  (the token's ``aud`` must be ``CDS_BASE_URL`` + the path called); optionally ``CDS_JWT_ISSUERS``
  (comma-separated allowed ``iss``) and ``CDS_JWT_MAX_LIFETIME`` (seconds, default 300). Without a key
  source the service refuses any ``--host`` but loopback.
- ``CDS_FHIR_TIMEOUT``: seconds for each read from the EHR's FHIR server or its JWK Set URL (default 3);
  ``CDS_FHIR_DEADLINE``: seconds for all the FHIR reads of one call, made in parallel (default 3): past
  it the call answers 412.
- ``CDS_CORS_ORIGINS``: comma-separated browser origins allowed to call the service (CORS), ``*`` for
  any; none by default.

No Rasa import: ``cds`` uses ``knowledge`` and the audit storage of ``audit`` only.
"""
