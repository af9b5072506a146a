"""Every source system's column mapping: a sample export row maps to a valid touchpoint."""

from __future__ import annotations

import pytest

from connectors.mapping import available_sources, load_mapping, map_row, row_to_touchpoint
from schemas.errors import InvalidEvent
from schemas.vocab import SOURCE_SYSTEMS

NOW = 1_735_689_600_000  # 2025-01-01T00:00:00Z
DAY = 19_999  # 2024-10-03 in days since 1970

SAMPLES: dict[str, dict[str, object]] = {
    "billing": {
        "txn_id": "BIL1",
        "record_type": "INV",
        "booked_at": "03.10.2024 08:01:42",
        "cust_no": "K4010172",
        "account_no": "",
        "payer_account_no": "BA9110171",
        "invoice_no": "RE1-01",
        "product": "car_insurance",
        "amount": "1.031,66",
        "currency": "EUR",
        "due_on": "17.10.2024",
        "paid_on": "",
        "dunning_level": "",
    },
    "orders": {
        "order_event_id": "ORD1",
        "event": "placed",
        "created_at": "2024-10-03T00:00:38Z",
        "customer_no": "",
        "contact_email": " S.Werner58@Yahoo.de ",
        "contact_phone": "(0151) 7578 4033",
        "order_no": "O1",
        "sku": "SKU-2040",
        "category": "home",
        "qty": "2",
        "total": "79.80",
        "currency": "EUR",
        "sales_channel": "web",
        "ship_first_name": "Stefan",
        "ship_last_name": "Wenrer",
        "note": "",
    },
    "erp": {
        "rec_id": "ERP1",
        "rec_type": "POLICY_START",
        "changed_at": "2024-10-03T10:00:00Z",
        "crm_id": "CRM-00000001",
        "street": "Hauptstraße 9",
        "zip": "10115",
        "city": "Berlin",
        "policy_no": "POL-1",
        "product_category": "car_insurance",
        "premium": "55.10",
        "currency": "EUR",
        "start_date": "2024-10-10",
        "driver_phone": "0049-151-12345678",
    },
    "hr": {
        "hr_event_id": "HR1",
        "valid_from": "04.10.2024",
        "personnel_no": "E10007",
        "private_email": "s.nowak@web.de",
        "private_phone": "+49 171 94765876",
        "tax_id": "80000011812",
        "first_name": "Sabine",
        "last_name": "Nowak",
        "birth_date": "1956-12-08",
        "org_unit": "service",
    },
    "pos": {
        "receipt_id": "POS1",
        "store": "ST-HAM-02",
        "ts": "03.10.2024 08:01:37",
        "card_no": "LC0062580487",
        "sum": "80,34",
        "items": "14",
        "main_category": "home",
    },
    "web": {
        "id": "W1",
        "type": "download",
        "ts": 1727913655000,
        "platform": "web",
        "cookie": "ck_17dac36f",
        "path": "/downloads",
        "doc": "AVB_Kfz_2024.pdf",
    },
    "marketing": {
        "contact_id": "MKT1",
        "kind": "CONTACT",
        "at": "2024-10-03T00:01:22Z",
        "campaign": "CMP-ACQ-CALLS",
        "purpose": "acquisition",
        "channel": "phone",
        "direction": "outbound",
        "result": "rejected",
        "phone": "030 1234567",
        "list_name": "bought_list_q2",
    },
    "contact_centre": {
        "interaction_id": "CC2",
        "system": "contact_centre",
        "kind": "email",
        "started": "2024-10-03T12:00:00Z",
        "dir": "in",
        "channel": "email",
        "mail": "Anna@Web.de",
        "result": "replied",
        "reply_to": "CC1",
        "customer": "CRM-00000002",
        "team": "service",
        "duration_s": 0,
    },
    "accounting": {
        "booking_id": "ACC1",
        "posted": "03.10.2024",
        "cost_centre": "sales",
        "customer_no": "K4000045",
        "cost": "34,61",
        "cost_type": "postage",
    },
    "surveys": {
        "response_id": "SRV1",
        "submitted": "2024-10-03T00:36:24Z",
        "respondent_email": "zeynep@gmx.de",
        "survey": "NPS-2024",
        "question": "nps_recommend",
        "answer": "8",
        "score": "8",
    },
    "external": {
        "ref": "EXT1",
        "delivered_at": "2024-10-03T00:04:40Z",
        "email": "simon.jung@outlook.de",
        "first_name": "Simon",
        "last_name": "Jung",
        "street": "Rosenweg 55",
        "zip": "30572",
        "city": "Hannover",
        "birth_year": 1998,
        "income_band": "<20k",
        "household_size": 4,
    },
}


def test_a_mapping_for_every_source_system() -> None:
    assert set(available_sources()) == SOURCE_SYSTEMS == set(SAMPLES)


@pytest.mark.parametrize("source", sorted(SAMPLES))
def test_sample_row_maps_to_a_valid_touchpoint(source: str) -> None:
    tp = row_to_touchpoint(SAMPLES[source], load_mapping(source), NOW, "DE")
    assert tp["source_system"] == source
    assert tp["event_id"] and tp["identifiers"] and tp["received_time"] == NOW
    assert tp["event_time"] // 86_400_000 in (DAY, DAY + 1)


def test_values_are_converted_from_source_formats() -> None:
    tp = row_to_touchpoint(SAMPLES["billing"], load_mapping("billing"), NOW, "DE")
    assert tp["event_type"] == "invoice_issued" and tp["amount"] == 1031.66
    assert tp["due_date"] == DAY + 14 and tp["department"] == "finance"
    assert tp["relations"] == [
        {"kind": "payer", "identifier": {"type": "billing_account", "value": "BA9110171"}}
    ]
    order = row_to_touchpoint(SAMPLES["orders"], load_mapping("orders"), NOW, "DE")
    assert {"type": "email", "value": "s.werner58@yahoo.de"} in order["identifiers"]
    assert {"type": "phone", "value": "+4915175784033"} in order["identifiers"]
    assert order["quantity"] == 2 and order["attributes"]["last_name"] == "Wenrer"
    erp = row_to_touchpoint(SAMPLES["erp"], load_mapping("erp"), NOW, "DE")
    assert {"type": "address_key", "value": "hauptstrasse 9 10115 berlin"} in erp["identifiers"]
    assert erp["policy_id"] == "POL-1" and erp["start_date"] == DAY + 7
    assert erp["relations"][0]["kind"] == "insured_driver"
    cc = row_to_touchpoint(SAMPLES["contact_centre"], load_mapping("contact_centre"), NOW, "DE")
    assert (cc["direction"], cc["in_reply_to"]) == ("inbound", "CC1")
    assert cc["extras"]["duration_s"] == "0"


@pytest.mark.parametrize("source", sorted(SAMPLES))
def test_unknown_column_is_rejected_not_dropped(source: str) -> None:
    with pytest.raises(InvalidEvent) as exc:
        map_row({**SAMPLES[source], "surprise": "x"}, load_mapping(source))
    assert exc.value.reason == "unknown_field"


def test_wrong_format_is_wrong_type() -> None:
    with pytest.raises(InvalidEvent) as exc:
        map_row({**SAMPLES["pos"], "sum": "zwölf"}, load_mapping("pos"))
    assert exc.value.reason == "wrong_type"
