"""The imatinib CDS Hooks 2.0.1 service (issue 15), being built: reading a patient's FHIR R4 data.

``cds.fhir`` reads the resources with ``fhir.resources``; ``cds.case`` computes the durations from the
series and builds the ``PatientCase`` the decision module (``knowledge``) assesses. No Rasa import.
"""
