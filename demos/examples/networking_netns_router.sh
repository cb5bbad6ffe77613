#!/usr/bin/env bash
# Two hosts on different subnets and a router between them, built from Linux
# network namespaces: the demo of "direct or via the router" in the book's
# networking chapter (src/networking.md).
#
#     net3-a                  net3-r (router)                 net3-b
#   192.0.2.10/24 --veth-- 192.0.2.1 | 198.51.100.1 --veth-- 198.51.100.20/24
#
# Run as root on Linux:   sudo bash demos/examples/networking_netns_router.sh
# It only touches the three namespaces it creates (addresses from the
# documentation ranges of RFC 5737), deletes them when it ends, and can be run
# again at any time: it first removes leftovers of an interrupted run.
set -euo pipefail

NAMESPACES=(net3-a net3-r net3-b)

cleanup() {
    for ns in "${NAMESPACES[@]}"; do
        ip netns delete "$ns" 2>/dev/null || true
    done
}
# Leftovers from an interrupted run first, and everything again on exit.
cleanup
trap cleanup EXIT

# Show each command before running it, like a terminal session.
run() {
    echo "\$ $*"
    "$@"
}

echo "# Three namespaces: two hosts and a router"
for ns in "${NAMESPACES[@]}"; do
    run ip netns add "$ns"
done

echo
echo "# Two virtual cables (veth pairs): a <-> r and r <-> b"
run ip link add veth-a type veth peer name veth-ra
run ip link set veth-a netns net3-a
run ip link set veth-ra netns net3-r
run ip link add veth-b type veth peer name veth-rb
run ip link set veth-b netns net3-b
run ip link set veth-rb netns net3-r

echo
echo "# Addresses: subnet 192.0.2.0/24 on the left, 198.51.100.0/24 on the right"
run ip -n net3-a addr add 192.0.2.10/24 dev veth-a
run ip -n net3-r addr add 192.0.2.1/24 dev veth-ra
run ip -n net3-r addr add 198.51.100.1/24 dev veth-rb
run ip -n net3-b addr add 198.51.100.20/24 dev veth-b
for ns in "${NAMESPACES[@]}"; do
    ip -n "$ns" link set lo up
done
run ip -n net3-a link set veth-a up
run ip -n net3-r link set veth-ra up
run ip -n net3-r link set veth-rb up
run ip -n net3-b link set veth-b up

echo
echo "# Host a knows only its own subnet: one route, added by the kernel with the address"
run ip -n net3-a route
echo
echo "# So b is unreachable: no route matches 198.51.100.20"
run ip -n net3-a route get 198.51.100.20 || true
run ip netns exec net3-a ping -c 1 -W 1 198.51.100.20 || true

echo
echo "# Give each host a default route through the router"
run ip -n net3-a route add default via 192.0.2.1
run ip -n net3-b route add default via 198.51.100.1
run ip -n net3-a route
echo
echo "# Same subnet: delivered directly on veth-a. Other subnet: via 192.0.2.1"
run ip -n net3-a route get 192.0.2.1
run ip -n net3-a route get 198.51.100.20

echo
echo "# The router does not forward yet (Linux's default is 0)"
run ip netns exec net3-r sysctl net.ipv4.ip_forward
run ip netns exec net3-a ping -c 1 -W 1 198.51.100.20 || true

echo
echo "# Turn forwarding on, inside the router namespace only"
run ip netns exec net3-r sysctl -w net.ipv4.ip_forward=1
run ip netns exec net3-a ping -c 3 -i 0.2 198.51.100.20

echo
echo "# Replies arrive with ttl=63: sent with 64, one less for the one router on the way"
run ip netns exec net3-b ping -c 1 192.0.2.10

echo
echo "# The router's table: both subnets are directly connected to it"
run ip -n net3-r route

echo
echo "# Cleaning up"
cleanup
trap - EXIT
run ip netns list
echo "(no namespaces left)"
