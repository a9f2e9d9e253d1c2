"""Product categories: the tree on the Products screen, and adding a category to it.

``product_categories`` is the generic ``Tree`` of ``core/tree.py`` over
``ProductCategory`` (walking, finding by path, the subtree of a node): the product list, the
count scopes and the import use it. The operations the screen calls are here and return plain
rows: ``category_tree`` (every node with its product counts) and ``create_category``;
``ensure_category_path`` makes a whole path for the import.
"""

from __future__ import annotations

from typing import Any

from ...i18n import _
from ..core.actor import Actor
from ..core.db import for_update
from ..core.errors import NotFound, ValidationError
from ..core.operation import Op, operation, reader
from ..core.tree import MAX_NAME, Tree
from ..models.catalog import Product, ProductCategory
from .rows import CategoryRow

product_categories = Tree(
    ProductCategory,
    Product.category,
    entity="product_category",
    label="category",
    view_permission="product.view",
    edit_permission="product.edit",
)


@reader("product.view")
def category_tree(op: Op) -> list[CategoryRow]:
    """Every category in display order (depth first, siblings by name) with the number of
    products in it and in its sub-categories."""
    return [
        CategoryRow(id=n.id, name=n.name, parent_id=n.parent_id, depth=n.depth, path=n.path,
                    items=n.items, total=n.total, has_children=bool(n.children))
        for n in product_categories.nodes(op.actor)
    ]


def category_path(category_id: int | None) -> str:
    """``"Food/Snacks"`` for the category ``category_id`` ("" for None or a missing one)."""
    names: list[str] = []
    seen: set[int] = set()
    while category_id is not None and category_id not in seen:  # a cycle cannot hang us
        seen.add(category_id)
        row = (ProductCategory.select(ProductCategory.name, ProductCategory.parent)
               .where(ProductCategory.id == category_id).tuples().first())
        if row is None:
            break
        names.append(str(row[0]))
        category_id = row[1]
    return "/".join(reversed(names))


def _clean_name(name: str) -> str:
    """The same rules as every tree's names: spaces collapsed, no '/' (the path separator)."""
    text = " ".join(str(name or "").split())
    if not text:
        raise ValidationError({"name": _("a category needs a name")})
    if len(text) > MAX_NAME:
        raise ValidationError({"name": _("at most {MAX_NAME} characters").format(MAX_NAME=MAX_NAME)})
    if "/" in text:
        raise ValidationError({"name": _("a name cannot contain '/'")})
    return text


@operation("product.edit")
def create_category(op: Op, name: str, parent_id: int | None = None) -> CategoryRow:
    """A new category at the top (``parent_id`` None or 0) or under ``parent_id``."""
    clean = _clean_name(name)
    parent_id = parent_id or None
    path = clean
    if parent_id is not None:
        # Locking the parent makes two sessions adding the same name under it take turns.
        parent = for_update(
            ProductCategory.select(ProductCategory.id).where(ProductCategory.id == parent_id)
        ).first()
        if parent is None:
            raise NotFound(_("category #{parent_id} does not exist (deleted by someone else?)").format(
                             parent_id=parent_id))
        path = f"{category_path(parent_id)}/{clean}"
    twin = ProductCategory.select().where(
        (ProductCategory.name == clean)
        & (ProductCategory.parent.is_null() if parent_id is None
           else ProductCategory.parent == parent_id)
    )
    if twin.exists():
        raise ValidationError({"name": _("there is already a category {clean!r} here").format(
                                         clean=clean)})
    category = ProductCategory.create(name=clean, parent=parent_id)
    op.audit("product_category", category.id, "create", {"name": clean, "parent": parent_id})
    return CategoryRow(id=int(category.id), name=clean, parent_id=parent_id,
                       depth=path.count("/"), path=path, items=0, total=0, has_children=False)


def ensure_category_path(actor: Actor | Op, path: str) -> int | None:
    """Building block (the product import): the id of the category at ``path``
    (``parent/child``), each missing one made by ``create_category`` (its permission and
    audit row; a savepoint inside the caller's transaction). None for an empty path."""
    who = actor.actor if isinstance(actor, Op) else actor
    parent: int | None = None
    for part in [x.strip() for x in str(path).split("/") if x.strip()]:
        node: Any = product_categories.find_child(parent, part)
        parent = int(node.id) if node is not None else create_category(who, part, parent).id
    return parent
