#!/usr/bin/python3
"""Parses one received e-mail with Python's `email` and `icalendar` packages and prints a
JSON summary for the C++ SMTP channel test to assert on. Independent of the C++ code that
built the mail, so the test checks the wire format, not our own reading of it."""
import email
import email.policy
import json
import sys

import icalendar


def main(path):
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    out = {
        "message_id": msg["Message-ID"],
        "subject": str(msg["Subject"]),
        "from": str(msg["From"]),
        "to": str(msg["To"]),
        "content_language": msg.get("Content-Language", ""),
        "content_type": msg.get_content_type(),
        "structure": [],
        "text": "",
        "html": "",
        "calendar": None,
    }
    for part in msg.walk():
        out["structure"].append(part.get_content_type())
        ctype = part.get_content_type()
        if ctype == "text/plain":
            out["text"] = part.get_content()
        elif ctype == "text/html":
            out["html"] = part.get_content()
        elif ctype == "text/calendar":
            raw = part.get_payload(decode=True)
            cal = icalendar.Calendar.from_ical(raw)
            events = [c for c in cal.walk() if c.name == "VEVENT"]
            zones = [str(c.get("TZID")) for c in cal.walk() if c.name == "VTIMEZONE"]
            ev = events[0]
            start = ev.decoded("DTSTART")
            end = ev.decoded("DTEND")
            out["calendar"] = {
                "method": str(cal.get("METHOD")),
                "content_type": part.get_content_type(),
                "method_param": part.get_param("method"),
                "charset": part.get_content_charset(),
                "filename": part.get_filename(),
                "events": len(events),
                "uid": str(ev.get("UID")),
                "sequence": int(ev.get("SEQUENCE", 0)),
                "summary": str(ev.get("SUMMARY")),
                "location": str(ev.get("LOCATION")),
                "description": str(ev.get("DESCRIPTION")),
                "dtstamp": str(ev.get("DTSTAMP").to_ical().decode()),
                "dtstart_tzid": str(ev.get("DTSTART").params.get("TZID", "")),
                "dtstart_local": start.strftime("%Y-%m-%dT%H:%M"),
                "dtstart_utc": start.astimezone(__import__("datetime").timezone.utc)
                .strftime("%Y-%m-%dT%H:%M:%SZ"),
                "dtend_utc": end.astimezone(__import__("datetime").timezone.utc)
                .strftime("%Y-%m-%dT%H:%M:%SZ"),
                "vtimezones": zones,
                "status": str(ev.get("STATUS", "")),
            }
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
