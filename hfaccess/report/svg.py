"""The access map of one customer, laid out as boxes and edges: integer geometry, no randomness.

Columns, left to right: named engineers, the SRE group (and elevations, with their limits), the
policy grants, the customer's tags, each environment's API hostname and exposures, the
Kubernetes group (or the exposed Service), and the bound role. Same page data, same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from hfaccess.registry.models import ClusterRole
from hfaccess.report.model import CustomerPage, GrantRow

COLUMNS = (
    "Engineers",
    "Tailnet group",
    "Policy grant",
    "Customer tag",
    "Tailnet host",
    "Kubernetes",
    "Bound role",
)
NODE_HEIGHT = 38
ROW_GAP = 14
COLUMN_GAP = 44
MARGIN = 16
HEADER = 34
CHAR_WIDTH = 7.3  # 12px monospace
MIN_WIDTH = 120


@dataclass(frozen=True)
class Node:
    key: str
    column: int
    label: str
    sub: str
    kind: str  # css class: engineer, group, elevation, grant, tag, host, exposure, k8s, role, ...
    x: int = 0
    y: int = 0
    width: int = 0

    @property
    def height(self) -> int:
        return NODE_HEIGHT


@dataclass(frozen=True)
class Edge:
    path: str
    kind: str  # css class: edge, edge-elevation


@dataclass(frozen=True)
class AccessMap:
    width: int
    height: int
    headers: tuple[tuple[int, str], ...]
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    title: str


@dataclass
class _Graph:
    nodes: list[Node] = field(default_factory=list)
    links: list[tuple[str, str, str]] = field(default_factory=list)

    def node(self, key: str, column: int, label: str, sub: str, kind: str) -> str:
        if all(n.key != key for n in self.nodes):
            self.nodes.append(Node(key, column, label, sub, kind))
        return key

    def link(self, source: str, target: str, kind: str = "edge") -> None:
        if (source, target, kind) not in self.links:
            self.links.append((source, target, kind))


def _grant_label(grant: GrantRow) -> tuple[str, str]:
    ports = ", ".join(grant.ports)
    if grant.capability:
        recorded = ", recorded" if grant.recorded else ""
        return ports + recorded, "as " + ", ".join(grant.groups)
    return ports, "exposure ports"


def _graph(page: CustomerPage) -> _Graph:
    g = _Graph()
    group = g.node("group", 1, page.sre_group, "tailnet group (SRE)", "group")
    if page.engineers:
        for engineer in page.engineers:
            g.link(g.node(f"eng:{engineer}", 0, engineer, "named engineer", "engineer"), group)
    else:
        reason = "customer revoked" if page.revoked else "every environment revoked"
        g.link(g.node("none", 0, "no engineer has access", reason, "none"), group, "edge-cut")
    elevation_of: dict[str, str] = {}  # elevated Kubernetes group -> its elevation node
    if page.engineers:
        for env in page.environments:
            for elevation in env.elevations:
                key = g.node(
                    f"elev:{env.name}:{elevation.group}",
                    1,
                    f"break-glass {env.name}",
                    f"max {elevation.max_duration}" + (", recorded" if elevation.recorded else ""),
                    "elevation",
                )
                elevation_of[elevation.group] = key
                for engineer in elevation.engineers:
                    source = g.node(f"eng:{engineer}", 0, engineer, "break-glass only", "engineer")
                    g.link(source, key, "edge-elevation")
    for index, grant in enumerate(page.grants):
        label, sub = _grant_label(grant)
        elevated = [elevation_of[x] for x in grant.groups if x in elevation_of]
        key = g.node(f"grant:{index}", 2, label, sub, "elevation" if elevated else "grant")
        for source in elevated or ([group] if page.sre_group in grant.src else []):
            g.link(source, key, "edge-elevation" if elevated else "edge")
        g.link(key, f"tag:{grant.dst}", "edge-elevation" if elevated else "edge")
    device = g.node(f"tag:{page.device_tag}", 3, page.device_tag, "API server proxies", "tag")
    has_exposures = any(env.exposures for env in page.environments)
    proxy = (
        g.node(f"tag:{page.proxy_tag}", 3, page.proxy_tag, "exposure proxies", "tag")
        if has_exposures
        else None
    )
    for env in page.environments:
        state = "" if env.active else ", REVOKED"
        host = g.node(
            f"host:{env.hostname}",
            4,
            env.hostname,
            f"{env.install.value} install{state}",
            "host" if env.active else "revoked",
        )
        if not env.active:
            continue
        g.link(device, host)
        k8s = g.node(
            f"k8s:{env.name}", 5, "group highflame-sre", f"impersonated in {env.name}", "k8s"
        )
        g.link(host, k8s)
        admin = env.role is ClusterRole.CLUSTER_ADMIN
        role = g.node(
            f"role:{env.name}",
            6,
            env.role.value,
            f"ClusterRole, {env.name}",
            "role-admin" if admin else "role",
        )
        g.link(k8s, role)
        for exposure in env.exposures:
            exposed = g.node(
                f"host:{exposure.hostname}",
                4,
                exposure.hostname,
                f"tcp:{exposure.tailnet_port} via {exposure.via}",
                "exposure",
            )
            if proxy is not None:
                g.link(proxy, exposed)
            service = g.node(
                f"svc:{env.name}:{exposure.name}",
                5,
                f"{exposure.namespace}/{exposure.service}",
                f"Service port {exposure.port}",
                "service",
            )
            g.link(exposed, service)
        for elevation in env.elevations:
            elevated_k8s = g.node(
                f"k8s-elev:{env.name}:{elevation.group}",
                5,
                f"group {elevation.group}",
                f"only while elevated, {env.name}",
                "elevation",
            )
            g.link(host, elevated_k8s, "edge-elevation")
            elevated_admin = elevation.role == ClusterRole.CLUSTER_ADMIN.value
            target = g.node(
                f"role-elev:{env.name}:{elevation.group}",
                6,
                elevation.role,
                f"elevated, max {elevation.max_duration}",
                "role-admin" if elevated_admin else "role-elevated",
            )
            g.link(elevated_k8s, target, "edge-elevation")
    return g


def _widths(nodes: Sequence[Node]) -> list[int]:
    widths = [MIN_WIDTH] * len(COLUMNS)
    for node in nodes:
        text = max(len(node.label), len(node.sub), len(COLUMNS[node.column]))
        widths[node.column] = max(widths[node.column], int(text * CHAR_WIDTH) + 20)
    return widths


def _curve(a: Node, b: Node) -> str:
    x1, y1 = a.x + a.width, a.y + NODE_HEIGHT // 2
    x2, y2 = b.x, b.y + NODE_HEIGHT // 2
    if b.column <= a.column:  # same column (never drawn by _graph) or backwards: straight
        return f"M{x1} {y1} L{x2} {y2}"
    middle = (x1 + x2) // 2
    return f"M{x1} {y1} C{middle} {y1} {middle} {y2} {x2} {y2}"


def access_map(page: CustomerPage) -> AccessMap:
    """Lay out `page`'s access paths; pure and deterministic."""
    graph = _graph(page)
    widths = _widths(graph.nodes)
    lefts = [MARGIN + sum(widths[:i]) + COLUMN_GAP * i for i in range(len(COLUMNS))]
    counts = [sum(1 for n in graph.nodes if n.column == c) for c in range(len(COLUMNS))]
    step = NODE_HEIGHT + ROW_GAP
    tallest = max(counts) * step - ROW_GAP
    seen = [0] * len(COLUMNS)
    placed: dict[str, Node] = {}
    for node in graph.nodes:
        column = node.column
        top = MARGIN + HEADER + (tallest - (counts[column] * step - ROW_GAP)) // 2
        placed[node.key] = Node(
            node.key,
            column,
            node.label,
            node.sub,
            node.kind,
            lefts[column],
            top + seen[column] * step,
            widths[column],
        )
        seen[column] += 1
    edges = tuple(
        Edge(_curve(placed[a], placed[b]), kind)
        for a, b, kind in graph.links
        if a in placed and b in placed
    )
    ordered = tuple(sorted(placed.values(), key=lambda n: (n.column, n.y)))
    return AccessMap(
        width=lefts[-1] + widths[-1] + MARGIN,
        height=MARGIN * 2 + HEADER + tallest,
        headers=tuple(zip(lefts, COLUMNS, strict=True)),
        nodes=ordered,
        edges=edges,
        title=f"Access map of {page.name}",
    )
