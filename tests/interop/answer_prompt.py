"""Runs a command on a pseudo-terminal and types an answer once its prompt has been printed (not before: text
typed before the program turns echo off would be echoed, and a test would see a race). Prints everything the
command wrote and exits with its status. Usage: /usr/bin/python3 answer_prompt.py PROMPT ANSWER COMMAND [ARG...]"""
import os
import pty
import sys
import time

prompt, answer, command = sys.argv[1].encode(), sys.argv[2].encode() + b"\n", sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)
seen, typed, deadline = b"", False, time.monotonic() + 60
while time.monotonic() < deadline:
    try:
        chunk = os.read(fd, 4096)
    except OSError:  # the command ended and closed the terminal
        break
    if not chunk:
        break
    seen += chunk
    if not typed and prompt in seen:
        os.write(fd, answer)
        typed = True
sys.stdout.write(seen.decode("utf-8", "replace"))
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
