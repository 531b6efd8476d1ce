"""A local SMTP server for MotCua's notifier (ops/up, ops/test): aiosmtpd on loopback, asking for
AUTH (PLAIN or LOGIN, without TLS: loopback only) with the one user and password given, and saving
every message it accepts, exactly as received after DATA, as a file <folder>/<time>-<n>.eml (written
under another name first, then renamed, so a reader never sees half a message).

Usage: smtp-server.py PORT FOLDER USER PASSWORD"""
import asyncio
import itertools
import os
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

PORT, FOLDER, USER, PASSWORD = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
COUNTER = itertools.count(1)


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok)


class SaveToFolder:
    async def handle_DATA(self, server, session, envelope):
        name = f"{time.time_ns()}-{next(COUNTER)}"
        partial = os.path.join(FOLDER, name + ".part")
        with open(partial, "wb") as file:
            file.write(envelope.original_content or envelope.content)
        os.rename(partial, os.path.join(FOLDER, name + ".eml"))
        return "250 OK: queued as " + name


def main():
    os.makedirs(FOLDER, exist_ok=True)
    controller = Controller(
        SaveToFolder(), hostname="127.0.0.1", port=PORT, authenticator=authenticator,
        auth_required=True, auth_require_tls=False, server_hostname="motcua-smtp")
    controller.start()
    print(f"smtp on 127.0.0.1:{PORT}, mail in {FOLDER}", flush=True)
    try:
        asyncio.new_event_loop().run_forever()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
