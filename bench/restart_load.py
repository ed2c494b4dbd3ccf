"""Continuous HTTP/1.1 load for bench/restart.sh: POSTs a review over TLS to PORT, from threads that open a new
connection per request and threads that keep their connection alive (and open a new one when the server says
Connection: close, as clients do). Runs while OUT.running exists (the caller creates it and removes it to stop);
writes counts and failures to OUT.
Arguments: PORT PAYLOAD OUT"""
import http.client
import json
import os
import ssl
import sys
import threading
import time

port, body, out = int(sys.argv[1]), open(sys.argv[2], "rb").read(), sys.argv[3]
running = out + ".running"
tls = ssl._create_unverified_context()
lock = threading.Lock()
result = {"ok": 0, "failed": 0, "failures": []}


def post(connection):
    connection.request("POST", "/validate", body, {"Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    return response


def count(ok, why=None):
    with lock:
        result["ok" if ok else "failed"] += 1
        if why:
            result["failures"].append(f"{time.strftime('%H:%M:%S')} {why}")


def fresh():
    while os.path.exists(running):
        connection = http.client.HTTPSConnection("localhost", port, context=tls, timeout=10)
        try:
            response = post(connection)
            count(response.status == 200, None if response.status == 200 else f"HTTP {response.status}")
        except Exception as e:  # any error is a failed admission for the API server
            count(False, f"new connection: {type(e).__name__}: {e}")
        finally:
            connection.close()
        time.sleep(0.02)


def keep_alive():
    connection = None
    while os.path.exists(running):
        if connection is None:
            connection = http.client.HTTPSConnection("localhost", port, context=tls, timeout=10)
        try:
            response = post(connection)
            count(response.status == 200, None if response.status == 200 else f"HTTP {response.status}")
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = None
        except Exception as e:
            count(False, f"keep-alive: {type(e).__name__}: {e}")
            connection.close()
            connection = None
        time.sleep(0.02)


threads = [threading.Thread(target=f) for f in (fresh, fresh, keep_alive, keep_alive)]
for t in threads:
    t.start()
for t in threads:
    t.join()
json.dump(result, open(out, "w"))
