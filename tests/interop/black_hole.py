"""A channel that has stalled: accepts connections and never answers. Usage: black_hole.py PORT"""
import socket
import sys
import time

s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(64)
held = []
while True:
    conn, _ = s.accept()
    held.append(conn)
