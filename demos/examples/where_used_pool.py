"""What a requests.Session keeps open between requests (chapter "Where it is used").

Start a keep-alive server first, in a directory with a file hello.txt:
    python3 -m http.server 8780 --bind 127.0.0.1 --protocol HTTP/1.1
then run:
    python3 demos/examples/where_used_pool.py 8780
"""
import subprocess
import sys

import requests

port = int(sys.argv[1]) if len(sys.argv) > 1 else 8780


def ss(all_states=False):
    """Prints the TCP sockets to or from the server's port, as ss sees them."""
    options = "-tanp" if all_states else "-tnp"
    filter_ = f"( sport = :{port} or dport = :{port} )"
    print(subprocess.run(["ss", options, filter_], capture_output=True, text=True).stdout, end="")


session = requests.Session()
for i in range(2):
    response = session.get(f"http://127.0.0.1:{port}/hello.txt")
    print(f"request {i + 1}: {response.status_code} {response.text!r}")
    ss()
del response      # the last response still refers to the connection
session.close()   # closes every pooled connection
print("after session.close():")
ss(all_states=True)
