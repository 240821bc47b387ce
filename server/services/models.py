"""The service catalogue: one row per item, its themes and the departments that approve it in parallel.

The guide's nested parts (conditions, materials, steps, form) are read whole with the item and never
queried apart, so they are one JSON document; what lists filter on are columns and tables with indexes.
"""

from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base


class ServiceItem(Base):
    __tablename__ = "service_items"
    __table_args__ = (
        Index("ix_service_items_department_sort", "department_id", "sort_key"),
        Index("ix_service_items_sort", "sort_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    type: Mapped[str] = mapped_column(String(16))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    audience: Mapped[str] = mapped_column(String(8))
    statutory_days: Mapped[int] = mapped_column(Integer)
    promised_days: Mapped[int] = mapped_column(Integer)
    online: Mapped[bool] = mapped_column(Boolean)
    visits: Mapped[int] = mapped_column(Integer)
    popularity: Mapped[int] = mapped_column(Integer, default=0, doc="How often it is applied for: hot items first")
    sort_key: Mapped[str] = mapped_column(String(60), doc="Stable list order; the keyset cursor pages on it")
    guide: Mapped[dict[str, Any]] = mapped_column(
        JSON,
        doc="ServiceItemGuide's fee, conditions, materials, steps, legal_basis, hall_*, *_phone and form",
    )


class ServiceItemTheme(Base):
    """An item under a life-event theme (生育收养, 设立变更, ...)."""

    __tablename__ = "service_item_themes"

    theme: Mapped[str] = mapped_column(String(16), primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("service_items.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ServiceItemDepartment(Base):
    """A department that approves an item in parallel (并联审批); position orders them on the guide."""

    __tablename__ = "service_item_departments"

    item_id: Mapped[int] = mapped_column(ForeignKey("service_items.id", ondelete="CASCADE"), primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer)
