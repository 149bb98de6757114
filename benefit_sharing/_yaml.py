"""A strict YAML reader: duplicate keys are an error, not a silent "last one wins".

PyYAML keeps the last of two equal keys, so a schedule written ``2029-01-01: 0.5`` twice would
quietly lose a line. For a negotiated agreement that is a defect, so it is refused here. This module
parses text; it knows nothing of scenarios or parameters.
"""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["DuplicateKeyError", "YAMLError", "load_yaml"]

YAMLError = yaml.YAMLError  # every syntax or structure error of a YAML text


class DuplicateKeyError(ValueError):
    def __init__(self, key: object, line: int, path: str = "") -> None:
        super().__init__(f"line {line}: key {key!s} appears twice in the same mapping")
        self.key = key
        self.line = line
        self.path = path


class _StrictLoader(yaml.SafeLoader):
    pass


def _mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    out: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, (list, dict)):  # `? [a, b]` is valid YAML but no key of ours
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a single value, not a list or a mapping", key_node.start_mark
            )
        if key in out:
            raise DuplicateKeyError(key, key_node.start_mark.line + 1)
        out[key] = loader.construct_object(value_node, deep=True)
    return out


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def load_yaml(text: str) -> Any:
    """Parse YAML text with duplicate-key detection (also parses JSON, which is YAML)."""
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except DuplicateKeyError as exc:
        exc.path = _path_to_line(yaml.compose(text, Loader=yaml.SafeLoader), exc.line - 1) or ""
        raise


def _path_to_line(node: yaml.Node | None, line: int, path: str = "") -> str | None:
    """The path (``agreements[0].host_share``) of the mapping holding a repeated key on ``line``."""
    if isinstance(node, yaml.MappingNode):
        seen: set[object] = set()
        for k, _ in node.value:
            if k.value in seen and k.start_mark.line == line:
                return path
            seen.add(k.value)
        children = [(v, f"{path}.{k.value}" if path else str(k.value)) for k, v in node.value]
    elif isinstance(node, yaml.SequenceNode):
        children = [(v, f"{path}[{i}]") for i, v in enumerate(node.value)]
    else:
        return None
    for child, child_path in children:
        if child.start_mark.line <= line <= child.end_mark.line:
            found = _path_to_line(child, line, child_path)
            if found is not None:
                return found
    return None
