"""Product categories: the generic ``Tree`` of ``groups.py`` over ``ProductCategory``.

Add, rename, move and delete categories with the same rules as customer groups (a category
that still holds products or sub-categories is not deleted unless told where they go).
"""

from __future__ import annotations

from ..models import Product, ProductCategory
from ..parties.groups import Tree

product_categories = Tree(
    ProductCategory,
    Product.category,
    entity="product_category",
    label="category",
    view_permission="product.view",
    edit_permission="product.edit",
)
