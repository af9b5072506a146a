"""What every analysis returns for tests/unit/analytics_data.py as of AS_OF (worked by hand).
Shared by the chdb unit tests and the ClickHouse 18.16 integration tests."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

EXPECTED: dict[str, list[dict[str, Any]]] = {
    "invoice_status": [
        {"profile_id": "P1", "invoice_id": "inv1", "paid": 1, "days_to_pay": 10, "paid_late": 0,
         "open_amount": 0, "ageing_bucket": "paid", "paid_date": date(2024, 5, 11)},
        {"profile_id": "P1", "invoice_id": "inv2", "paid": 0, "open_amount": 40, "age_days": 15,
         "due_date": date(2024, 7, 15), "overdue_days": 0, "ageing_bucket": "0-30"},
        {"profile_id": "P2", "invoice_id": "inv3", "paid": 0, "open_amount": 200,
         "age_days": 120, "overdue_days": 90, "ageing_bucket": "90+", "reminders": 1},
        {"profile_id": "P5", "invoice_id": "inv4", "paid": 1, "days_to_pay": 38, "paid_late": 1,
         "paid_date": date(2024, 3, 10), "ageing_bucket": "paid"},
    ],
    "payment_behaviour": [
        {"profile_id": "P2", "invoices": 1, "open_invoices": 1, "open_amount": 200, "reminders": 1,
         "overdue_amount": 200, "open_90_plus": 200},
        {"profile_id": "P1", "invoices": 2, "paid_invoices": 1, "avg_days_to_pay": 10,
         "on_time_share": 1, "invoiced_amount": 140, "open_amount": 40, "overdue_amount": 0,
         "open_0_30": 40},
        {"profile_id": "P5", "paid_invoices": 1, "avg_days_to_pay": 38, "paid_late": 1,
         "on_time_share": 0, "open_amount": 0},
    ],
    "receivables_ageing": [
        {"ageing_bucket": "0-30", "open_invoices": 1, "customers": 1, "open_amount": 40,
         "overdue_amount": 0},
        {"ageing_bucket": "90+", "open_invoices": 1, "customers": 1, "open_amount": 200,
         "overdue_amount": 200},
    ],
    "products_held": [
        {"profile_id": "P1", "active_products": ["car_basic"],
         "active_categories": ["car_insurance"], "active_contracts": 1, "ended_contracts": 0},
        {"profile_id": "P5", "active_products": [], "active_contracts": 0, "ended_contracts": 1},
    ],
    "customer_360": [
        {"profile_id": "P1", "household_id": "H1", "first_seen": datetime(2024, 1, 5, 9),
         "last_seen": datetime(2024, 6, 25, 15), "events": 16, "orders": 3, "revenue": 180,
         "departments": ["billing", "insurance", "marketing", "sales", "service"],
         "source_systems": ["accounting", "billing", "contact_centre", "erp", "marketing",
                            "orders", "pos", "web"],
         "invoices": 2, "open_receivables": 40, "complaints": 1, "open_complaints": 1,
         "contacts_inbound": 2, "contacts_outbound": 4, "web_visits": 1, "documents_viewed": 1,
         "active_products": ["car_basic"], "active_contracts": 1},
        {"profile_id": "P2", "orders": 1, "revenue": 200, "open_receivables": 200,
         "overdue_amount": 200, "contacts_outbound": 1},
        {"profile_id": "P3", "orders": 0, "web_visits": 2, "page_views": 2,
         "documents_viewed": 1, "active_products": []},
        {"profile_id": "P4", "orders": 1, "revenue": 10, "events": 2},
        {"profile_id": "P5", "orders": 2, "revenue": 500, "invoices": 1, "open_receivables": 0},
    ],
    "rfm_base": [
        {"profile_id": "P1", "recency_days": 5, "frequency": 3, "monetary": 180},
        {"profile_id": "P2", "recency_days": 121, "frequency": 1, "monetary": 200},
        {"profile_id": "P4", "recency_days": 1, "frequency": 1, "monetary": 10},
        {"profile_id": "P5", "recency_days": 150, "frequency": 2, "monetary": 500},
    ],
    "rfm_segments": [
        {"profile_id": "P1", "r_score": 3, "f_score": 4, "m_score": 2, "segment": "loyal"},
        {"profile_id": "P2", "r_score": 2, "f_score": 1, "m_score": 3, "segment": "hibernating"},
        {"profile_id": "P4", "r_score": 4, "f_score": 1, "m_score": 1, "rfm_cell": "411",
         "segment": "new_customers"},
        {"profile_id": "P5", "r_score": 1, "f_score": 3, "m_score": 4, "segment": "at_risk"},
    ],
    "customer_profitability": [
        {"profile_id": "P5", "revenue": 500, "cost_to_serve": 0, "has_cost_data": 0},
        {"profile_id": "P1", "order_revenue": 180, "billed_revenue": 140, "revenue": 320,
         "cost_to_serve": 20, "profit": 300, "margin": 0.9375, "has_cost_data": 1},
        {"profile_id": "P2", "revenue": 200, "cost_to_serve": 2, "profit": 198, "margin": 0.99},
        {"profile_id": "P4", "revenue": 10, "profit": 10},
        {"profile_id": "P3", "revenue": 0, "cost_to_serve": 0.5, "profit": -0.5},
    ],
    "channel_responsiveness": [
        {"profile_id": "P1", "channel": "email", "outbound": 2, "inbound": 1,
         "inbound_initiated": 0, "responded": 1, "response_rate": 0.5,
         "median_response_minutes": 60},
        {"profile_id": "P1", "channel": "phone", "outbound": 2, "inbound": 1,
         "inbound_initiated": 1, "responded": 1, "calls_answered": 1, "calls_rejected": 1},
        {"profile_id": "P2", "channel": "phone", "outbound": 1, "responded": 0,
         "calls_no_answer": 1},
        {"profile_id": "P3", "channel": "email", "outbound": 1, "responded": 1,
         "response_rate": 1},
        {"profile_id": "P4", "channel": "email", "outbound": 1, "responded": 0},
    ],
    "preferred_channel": [
        {"profile_id": "P1", "preferred_channel": "phone", "preferred_engagements": 2,
         "outbound": 4, "inbound": 2, "responded": 2, "channels": ["email", "phone"]},
        {"profile_id": "P2", "preferred_channel": "phone"},
        {"profile_id": "P3", "preferred_channel": "email"},
        {"profile_id": "P4", "preferred_channel": "email"},
    ],
    "channel_mix": [
        {"channel": "email", "customers": 3, "outbound": 4, "inbound": 1, "responded": 2,
         "response_rate": 0.5, "preferred_by": 2},
        {"channel": "phone", "customers": 2, "outbound": 3, "inbound": 1, "responded": 1,
         "response_rate": 0.333, "calls_answered": 1, "calls_rejected": 1, "preferred_by": 2},
    ],
    "department_coverage": [
        {"profile_id": "P1", "department_count": 5, "multi_department": 1,
         "first_department": "insurance", "blind_departments": [], "aware": 1},
        {"profile_id": "P2", "department_count": 3, "blind_departments": ["telesales"],
         "aware": 0},
        {"profile_id": "P3", "department_count": 1, "multi_department": 0, "aware": 1},
        {"profile_id": "P4", "departments": ["marketing", "sales"], "blind_departments": [],
         "aware": 1},
        {"profile_id": "P5", "departments": ["billing", "sales"], "aware": 1},
    ],
    "department_coverage_summary": [
        {"customers": 5, "multi_department_customers": 4, "multi_department_share": 0.8,
         "blind_contact_customers": 1, "blind_share_of_multi": 0.25, "avg_departments": 2.6},
    ],
    "web_engagement": [
        {"profile_id": "P1", "visits": 1, "page_views": 0, "document_views": 1,
         "documents": ["claims_form.pdf"]},
        {"profile_id": "P3", "visits": 2, "page_views": 2, "document_views": 1,
         "distinct_documents": 1, "documents": ["car_terms.pdf"],
         "last_visit": datetime(2024, 6, 12, 18)},
    ],
    "complaint_offer_conflicts": [
        {"profile_id": "P1", "offer_event_id": "p1-m1", "offer_purpose": "cross_sell",
         "offer_department": "marketing", "complaint_id": "c1", "days_after_complaint": 4.04},
    ],
    "suppression_list": [
        {"profile_id": "P2", "acquisition_contacts": 1, "contacts_while_customer": 1,
         "campaigns": ["acq_summer"], "channels": ["phone"], "customer_since": date(2024, 3, 1),
         "orders": 1, "invoices": 1},
        {"profile_id": "P4", "acquisition_contacts": 1, "contacts_while_customer": 0,
         "campaigns": ["acq_june"], "customer_since": date(2024, 6, 29), "orders": 1},
    ],
    "source_coverage": [
        {"source_system": "marketing", "events": 5, "customers": 4, "customer_share": 0.8},
        {"source_system": "billing", "customers": 3},
        {"source_system": "orders", "customers": 3},
        {"source_system": "accounting", "customers": 2},
        {"source_system": "pos", "events": 2, "customers": 2},
        {"source_system": "web", "events": 4, "customers": 2},
        {"source_system": "contact_centre", "events": 5, "customers": 1},
        {"source_system": "erp", "events": 1, "customers": 1, "customer_share": 0.2},
    ],
}


def assert_matches(records: list[dict[str, Any]], expected: list[dict[str, Any]]) -> None:
    """Same number of rows in the same order; every expected field equal (floats approx)."""
    assert len(records) == len(expected), records
    for got, want in zip(records, expected, strict=True):
        for key, value in want.items():
            actual = got[key]
            if isinstance(value, float) or isinstance(actual, float):
                assert actual == pytest.approx(value, abs=1e-6), (key, got)
            else:
                assert actual == value, (key, got)
