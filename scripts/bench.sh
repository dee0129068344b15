#!/usr/bin/env bash
# Runs the benchmarks against the release build and prints the figures docs/benchmarks.md quotes.
# Usage: make bench                 (builds release with --static-swift-stdlib, then runs everything)
#        scripts/bench.sh [NAME...]  (an existing release build; NAME: startup, or a PieBench
#                                     benchmark: policy sandbox grep sse agent session coldstart rss cancel
#                                     automations webhook store claims mcp, or idle: an idle pie-serve for 60 s,
#                                     or delivery: signed deliveries through pie-serve to a model)
# Every result line starts with its area and a colon, so `scripts/bench.sh | grep '^sse:'` works.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$PWD/.build/release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for tool in "$bin/pie" "$bin/PieBench"; do
    [[ -x $tool ]] || { echo "bench: $tool is missing; run: make bench (or make release)" >&2; exit 2; }
done

startup=1
idle=1
delivery=1
names=()
if (($#)); then
    startup=0
    idle=0
    delivery=0
    for name in "$@"; do
        if [[ $name == startup ]]; then startup=1
        elif [[ $name == idle ]]; then idle=1
        elif [[ $name == delivery ]]; then delivery=1
        else names+=("$name"); fi
    done
fi

echo "machine: $(nproc) cores, $(uname -r), $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"

if ((startup)); then
    if command -v hyperfine >/dev/null; then
        # -N: no intermediate shell, so the figure is pie's own start-up; /bin/true is the floor
        # of fork+exec on this machine at this moment.
        (cd "$work" && hyperfine -N --warmup 10 --runs 200 --export-json "$work/startup.json" \
            /bin/true "$bin/pie --version" "$bin/pie --print-tool-policy" >/dev/null)
        python3 - "$work/startup.json" <<'PY'
import json, statistics, sys
for r in json.load(open(sys.argv[1]))["results"]:
    times = sorted(r["times"])
    p90 = times[int(len(times) * 0.9)]
    name = r["command"].split("/")[-1]
    print(f'startup: {name}: median {r["median"]*1000:.2f} ms, p90 {p90*1000:.2f} ms, mean {r["mean"]*1000:.2f} ms ± {r["stddev"]*1000:.2f} (n={len(times)})')
PY
    else
        echo "startup: hyperfine not installed (BENCH=1 scripts/install-deps.sh)"
    fi
fi

if ((idle)); then
    # Issue 12, point 10: an idle serve with 1,000 automations, none due within the hour, wakes at
    # most once a minute and stays under 20 MB. Counted over 60 s: voluntary context switches of
    # every thread (/proc/PID/task/*/status), and VmRSS at the end.
    if [[ -x $bin/pie-serve ]]; then
        python3 - "$bin/pie" "$work" <<'PY'
import os, signal, subprocess, sys, time
pie, work = sys.argv[1], sys.argv[2]
project, home = os.path.join(work, "idle"), os.path.join(work, "home")
os.makedirs(os.path.join(project, ".pie", "automations"))
os.makedirs(os.path.join(home, ".pie"))
hour = (time.gmtime().tm_hour + 2) % 24
for n in range(1000):
    with open(os.path.join(project, ".pie", "automations", f"a{n:04d}.toml"), "w") as f:
        f.write(f'prompt = "Check {n}."\nmodel = "local:none"\n[trigger]\ncron = "{n % 60} {hour} * * *"\ntimezone = "UTC"\n')
env = {"PATH": "/usr/bin:/bin", "HOME": home, "PIE_DIR": os.path.join(home, ".pie")}
log = open(os.path.join(work, "idle.log"), "w+")
serve = subprocess.Popen([pie, "automations", "serve", "--listen", "127.0.0.1:0", "--log-format", "json"],
                         cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=log)
deadline = time.time() + 60
while time.time() < deadline and "serve_started" not in open(log.name).read():
    time.sleep(0.1)
def sample():
    counts = {}
    for task in os.listdir(f"/proc/{serve.pid}/task"):
        try:
            for line in open(f"/proc/{serve.pid}/task/{task}/status"):
                if line.startswith("voluntary_ctxt_switches"):
                    counts[task] = int(line.split()[1])
        except FileNotFoundError:
            pass
    return counts
def memory_kb():
    fields = {l.split(":")[0]: int(l.split()[1]) for l in open(f"/proc/{serve.pid}/status") if l.startswith(("VmRSS", "RssAnon", "RssFile"))}
    return fields["VmRSS"], fields["RssAnon"], fields["RssFile"]
# Threads come and go (a pool's idle workers exit): every thread is sampled each second and its
# switches since it was first seen are added up, so a thread that exits still counts.
time.sleep(2)
first, last = sample(), {}
last.update(first)
for _ in range(60):
    time.sleep(1)
    for task, count in sample().items():
        first.setdefault(task, 0)
        last[task] = count
switches = sum(last[task] - first[task] for task in last)
rss, anonymous, mapped = memory_kb()
threads = len(os.listdir(f"/proc/{serve.pid}/task"))
serve.send_signal(signal.SIGTERM)
serve.wait(timeout=60)
print(f"idle: 1000 automations, none due within the hour: {switches} voluntary context switches in 60 s "
      f"({len(last)} threads seen, {threads} at the end), RSS {rss / 1024:.1f} MB "
      f"({anonymous / 1024:.1f} MB anonymous, {mapped / 1024:.1f} MB mapped from files)")
PY
    else
        echo "idle: $bin/pie-serve is missing (make serve)"
    fi
fi

if ((delivery)); then
    # Issue 12, point 10: a signed delivery through the release pie-serve, with the SQLite store.
    # delivery → queued: the sender's POST → 202 (the 202 is written after the store's
    # transaction committed). delivery → model: the POST leaving the sender → the first byte of
    # the run's request at a local model server (a Python stub answering one short reply).
    if [[ -x $bin/pie-serve ]]; then
        python3 - "$bin/pie" "$work" <<'PY'
import hashlib, hmac, json, os, signal, socket, statistics, subprocess, sys, time
pie, work = sys.argv[1], sys.argv[2]
project, home = os.path.join(work, "delivery"), os.path.join(work, "delivery-home")
os.makedirs(os.path.join(project, ".pie", "automations"))
os.makedirs(os.path.join(home, ".pie"))
# The stub model server is its own process, so its handler never holds this process's GIL while
# the sender waits for a 202: it prints its port, then one CLOCK_MONOTONIC reading (the clock
# time.perf_counter reads here too) per request it starts.
stub = os.path.join(work, "delivery-model.py")
with open(stub, "w") as f:
    f.write("""
import http.server, json, sys, time
class Model(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        print(time.clock_gettime(time.CLOCK_MONOTONIC), flush=True)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        chunk = lambda d: "data: " + json.dumps(d) + "\\n\\n"
        body = (chunk({"id": "b", "object": "chat.completion.chunk", "model": "m", "choices": [{"index": 0, "delta": {"content": "ok"}, "finish_reason": None}]})
                + chunk({"id": "b", "object": "chat.completion.chunk", "model": "m", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
                + "data: [DONE]\\n\\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Model)
print(server.server_port, flush=True)
server.serve_forever()
""")
model = subprocess.Popen([sys.executable, stub], stdout=subprocess.PIPE, text=True)
model_port = int(model.stdout.readline())
with open(os.path.join(home, ".pie", "models.json"), "w") as f:
    json.dump({"models": [{"id": "m", "provider": "local", "api": "openai-completions", "baseUrl": f"http://127.0.0.1:{model_port}/v1"}]}, f)
with open(os.path.join(project, ".pie", "automations", "deploy.toml"), "w") as f:
    f.write('prompt = "Summarise the deploy."\nmodel = "local:m"\n[trigger]\n'
            'webhook = { path = "/hooks/deploy", secret_env = "DEPLOY_SECRET", signature = "hmac-sha256" }\n[run]\noverlap = "queue"\n')
env = {"PATH": "/usr/bin:/bin", "HOME": home, "PIE_DIR": os.path.join(home, ".pie"), "DEPLOY_SECRET": "bench-secret"}
log = open(os.path.join(work, "delivery.log"), "w+")
serve = subprocess.Popen([pie, "automations", "serve", "--listen", "127.0.0.1:0", "--log-format", "json"],
                         cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=log)
address = None
deadline = time.time() + 60
while time.time() < deadline and address is None:
    for line in open(log.name):
        event = json.loads(line)
        if event.get("event") == "webhook_listening":
            address = event["address"]
    time.sleep(0.05)
host, port = address.rsplit(":", 1)
queued, to_model = [], []
# One keep-alive connection, as a sender that delivers often keeps one: the figure is the
# delivery, not TCP's handshake. The request is built and signed before the clock starts and
# sent with one sendall; the 202 is read off the socket directly, so the sender's own cost is a
# few system calls.
connection = socket.create_connection((host, int(port)))
connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
def read_response():
    data = b""
    while b"\r\n\r\n" not in data:
        data += connection.recv(65536)
    head, _, rest = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(rest) < length:
        rest += connection.recv(65536)
    return int(head.split(b" ", 2)[1])
for n in range(30):
    body = json.dumps({"deploy": n, "padding": "x" * 4000}).encode()
    signature = hmac.new(b"bench-secret", body, hashlib.sha256).hexdigest()
    request = (f"POST /hooks/deploy HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
               f"X-Signature: sha256={signature}\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
    start = time.perf_counter()
    connection.sendall(request)
    status = read_response()
    answered = time.perf_counter()
    if status != 202:
        print(f"delivery: unexpected status {status}")
        break
    arrival = model.stdout.readline()
    if arrival:
        queued.append((answered - start) * 1000)
        to_model.append((float(arrival) - start) * 1000)
    time.sleep(0.2)
connection.close()
serve.send_signal(signal.SIGTERM)
serve.wait(timeout=60)
model.terminate()
def summary(values):
    values = sorted(values)
    return f"median {statistics.median(values):.2f} ms, p90 {values[int(len(values) * 0.9)]:.2f} ms (n={len(values)})"
print(f"delivery: signed 4 KB delivery → 202 (run queued in the store): {summary(queued)}")
print(f"delivery: signed 4 KB delivery → first byte of the model request: {summary(to_model)}")
PY
    else
        echo "delivery: $bin/pie-serve is missing (make serve)"
    fi
fi

if (($# && ${#names[@]} == 0)); then exit 0; fi
(cd "$work" && "$bin/PieBench" "${names[@]}")
