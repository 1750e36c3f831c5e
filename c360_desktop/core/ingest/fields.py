"""The canonical fields an export column can be mapped to.

Each field has a group (what the importer does with it) and a privacy
category (what the redaction policy masks). ``CUSTOM`` keeps a column as a
custom attribute; ``IGNORE`` leaves it uninterpreted (its raw cell is still kept).
"""

from __future__ import annotations

from dataclasses import dataclass

CUSTOM = "custom"
IGNORE = "ignore"


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    group: str  # identity | address | consent | link | order | payment | ticket | engagement | meta
    category: str  # privacy category: name, email, phone, address, birth_date, id, notes, payment, none
    kind: str = "text"  # text | email | phone | date | money | number | consent | name


def _f(name, label, group, category, kind="text") -> Field:
    return Field(name, label, group, category, kind)


FIELDS: tuple[Field, ...] = (
    _f("source_record_id", "Source record id", "identity", "id"),
    _f("full_name", "Full name", "identity", "name", "name"),
    _f("first_name", "First name", "identity", "name", "name"),
    _f("middle_name", "Middle name", "identity", "name", "name"),
    _f("last_name", "Last name", "identity", "name", "name"),
    _f("name_prefix", "Name prefix", "identity", "name"),
    _f("name_suffix", "Name suffix", "identity", "name"),
    _f("username", "Username", "identity", "id"),
    _f("email", "Email", "identity", "email", "email"),
    _f("phone", "Phone", "identity", "phone", "phone"),
    _f("phone_mobile", "Mobile phone", "identity", "phone", "phone"),
    _f("phone_home", "Home phone", "identity", "phone", "phone"),
    _f("phone_work", "Work phone", "identity", "phone", "phone"),
    _f("company", "Company", "identity", "none"),
    _f("job_title", "Job title", "identity", "none"),
    _f("birth_date", "Birth date", "identity", "birth_date", "date"),
    _f("language", "Language", "identity", "none"),
    _f("tags", "Tags", "identity", "notes"),
    _f("notes", "Notes", "identity", "notes"),
    _f("created_at", "Created at", "meta", "none", "date"),
    _f("updated_at", "Updated at", "meta", "none", "date"),
    _f("address_line1", "Address line 1", "address", "address"),
    _f("address_line2", "Address line 2", "address", "address"),
    _f("city", "City", "address", "address"),
    _f("region", "Region / state", "address", "address"),
    _f("postal_code", "Postal code", "address", "address"),
    _f("country", "Country", "address", "address"),
    _f("country_code", "Country code", "address", "address"),
    _f("shipping_name", "Shipping name", "address", "name", "name"),
    _f("shipping_address_line1", "Shipping address line 1", "address", "address"),
    _f("shipping_address_line2", "Shipping address line 2", "address", "address"),
    _f("shipping_city", "Shipping city", "address", "address"),
    _f("shipping_region", "Shipping region", "address", "address"),
    _f("shipping_postal_code", "Shipping postal code", "address", "address"),
    _f("shipping_country", "Shipping country", "address", "address"),
    _f("shipping_phone", "Shipping phone", "address", "phone", "phone"),
    _f("consent_email", "Email marketing consent", "consent", "none", "consent"),
    _f("consent_email_at", "Email consent date", "consent", "none", "date"),
    _f("consent_sms", "SMS marketing consent", "consent", "none", "consent"),
    _f("consent_sms_at", "SMS consent date", "consent", "none", "date"),
    _f("consent_evidence", "Consent evidence (e.g. opt-in IP)", "consent", "id"),
    _f("unsubscribed_at", "Unsubscribed at", "consent", "none", "date"),
    _f("unsubscribe_reason", "Unsubscribe reason", "consent", "notes"),
    _f("customer_ref", "Customer id (on an event row)", "link", "id"),
    _f("customer_email", "Customer email (on an event row)", "link", "email", "email"),
    _f("customer_name", "Customer name (on an event row)", "link", "name", "name"),
    _f("order_id", "Order id", "order", "none"),
    _f("order_number", "Order number", "order", "none"),
    _f("order_date", "Order date", "order", "none", "date"),
    _f("order_total", "Order total", "order", "none", "money"),
    _f("order_subtotal", "Order subtotal", "order", "none", "money"),
    _f("order_tax", "Order tax", "order", "none", "money"),
    _f("order_shipping", "Order shipping", "order", "none", "money"),
    _f("order_discount", "Order discount", "order", "none", "money"),
    _f("order_currency", "Order currency", "order", "none"),
    _f("order_status", "Order status", "order", "none"),
    _f("financial_status", "Financial status", "order", "none"),
    _f("fulfillment_status", "Fulfillment status", "order", "none"),
    _f("refund_amount", "Refund amount", "order", "payment", "money"),
    _f("line_item_name", "Line item", "order", "none"),
    _f("line_item_sku", "Line item SKU", "order", "none"),
    _f("line_item_quantity", "Line item quantity", "order", "none", "number"),
    _f("line_item_price", "Line item price", "order", "none", "money"),
    _f("payment_id", "Payment id", "payment", "payment"),
    _f("payment_date", "Payment date", "payment", "none", "date"),
    _f("payment_amount", "Payment amount", "payment", "payment", "money"),
    _f("payment_currency", "Payment currency", "payment", "none"),
    _f("payment_status", "Payment status", "payment", "none"),
    _f("payment_method", "Payment method", "payment", "payment"),
    _f("card_last4", "Card last 4", "payment", "payment"),
    _f("ticket_id", "Ticket id", "ticket", "none"),
    _f("ticket_subject", "Ticket subject", "ticket", "notes"),
    _f("ticket_status", "Ticket status", "ticket", "none"),
    _f("ticket_priority", "Ticket priority", "ticket", "none"),
    _f("ticket_channel", "Ticket channel", "ticket", "none"),
    _f("ticket_created_at", "Ticket created at", "ticket", "none", "date"),
    _f("ticket_updated_at", "Ticket updated at", "ticket", "none", "date"),
    _f("ticket_solved_at", "Ticket solved at", "ticket", "none", "date"),
    _f("event_name", "Event name", "engagement", "none"),
    _f("event_date", "Event date", "engagement", "none", "date"),
    _f("ticket_type", "Ticket type", "engagement", "none"),
    _f("member_rating", "Member rating", "engagement", "none", "number"),
    _f("total_spent", "Total spent (as the tool says)", "engagement", "payment", "money"),
    _f("order_count", "Order count (as the tool says)", "engagement", "none", "number"),
    _f("last_order_at", "Last order at", "engagement", "none", "date"),
)

BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
TARGETS: tuple[str, ...] = tuple(BY_NAME) + (CUSTOM, IGNORE)

PHONE_FIELDS = ("phone", "phone_mobile", "phone_home", "phone_work", "shipping_phone")
EMAIL_FIELDS = ("email", "customer_email")
NAME_PARTS = ("first_name", "middle_name", "last_name", "name_prefix", "name_suffix")
EVENT_ID_FIELDS = {"order": ("order_id", "order_number"), "payment": ("payment_id",), "ticket": ("ticket_id",)}


def is_known(name: str) -> bool:
    return name in BY_NAME or name in (CUSTOM, IGNORE)
