"""The matter catalog (实施清单): departments, matters, their materials, versions."""

from __future__ import annotations

from pydantic import NaiveDatetime
from sqlmodel import Field

from clerk_tui.models.base import Record

# 办件类型 codes of the implementation lists: 1 即办件 (done on the spot) and 2 承诺件
# (promised within a limit) are national; provinces also list 3 上报件 (decided above, the
# window only receives), 4 联办件 (several departments handle it together) and 9 其他.
# A county's catalog holds matters of every kind (seed 002: 907 + 645 + 83 others).
PROJECT_TYPES = (1, 2, 3, 4, 9)
ON_THE_SPOT_TYPE, PROMISED_TYPE = 1, 2


class CatalogVersion(Record, table=True):
    __tablename__ = "catalog_version"

    label: str = Field(max_length=64)
    format_version: int
    content_sha256: str = Field(max_length=64, unique=True)
    source_name: str = Field(default="")
    imported_at: NaiveDatetime
    matter_count: int = 0


class Department(Record, table=True):
    code: str = Field(max_length=32, unique=True)
    name: str


class Matter(Record, table=True):
    """One 事项 as the catalog describes it.

    `active` goes false when a newer catalog drops the matter: cases keep pointing at it.
    """

    code: str = Field(max_length=120, unique=True)  # 实施编码
    basic_code: str = Field(max_length=32, index=True)  # 基本编码
    name: str
    name_pinyin: str = Field(default="")
    name_initials: str = Field(default="")
    task_type: str = Field(max_length=2)  # 事项类型 01..20
    department_id: str = Field(foreign_key="department.id", index=True)
    level: str = Field(default="")
    service_objects: str = Field(default="")  # comma-separated server_type codes
    project_type: int  # 办件类型: PROJECT_TYPES (1 即办件, 2 承诺件, 3 上报件, 4 联办件, 9 其他)
    statutory_limit: int | None = None
    statutory_unit: str = Field(default="")
    promised_limit: int | None = None
    promised_unit: str = Field(default="")
    visits: int | None = None  # 到办事现场次数
    fee_charged: bool = False
    fee_note: str = Field(default="")
    online: bool = False
    appointment: bool = False
    scope: str = Field(default="")  # 通办范围
    legal_basis: str = Field(default="")
    contact: str = Field(default="")
    note: str = Field(default="")
    active: bool = True
    catalog_version_id: str = Field(foreign_key="catalog_version.id", index=True)
    content_sha256: str = Field(max_length=64)


class Material(Record, table=True):
    matter_id: str = Field(foreign_key="matter.id", index=True)
    position: int
    name: str
    material_type: int  # 1 证件证书证明, 2 申请表格文书, 3 其他
    form: str  # 原件 / 复印件 / 电子 / 原件及复印件 ...
    copies: int = 1
    necessity: int  # 1 必要, 2 非必要, 3 容缺后补
    source: str = Field(default="")
    condition: str = Field(default="")  # 情形; empty = always required
    e_licence: bool = False
    note: str = Field(default="")
