"""Nested structures of lists, tuples and dicts, as keras.tree handles them: a model's inputs and
outputs, a layer's call arguments. Dicts are walked in the order of their sorted keys, as Keras
walks them; anything else is a leaf."""


def is_nested(structure):
    return isinstance(structure, (list, tuple, dict))


def flatten(structure):
    """The leaves, in order: flatten([a, {'y': b, 'x': c}]) == [a, c, b]."""
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in flatten(structure[key])]
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in flatten(item)]
    return [structure]


def map_structure(fn, structure):
    """The same structure with fn(leaf) in place of each leaf."""
    if isinstance(structure, dict):
        return {key: map_structure(fn, value) for key, value in structure.items()}
    if isinstance(structure, (list, tuple)):
        return type(structure)(map_structure(fn, item) for item in structure)
    return fn(structure)


def pack_sequence_as(structure, leaves):
    """structure's shape filled with leaves (as flatten orders them)."""
    leaves = iter(leaves)

    def fill(node):
        if isinstance(node, dict):
            filled = {key: fill(node[key]) for key in sorted(node)}
            return {key: filled[key] for key in node}
        if isinstance(node, (list, tuple)):
            return type(node)(fill(item) for item in node)
        return next(leaves)
    return fill(structure)
