"""Parses an RFC 5322/MIME message with Python's standard email package and prints JSON.

An independent parser for the delivery tests: headers decoded (RFC 2047), every leaf part decoded
(quoted-printable/base64), the MIME tree, and every defect the parser noticed.
Usage: python3 mail_inspect.py MESSAGE_FILE
"""
import base64
import json
import sys
from email import message_from_binary_file
from email.policy import default


def main(path):
    with open(path, "rb") as f:
        message = message_from_binary_file(f, policy=default)

    defects = []
    parts = []

    def walk(part, depth):
        defects.extend(f"{part.get_content_type()}: {type(d).__name__}: {d}" for d in part.defects)
        for name, value in part.items():
            defects.extend(f"{name}: {type(d).__name__}: {d}" for d in getattr(value, "defects", ()))
        entry = {
            "depth": depth,
            "content_type": part.get_content_type(),
            "params": {k: v for k, v in part.get_params()[1:]} if part.get_params() else {},
            "disposition": part.get_content_disposition(),
            "filename": part.get_filename(),
            "transfer_encoding": part.get("Content-Transfer-Encoding"),
        }
        if part.is_multipart():
            entry["children"] = len(part.get_payload())
            parts.append(entry)
            for child in part.iter_parts():
                walk(child, depth + 1)
        else:
            payload = part.get_payload(decode=True) or b""
            entry["base64"] = base64.b64encode(payload).decode("ascii")
            try:
                entry["text"] = payload.decode(part.get_content_charset() or "utf-8")
            except (LookupError, UnicodeDecodeError):
                entry["text"] = None
            parts.append(entry)

    walk(message, 0)
    result = {
        "headers": [[name, str(value)] for name, value in message.items()],
        "parts": parts,
        "defects": defects,
    }
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
