"""A hall's day for the channel and published-assistance figures, worked out by hand.

The hall is open 09:00–12:00 and 13:30–17:00 (`HOURS`: a lunch break, as many halls have);
a case received outside those spans is 延时服务 (a span's end is outside it: 12:00 and
17:00 are after hours, 13:30 is inside).

Tickets on 2026-11-24: T1 appointment, T2 green, T3 normal, T5 appointment transferred to
queue B (the copy T5b keeps the appointment, as a transfer does).

Cases received on 2026-11-24 (station DEMO-01):
  k1  window  08:45  none        ticket T1 (appointment)   → 延时, 预约
  k2  online  09:30  帮办         ticket T2 (green)         → 绿色通道
  k3  online  12:00  代办 单位 credit code X                 → 延时
  k4  mobile  13:30  代办 单位 credit code X (same firm)
  k5  kiosk   16:59  代办 单位 credit code Y
  k6  post    17:00  代办 person                              → 延时
  k7  window  10:00  none        ticket T3 (normal)        → nothing
  k8  window  10:00  上门服务     ticket T5b (appointment)   → 预约
  k9  online  18:30  代办 单位 credit code Z, VOIDED         → left out of everything
  k10 window  11:00  代办 单位 ID type other (no credit code)
and on 2026-11-23: k11 online 20:00 none (after hours; in the month, not the day).

The day (k9 voided, k11 the day before):
  channels: window k1 k7 k8 k10 = 4, online k2 k3 = 2, kiosk k5 = 1, post k6 = 1,
    mobile k4 = 1; 9 cases; 网上报件 = online + mobile = 3 (3/9).
  帮办 k2 = 1; 代办 k3 k4 k5 k6 k10 = 5; 上门服务 k8 = 1;
  延时 k1 k3 k6 = 3; 预约 k1 k8 = 2; 绿色通道 k2 = 1. The lines add up to 13, but only
  k7 has none of them: 合计 (each case once) = 8.
  代办 for organisations k3 k4 k5 k10 = 4; distinct credit codes X, Y = 2.
The month of November adds k11: online 3, 网上报件 4 of 10, 延时 4, 合计 9.
With the default hours (09:00–17:00) 12:00 is inside: 延时 = k1 k6 = 2 on the day.
"""

from __future__ import annotations

from datetime import date, datetime

from clerk_tui.models import Case, Matter
from clerk_tui.services.context import Station
from tests.report_fixture import M1, _matter, _ticket

DAY = date(2026, 11, 24)
HOURS = ("09:00-12:00", "13:30-17:00")
CREDIT_X = "91110108551385082Q"
CREDIT_Y = "91350100M000100Y43"
CREDIT_Z = "9111000071093123XF"


def add_channel_day(station: Station) -> dict[str, Case]:
    made: dict[str, Case] = {}
    with station.write() as session:
        t1 = _ticket("A", 11, "08:40", "08:44", "08:45", "08:55", "done", priority="appointment")
        t1.appointment_at = datetime(2026, 11, 24, 8, 45)
        t2 = _ticket("A", 12, "09:20", "09:25", "09:30", "09:40", "done", priority="green")
        t3 = _ticket("A", 13, "09:50", "09:55", "10:00", "10:10", "done")
        t5 = _ticket("A", 15, "09:40", "09:45", "09:45", "09:50", "transferred", priority="appointment")
        t5.appointment_at = datetime(2026, 11, 24, 9, 45)
        session.add_all([t1, t2, t3, t5])
        session.flush()
        t5b = _ticket(
            "B", 15, "09:40", "09:55", "10:00", "10:20", "done", letter="A", priority="appointment",
            transferred_from_id=t5.id,
        )  # fmt: skip
        t5b.appointment_at = t5.appointment_at
        session.add(t5b)
        session.flush()
        matter: Matter = _matter(session, M1)

        def case(key: str, channel: str, received: datetime, assistance: str = "none", **extra: object) -> None:
            made[key] = Case(
                station_id="DEMO-01",
                matter_id=matter.id,
                catalog_version_id=matter.catalog_version_id,
                matter_code=matter.code,
                matter_name=matter.name,
                outcome="on_the_spot",
                status=str(extra.pop("status", "completed")),
                channel=channel,
                assistance=assistance,
                clerk_no="A0123",
                window_no=3,
                received_at=received,
                completed_at=received,
                decided_at=received,
                case_no=key,
                **extra,
            )
            session.add(made[key])

        def at(hhmm: str, day: date = DAY) -> datetime:
            h, m = hhmm.split(":")
            return datetime(day.year, day.month, day.day, int(h), int(m))

        firm = {"applicant_kind": "organisation", "id_type": "uscc"}
        case("k1", "window", at("08:45"), ticket_id=t1.id)
        case("k2", "online", at("09:30"), "bangban", ticket_id=t2.id)
        case("k3", "online", at("12:00"), "daiban", id_number=CREDIT_X, **firm)
        case("k4", "mobile", at("13:30"), "daiban", id_number=CREDIT_X, **firm)
        case("k5", "kiosk", at("16:59"), "daiban", id_number=CREDIT_Y, **firm)
        case("k6", "post", at("17:00"), "daiban", applicant_kind="person")
        case("k7", "window", at("10:00"), ticket_id=t3.id)
        case("k8", "window", at("10:00"), "home_visit", ticket_id=t5b.id)
        case("k9", "online", at("18:30"), "daiban", id_number=CREDIT_Z, status="voided", **firm)
        case("k10", "window", at("11:00"), "daiban", applicant_kind="organisation", id_type="other", id_number="X-1")
        case("k11", "online", at("20:00", date(2026, 11, 23)))
    return made
