"""The test handler (jtai_test_smtp.RejectingMailbox) behind a relay that requires STARTTLS and then AUTH before
it accepts MAIL FROM, as an organisation's submission relay does. aiosmtpd's command line cannot require AUTH.

Run: PYTHONPATH=<this dir> /usr/bin/python3 -m jtai_strict_relay PORT CERT_PEM KEY_PEM MAILDIR
"""
import asyncio
import ssl
import sys

from aiosmtpd.smtp import SMTP

from jtai_test_smtp import RejectingMailbox


def main(port, cert, key, maildir):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    handler = RejectingMailbox(maildir)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(
        lambda: SMTP(handler, hostname="strict-relay.test", tls_context=context, require_starttls=True,
                     auth_required=True, auth_require_tls=True),
        host="127.0.0.1", port=int(port)))
    print(f"strict relay listening on 127.0.0.1:{port}", flush=True)
    try:
        loop.run_forever()
    finally:
        server.close()


if __name__ == "__main__":
    main(*sys.argv[1:5])
