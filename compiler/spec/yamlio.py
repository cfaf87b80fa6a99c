"""YAML loading that remembers where every mapping, key and list item came from.

Validation errors must name file and line, so the loader returns plain dict/list
subclasses carrying 1-based line numbers alongside the values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class LDict(dict[str, Any]):
    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LList(list[Any]):
    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LDict:
    result = LDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        key = str(key) if not isinstance(key, str) else key
        if key in result:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key '{key}'", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LList:
    result = LList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


# A document whose aliases expand past this many nodes is refused before it is
# constructed: `&a [*b, *b, ...]` chains ("billion laughs") are tiny on disk and would
# make every reader of the spec walk an exponential tree.
MAX_EXPANDED_NODES = 200_000


class TooLarge(yaml.YAMLError):
    def __init__(self, message: str, mark: Any = None):
        super().__init__(message)
        self.problem, self.problem_mark = message, mark


def _expanded_size(root: yaml.Node) -> int:
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        if id(node) in sizes:  # an alias: the same node object, counted again in full
            return sizes[id(node)]
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        sizes[id(node)] = total
        if total > MAX_EXPANDED_NODES:
            raise TooLarge(f"the document expands to more than {MAX_EXPANDED_NODES:,} nodes", node.start_mark)
        return total

    return size(root)


def load_yaml(path: Path) -> Any:
    """Parse one YAML file; raises yaml.YAMLError (with a mark where known) on bad syntax,
    on nesting too deep for the parser and on alias expansion past MAX_EXPANDED_NODES."""
    text = path.read_text(encoding="utf-8")
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            _expanded_size(node)
            return loader.construct_document(node)
        finally:
            loader.dispose()
    except RecursionError:
        raise TooLarge("the document is nested too deeply to read") from None
