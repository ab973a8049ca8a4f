"""The tables. Every row that belongs to a person carries ``person_id``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Person(Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    # Deleting a person deletes their rows, in the database and in the session alike.
    diary: Mapped[list[DiaryEntry]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class DiaryEntry(Base):
    """One day of the pain diary; a second entry for the same day updates it."""

    __tablename__ = "diary_entry"
    __table_args__ = (
        UniqueConstraint("person_id", "day", name="one_diary_entry_a_day"),
        CheckConstraint("pain_now BETWEEN 0 AND 10", name="pain_now_0_10"),
        CheckConstraint("worst_pain BETWEEN 0 AND 10", name="worst_pain_0_10"),
        CheckConstraint("sitting_pain BETWEEN 0 AND 10", name="sitting_pain_0_10"),
        CheckConstraint("running_pain BETWEEN 0 AND 10", name="running_pain_0_10"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    day: Mapped[dt.date] = mapped_column(Date)
    pain_now: Mapped[int] = mapped_column(Integer)
    worst_pain: Mapped[int] = mapped_column(Integer)
    sitting_pain: Mapped[int | None] = mapped_column(Integer)
    sitting_minutes_before_pain: Mapped[int | None] = mapped_column(Integer)
    running_pain: Mapped[int | None] = mapped_column(Integer)
    tingling: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
