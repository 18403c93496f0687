#!/usr/bin/env python3
"""Checks that agent/'s folders include one another without a cycle.

A folder is a directory directly below agent/ (discover/metadata/ counts as discover/); an
edge A -> B is an `#include "B/..."` in a file of A. Prints each folder's dependencies, lowest
layer first, and exits 1 naming the folders of any cycle.
Usage: scripts/check-include-graph.py [AGENT_DIR (default: agent/ next to this script)]
"""
import pathlib
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"/]+)/[^"]+"', re.M)


def include_graph(agent_dir):
    folders = {p.name for p in agent_dir.iterdir() if p.is_dir()}
    graph = {f: set() for f in folders}
    for path in agent_dir.rglob("*"):
        if path.suffix not in (".h", ".cpp") or path.parent == agent_dir:
            continue  # main.cpp sits above every folder
        folder = path.relative_to(agent_dir).parts[0]
        for target in INCLUDE.findall(path.read_text()):
            if target in folders and target != folder:
                graph[folder].add(target)
    return graph


def cycles(graph):
    """Strongly connected components of more than one folder (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def layers(graph):
    """Folders in dependency order: each after everything it includes."""
    depth = {}

    def level(v, seen=()):
        if v not in depth:
            depth[v] = 1 + max((level(w, seen + (v,)) for w in graph[v] if w not in seen), default=-1)
        return depth[v]

    return sorted(graph, key=lambda v: (level(v), v))


def main():
    agent_dir = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent.parent / "agent")
    graph = include_graph(agent_dir)
    for folder in layers(graph):
        print(f"{folder + '/':12} -> {' '.join(f + '/' for f in sorted(graph[folder])) or '(nothing)'}")
    found = cycles(graph)
    for component in found:
        print("include cycle between: " + ", ".join(f + "/" for f in component), file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
