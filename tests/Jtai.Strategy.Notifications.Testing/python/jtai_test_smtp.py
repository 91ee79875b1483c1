"""aiosmtpd handler for the Jtai delivery integration tests.

Behaves like aiosmtpd.handlers.Mailbox (stores every message in a maildir) except:
  * RCPT TO an address whose local part starts with "reject"   -> 550 5.1.1 mailbox unavailable
  * RCPT TO an address whose local part starts with "tempfail" -> 451 4.3.0 temporary failure
  * a message for "datareject*" is refused after its content (554 5.6.0), for "datatempfail*" deferred (452 4.3.1)
  * a message for "dropdataN*" makes the relay close the connection after the content, before its final reply,
    the first N times that recipient is tried (then it is stored as usual): the ambiguous window of SMTP
  * AUTH PLAIN / LOGIN accept only TEST_USERNAME / TEST_PASSWORD (AUTH is offered by aiosmtpd only after STARTTLS)
  * each stored message gets X-Test-Tls (yes/no) and X-Test-Auth (login or "none") headers, so tests can see how it arrived.

Run: PYTHONPATH=<this dir> /usr/bin/python3 /usr/bin/aiosmtpd -n -l 127.0.0.1:PORT -c jtai_test_smtp.RejectingMailbox MAILDIR
"""
import re
from base64 import b64decode

from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import MISSING, AuthResult, LoginPassword

TEST_USERNAME = b"jtai-test"
TEST_PASSWORD = b"dev-only-password"


class RejectingMailbox(Mailbox):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._dropped = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local_part = address.split("@", 1)[0].lower()
        if local_part.startswith("reject"):
            return "550 5.1.1 mailbox unavailable"
        if local_part.startswith("tempfail"):
            return "451 4.3.0 temporary failure, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        for address in envelope.rcpt_tos:
            local_part = address.split("@", 1)[0].lower()
            if local_part.startswith("datareject"):
                return "554 5.6.0 message content rejected"
            if local_part.startswith("datatempfail"):
                return "452 4.3.1 insufficient system storage"
            drop = re.match(r"dropdata(\d+)", local_part)
            if drop and self._dropped.get(address, 0) < int(drop.group(1)):
                self._dropped[address] = self._dropped.get(address, 0) + 1
                server.transport.close()
                return "421 4.3.0 closing (never seen: the connection is gone)"
        return await super().handle_DATA(server, session, envelope)

    def prepare_message(self, session, envelope):
        message = super().prepare_message(session, envelope)
        message["X-Test-Tls"] = "yes" if session.ssl else "no"
        login = session.login_data
        message["X-Test-Auth"] = login.decode("utf-8") if isinstance(login, (bytes, bytearray)) else "none"
        return message

    async def auth_PLAIN(self, server, args):
        if len(args) == 1:
            blob = await server.challenge_auth("")
            if blob is MISSING:
                return AuthResult(success=False, handled=True)
        else:
            try:
                blob = b64decode(args[1].encode(), validate=True)
            except Exception:
                return AuthResult(success=False, handled=False, message="501 5.5.2 Can't decode base64")
        try:
            _, login, password = blob.split(b"\x00")
        except ValueError:
            return AuthResult(success=False, handled=False, message="501 5.5.2 Can't split auth value")
        return self._check(login, password)

    async def auth_LOGIN(self, server, args):
        if len(args) == 1:
            login = await server.challenge_auth("Username:")
            if login is MISSING:
                return AuthResult(success=False, handled=True)
        else:
            try:
                login = b64decode(args[1].encode(), validate=True)
            except Exception:
                return AuthResult(success=False, handled=False, message="501 5.5.2 Can't decode base64")
        password = await server.challenge_auth("Password:")
        if password is MISSING:
            return AuthResult(success=False, handled=True)
        return self._check(login, password)

    @staticmethod
    def _check(login, password):
        if login == TEST_USERNAME and password == TEST_PASSWORD:
            return AuthResult(success=True, auth_data=LoginPassword(login, password))
        # handled=False: aiosmtpd then answers 535 5.7.8 itself.
        return AuthResult(success=False, handled=False)
