"""A subset of it-at-m/eappointment's zmsentities/schema (process, appointment, client, request,
scope, provider, availability, metaresult), written for the tests from the published schemas:
the required members and the types of the members rebook reads or writes. Validated with
python3-jsonschema.

A scope referenced from an availability or a process's appointment may be the bare {"id": ...}
that ZMS's own API bodies use (zmsadmin's AvailabilityUpdateTest sends {"scope": {"id": "141"}});
the scope of a process written back must be a full scope (provider and shortName).
"""

DIGITS = {"type": "string", "pattern": "^[0-9]+$"}
NUMBER_OR_DIGITS = {"oneOf": [{"type": "number"}, DIGITS]}
NULLABLE_NUMBER = {"oneOf": [{"type": "null"}, {"type": "number"}, DIGITS]}
FLAG = {"oneOf": [{"type": "null"}, {"type": "number"}, {"type": "boolean"}, DIGITS]}

PROVIDER = {
    "type": "object",
    "required": ["id", "source", "name"],
    "properties": {
        "id": NULLABLE_NUMBER,
        "name": {"type": ["null", "string"]},
        "source": {"type": ["null", "string"]},
    },
}

SCOPE = {
    "type": "object",
    "required": ["provider", "shortName"],
    "properties": {
        "id": {"type": "number"},
        "shortName": {"type": "string"},
        "provider": PROVIDER,
        "contact": {"type": ["object", "array"]},
    },
}

SCOPE_REFERENCE = {"oneOf": [SCOPE, {
    "type": "object", "required": ["id"], "additionalProperties": False,
    "properties": {"id": NUMBER_OR_DIGITS}}]}

CLIENT = {
    "type": "object",
    "properties": {
        "email": {"type": "string"},
        "familyName": {"type": "string"},
        "telephone": {"type": "string"},
    },
}

REQUEST = {
    "type": "object",
    "required": ["id", "name", "source"],
    "properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "source": {"type": "string"},
        "timeSlotCount": NUMBER_OR_DIGITS,
    },
}

APPOINTMENT = {
    "type": "object",
    "required": ["date", "slotCount", "scope"],
    "properties": {"date": NUMBER_OR_DIGITS, "slotCount": NUMBER_OR_DIGITS,
                   "scope": SCOPE_REFERENCE},
}

STATUSES = ["free", "reserved", "preconfirmed", "confirmed", "queued", "called", "processing",
            "pending", "finished", "missed", "parked", "archived", "deleted", "anonymized",
            "blocked", "conflict"]


def process(written=False):
    """The process schema; `written`: as rebook writes it back (full scope, status confirmed)."""
    appointment = dict(APPOINTMENT)
    if written:
        appointment = {**APPOINTMENT, "properties": {**APPOINTMENT["properties"], "scope": SCOPE}}
    return {
        "type": "object",
        "required": ["id"] + (["status", "appointments", "scope"] if written else []),
        "properties": {
            "id": {"oneOf": [{"type": "number", "enum": [0]}, {"type": "number", "minimum": 1000},
                             {"type": "string", "pattern": "^[0-9]{4,}$"}]},
            "status": {"type": "string", "enum": ["confirmed"] if written else STATUSES},
            "appointments": {"type": "array", "items": appointment,
                             **({"minItems": 1} if written else {})},
            "clients": {"type": "array", "items": CLIENT},
            "requests": {"type": "array", "items": REQUEST},
            "scope": SCOPE if written else SCOPE_REFERENCE,
            "lastChange": {"type": ["number", "null"]},
        },
    }


AVAILABILITY = {
    "type": "object",
    "required": ["startDate", "endDate", "scope", "type", "weekday"],
    "properties": {
        "id": {"type": ["string", "number", "null"]},
        "startDate": {"type": "number"},
        "endDate": {"type": "number"},
        "startTime": {"type": ["null", "string"]},
        "endTime": {"type": ["null", "string"]},
        "type": {"type": "string", "enum": ["appointment", "openinghours", "break"]},
        "scope": {"oneOf": [SCOPE_REFERENCE, {"type": "null"}]},
        "slotTimeInMinutes": NULLABLE_NUMBER,
        "weekday": {"type": "object", "properties": {
            d: FLAG for d in ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                              "sunday"]}},
        "workstationCount": {"type": "object", "properties": {
            k: NULLABLE_NUMBER for k in ["callcenter", "intern", "public"]}},
        "repeat": {"type": "object", "properties": {
            "afterWeeks": NULLABLE_NUMBER, "weekOfMonth": NULLABLE_NUMBER}},
    },
}

META = {
    "type": "object",
    "properties": {"error": {"type": "boolean"}, "generated": {"type": "string"},
                   "length": {"type": "number"}, "server": {"type": "string"}},
}


def envelope(item):
    return {"type": "object", "required": ["meta", "data"],
            "properties": {"meta": META, "data": {"type": "array", "items": item}}}


def bare_or_envelope(item):
    return {"oneOf": [{"type": "array", "items": item}, envelope(item)]}
