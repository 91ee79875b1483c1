"""aiosmtpd handler for the load benchmark: aiosmtpd.handlers.Mailbox (a maildir, with X-Peer, X-MailFrom and
X-RcptTo) plus an X-Received-At header, the sink's wall clock when the message's DATA was complete, in Unix
seconds with microseconds. The benchmark's convene -> SMTP latency is read from it (both clocks are this
machine's), so it does not depend on when the file is read back.

Run: PYTHONPATH=<this dir> /usr/bin/python3 /usr/bin/aiosmtpd -n -l 127.0.0.1:PORT -c load_smtp_sink.StampingMailbox MAILDIR
"""
import time

from aiosmtpd.handlers import Mailbox


class StampingMailbox(Mailbox):
    def prepare_message(self, session, envelope):
        received_at = time.time()
        message = super().prepare_message(session, envelope)
        message["X-Received-At"] = "%.6f" % received_at
        return message
