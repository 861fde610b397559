"""Latency of `modelc lsp`: from a didChange of a 200-layer spec to its publishDiagnostics.

Usage: python3 Benchmarks/lsp-latency.py MODELC [LAYERS] [CHANGES]
Each change edits one layer's units (the spec stays valid, so the whole model is typed) or breaks
one layer's class name (a diagnostic to publish); the time includes the server's 20 ms debounce.
"""
import json
import statistics
import subprocess
import sys
import time

modelc = sys.argv[1]
layers = int(sys.argv[2]) if len(sys.argv) > 2 else 200
changes = int(sys.argv[3]) if len(sys.argv) > 3 else 40


def spec(units_at, units, broken=False):
    lines = ["input: [32]", "layers:"]
    for index in range(layers):
        size = units if index == units_at else 32
        lines.append(f"  - {'Dens' if broken and index == units_at else 'Dense'} {size} relu")
    lines.append("  - Dense 1 sigmoid")
    return "\n".join(lines) + "\n"


server = subprocess.Popen([modelc, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def send(message):
    body = json.dumps(message).encode()
    server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    server.stdin.flush()


def receive():
    header = b""
    while not header.endswith(b"\r\n\r\n"):
        header += server.stdout.read(1)
    length = int(header.split(b"Content-Length:")[1].split(b"\r\n")[0])
    return json.loads(server.stdout.read(length))


def wait_for(version):
    while True:
        message = receive()
        if message.get("method") == "textDocument/publishDiagnostics" and message["params"].get("version") == version:
            return message["params"]["diagnostics"]


uri = "file:///tmp/latency.yaml"
send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
receive()
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
      "params": {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": spec(0, 32)}}})
wait_for(1)
times = []
for version in range(2, changes + 2):
    broken = version % 2 == 0
    text = spec(version % layers, 16 + version % 7, broken)
    started = time.perf_counter()
    send({"jsonrpc": "2.0", "method": "textDocument/didChange",
          "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}})
    diagnostics = wait_for(version)
    times.append((time.perf_counter() - started) * 1000)
    assert bool(diagnostics) == broken, diagnostics
send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
receive()
send({"jsonrpc": "2.0", "method": "exit"})
server.wait()
times.sort()
print(f"{layers + 1}-layer spec, {changes} changes: didChange → publishDiagnostics "
      f"median {statistics.median(times):.1f} ms, p90 {times[int(len(times) * 0.9) - 1]:.1f} ms, max {times[-1]:.1f} ms "
      f"(debounce 20 ms included)")
