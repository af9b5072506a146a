"""Controlled vocabularies of the contract: source systems, event types, identifier types."""

from __future__ import annotations

SOURCE_SYSTEM_ORDER = (
    "billing",
    "orders",
    "erp",
    "hr",
    "pos",
    "web",
    "marketing",
    "contact_centre",
    "accounting",
    "surveys",
    "external",
)  # the order files and reports list them in
SOURCE_SYSTEMS = frozenset(SOURCE_SYSTEM_ORDER)

EVENT_TYPES = frozenset(
    {
        # orders / point of sale / erp
        "order_placed",
        "order_cancelled",
        "order_returned",
        "pos_purchase",
        # billing / accounting
        "invoice_issued",
        "payment_received",
        "payment_reminder",
        "cost_booked",
        # products held
        "policy_started",
        "policy_ended",
        "subscription_started",
        "subscription_ended",
        # communication (contact centre, marketing)
        "call",
        "email",
        "sms",
        "letter",
        "campaign_contact",
        "campaign_response",
        # complaints and service
        "complaint_opened",
        "complaint_closed",
        "service_request",
        # web
        "page_view",
        "document_view",
        "login",
        "signup",
        # surveys, consent, master data
        "survey_answered",
        "consent_changed",
        "profile_updated",
        # hr, external data
        "employee_record",
        "enrichment",
    }
)

IDENTIFIER_TYPES = frozenset(
    {
        "email",
        "phone",
        "crm_id",
        "customer_number",
        "billing_account",
        "loyalty_card",
        "cookie_id",
        "device_id",
        "policy_number",
        "national_id",
        "employee_id",
        "address_key",
    }
)

RELATION_KINDS = frozenset(
    {
        "payer",
        "policy_holder",
        "insured_driver",
        "spouse",
        "household_member",
    }
)

CHANNELS = frozenset({"email", "phone", "sms", "letter", "web", "app", "store", "field"})
DIRECTIONS = frozenset({"inbound", "outbound"})
PURPOSES = frozenset({"acquisition", "cross_sell", "upsell", "retention", "service"})
CONSENT_STATES = frozenset({"granted", "withdrawn"})
COMPLAINT_STATES = frozenset({"open", "closed"})
