"""Tests of the bundled Alibaba data set: the key facts of the research notes, one row each.

Every row names the research entry it checks (E-numbers of the notes in research/: three digits
for 2014-2022, two for 2023-2026), so a failing row points at the fact and its sources.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import orgmodel


@pytest.fixture(scope="module")
def history() -> orgmodel.History:
    return orgmodel.load_history()


def unit(history: Any, date: str, unit_id: str) -> Any:
    units = history.at(date).units
    assert unit_id in units, f"{unit_id} is not in the snapshot in force on {date}"
    return units[unit_id]


# --- where units sit: (date, unit, expected parent) -------------------------------------------
PARENTS = [
    pytest.param(
        "2014-12-31", "amap", "intelligent-information", id="E009-E014-autonavi-in-uc-mobile-group"
    ),
    pytest.param(
        "2014-12-31", "lingxi-games", "intelligent-information", id="E019-mobile-games-moved-to-uc"
    ),
    pytest.param("2015-12-07", "search-bu", "middle-office", id="E032-search-in-middle-office"),
    pytest.param(
        "2015-12-07",
        "shared-business-platform",
        "middle-office",
        id="E032-shared-platform-in-middle-office",
    ),
    pytest.param(
        "2015-12-07", "data-technology", "middle-office", id="E032-data-technology-in-middle-office"
    ),
    pytest.param("2016-12-31", "youku", "dme", id="E042-youku-in-dme"),
    pytest.param("2016-12-31", "alibaba-pictures", "dme", id="E042-pictures-in-dme"),
    pytest.param("2016-12-31", "amap", "alibaba", id="E043-autonavi-out-of-mobile-group"),
    pytest.param(
        "2018-11-26", "tmall-supermarket", "taobao-tmall", id="E067-big-tmall-supermarket"
    ),
    pytest.param(
        "2018-11-26", "tmall-import-export", "taobao-tmall", id="E067-big-tmall-import-export"
    ),
    pytest.param("2018-11-26", "ele-me", "local-services", id="E064-eleme-in-local-services"),
    pytest.param("2018-11-26", "koubei", "local-services", id="E064-koubei-in-local-services"),
    pytest.param("2020-12-31", "dingtalk", "cloud-intelligence", id="E077-E084-dingtalk-in-cloud"),
    pytest.param("2021-07-02", "ele-me", "local-services", id="E093-eleme-still-in-local-services"),
    pytest.param(
        "2021-07-02", "local-services", "life-services", id="E093-local-services-in-life-services"
    ),
    pytest.param("2021-07-02", "amap", "life-services", id="E093-amap-in-life-services"),
    pytest.param("2021-07-02", "fliggy", "life-services", id="E093-fliggy-in-life-services"),
    pytest.param(
        "2021-12-06", "taobao-tmall", "china-digital-commerce", id="E099-big-taobao-in-cdc"
    ),
    pytest.param("2021-12-06", "1688", "china-digital-commerce", id="E099-1688-in-cdc"),
    pytest.param("2021-12-06", "aliexpress", "aidc", id="E099-aliexpress-in-idc"),
    pytest.param("2021-12-06", "alibaba-com", "aidc", id="E099-alibaba-com-in-idc"),
    pytest.param("2021-12-06", "lazada", "aidc", id="E099-lazada-in-idc"),
    pytest.param("2023-03-28", "ttg", "alibaba", id="E02-ttg-under-holding"),
    pytest.param("2023-03-28", "taobao", "ttg", id="E02-taobao-in-ttg"),
    pytest.param("2023-03-28", "amap", "local-services", id="E02-amap-in-local-services"),
    pytest.param("2023-03-28", "fliggy", "alibaba", id="E03-fliggy-an-n-company"),
    pytest.param("2023-03-28", "dingtalk", "cloud-intelligence", id="E01-dingtalk-with-cloud"),
    pytest.param("2023-11-16", "dingtalk", "alibaba", id="E12-dingtalk-out-of-cloud"),
    pytest.param("2023-11-16", "damai", "alibaba-pictures", id="E16-damai-into-alibaba-pictures"),
    pytest.param("2023-11-16", "aicheng", "alibaba", id="E09-aicheng-under-holding"),
    pytest.param("2024-11-21", "ttg", "ecommerce-bg", id="E28-ttg-in-ecommerce-bg"),
    pytest.param("2024-11-21", "aidc", "ecommerce-bg", id="E28-aidc-in-ecommerce-bg"),
    pytest.param(
        "2024-11-21", "cainiao-ae-logistics", "cainiao", id="E33-ae-logistics-team-before"
    ),
    pytest.param(
        "2025-01-14",
        "cainiao-ae-logistics",
        "ecommerce-bg",
        id="E33-ae-logistics-team-to-ecommerce",
    ),
    pytest.param("2025-01-14", "cainiao-supply-chain", "ttg", id="E33-supply-chain-teams-to-ttg"),
    pytest.param("2025-06-23", "ele-me", "china-ecommerce", id="E40-eleme-into-china-ecommerce"),
    pytest.param("2025-06-23", "fliggy", "china-ecommerce", id="E40-fliggy-into-china-ecommerce"),
    pytest.param(
        "2025-06-23", "china-ecommerce", "ecommerce-bg", id="E40-china-ecommerce-in-ecommerce-bg"
    ),
    pytest.param("2025-06-23", "amap", "alibaba", id="E41-amap-in-all-others"),
    pytest.param("2025-12-09", "quark", "qwen-consumer", id="E45-quark-in-qwen-group"),
    pytest.param("2025-12-09", "ucweb", "qwen-consumer", id="E45-uc-in-qwen-group"),
    pytest.param("2026-03-16", "tongyi-lab", "ath", id="E47-tongyi-lab-in-token-hub"),
    pytest.param("2026-03-16", "wukong-bu", "ath", id="E47-wukong-in-token-hub"),
]


@pytest.mark.parametrize(("date", "unit_id", "parent"), PARENTS)
def test_parent(history: Any, date: str, unit_id: str, parent: str) -> None:
    assert unit(history, date, unit_id).parent == parent


# --- standing: (date, unit, expected status) --------------------------------------------------
STATUSES = [
    pytest.param("2014-12-31", "alibaba", "listed", None, id="E015-listed-in-new-york"),
    pytest.param(
        "2014-12-31", "ant-group", "affiliate", None, id="E016-ant-financial-outside-the-group"
    ),
    pytest.param("2014-12-31", "cainiao", "affiliate", None, id="E003-cainiao-an-affiliate"),
    pytest.param(
        "2015-12-07", "alibaba-health", "listed", None, id="E025-alibaba-health-controlled"
    ),
    pytest.param("2015-12-07", "koubei", "affiliate", None, id="E028-koubei-joint-venture"),
    pytest.param("2018-11-26", "cainiao", "standalone", None, id="E051-cainiao-controlled"),
    pytest.param("2019-09-23", "ant-group", "affiliate", None, id="E073-ant-33pc-affiliate"),
    pytest.param(
        "2020-12-31", "ant-group", "affiliate", None, id="E087-ant-ipo-halted-still-affiliate"
    ),
    pytest.param("2020-12-31", "sun-art", "listed", None, id="E086-sun-art-controlled"),
    pytest.param("2023-03-28", "hema", "standalone", None, id="E04-freshippo-an-n-company"),
    pytest.param("2023-03-28", "sun-art", "listed", None, id="E04-sun-art-an-n-company"),
    pytest.param(
        "2023-05-18",
        "cloud-intelligence",
        "active",
        "spin_off_planned",
        id="E06-cloud-spin-off-planned",
    ),
    pytest.param(
        "2023-05-18", "cainiao", "standalone", "ipo_planned", id="E06-cainiao-ipo-planned"
    ),
    pytest.param("2023-05-18", "hema", "standalone", "ipo_planned", id="E06-freshippo-ipo-planned"),
    pytest.param("2023-05-18", "aicheng", "standalone", None, id="E05-aicheng-carved-out"),
    pytest.param("2023-07-10", "chengdun", "standalone", None, id="E10-chengdun-carved-out"),
    pytest.param("2023-11-16", "aicheng", "active", None, id="E09-aicheng-back-in-line"),
    pytest.param("2023-11-16", "chengdun", "active", None, id="E10-chengdun-back-in-line"),
    pytest.param(
        "2023-11-16",
        "cloud-intelligence",
        "active",
        "spin_off_cancelled",
        id="E18-cloud-spin-off-dropped",
    ),
    pytest.param("2023-11-16", "hema", "standalone", "ipo_paused", id="E18-freshippo-ipo-on-hold"),
    pytest.param("2023-11-16", "dingtalk", "standalone", None, id="E12-E18-dingtalk-subsidiary"),
    pytest.param(
        "2024-03-31", "cainiao", "standalone", "ipo_cancelled", id="E25-cainiao-ipo-withdrawn"
    ),
    pytest.param("2025-01-14", "intime", "standalone", "sale_agreed", id="E29-intime-sale-agreed"),
    pytest.param("2025-01-14", "sun-art", "listed", "sale_agreed", id="E31-sun-art-sale-agreed"),
    pytest.param(
        "2025-06-23", "trendyol-go", "active", "sale_agreed", id="E39-trendyol-go-sale-agreed"
    ),
    pytest.param("2026-03-16", "ant-group", "affiliate", None, id="E073-ant-still-an-affiliate"),
]


@pytest.mark.parametrize(("date", "unit_id", "status", "plan"), STATUSES)
def test_status_and_plan(
    history: Any, date: str, unit_id: str, status: str, plan: str | None
) -> None:
    found = unit(history, date, unit_id)
    assert (found.status, found.plan) == (status, plan)


# --- names, and renames that keep the id ------------------------------------------------------
NAMES = [
    pytest.param("2014-12-31", "fliggy", "Alitrip", id="E017-alitrip"),
    pytest.param("2016-12-31", "fliggy", "Fliggy", id="E041-alitrip-renamed-fliggy"),
    pytest.param(
        "2015-12-07", "middle-office", "Middle Office Business Group", id="E032-middle-office-bg"
    ),
    pytest.param(
        "2018-11-26",
        "cloud-intelligence",
        "Alibaba Cloud Intelligence Business Group",
        id="E067-cloud-intelligence-bg",
    ),
    pytest.param("2018-11-26", "taobao-tmall", "Big Tmall", id="E067-big-tmall"),
    pytest.param(
        "2019-09-23", "ant-group", "Ant Financial Services Group", id="E016-ant-financial"
    ),
    pytest.param("2020-12-31", "ant-group", "Ant Group", id="E082-ant-group-renamed"),
    pytest.param(
        "2020-12-31", "tmall-supermarket", "City Retail Business Group", id="E080-city-retail"
    ),
    pytest.param("2021-12-06", "b2c-retail", "B2C Retail Business Group", id="E096-b2c-retail"),
    pytest.param("2023-03-28", "ttg", "Taobao and Tmall Group", id="E02-taobao-tmall-group"),
    pytest.param(
        "2023-03-28", "local-services", "Local Services Group", id="E02-local-services-group"
    ),
    pytest.param("2023-05-18", "aicheng", "Aicheng Technology", id="E05-aicheng-technology"),
    pytest.param(
        "2023-07-10", "marketing", "Strategy Development Department", id="E08-marketing-renamed"
    ),
    pytest.param(
        "2025-05-09", "dme", "Digital Media and Entertainment Group", id="E38-dme-before-rename"
    ),
    pytest.param(
        "2025-06-23",
        "dme",
        "Hujing Digital Media and Entertainment Group",
        id="E38-dme-renamed-hujing",
    ),
    pytest.param(
        "2025-12-09",
        "alibaba-pictures",
        "Damai Entertainment Holdings",
        id="E38-pictures-renamed-damai",
    ),
    pytest.param(
        "2025-12-09", "qwen-consumer", "Qwen Consumer Business Group", id="E45-qwen-consumer-group"
    ),
    pytest.param("2026-03-16", "ath", "Alibaba Token Hub", id="E47-alibaba-token-hub"),
]


@pytest.mark.parametrize(("date", "unit_id", "name"), NAMES)
def test_name(history: Any, date: str, unit_id: str, name: str) -> None:
    assert unit(history, date, unit_id).name == name


# --- how units were formed --------------------------------------------------------------------
LINEAGES = [
    pytest.param(
        "2018-11-26",
        "cloud-intelligence",
        {"alibaba-cloud", "middle-office"},
        id="E067-cloud-takes-middle-office-ai",
    ),
    pytest.param("2018-11-26", "t-head", {"damo"}, id="E066-t-head-from-damo-chip-team"),
    pytest.param(
        "2021-07-02",
        "b2c-retail",
        {"tmall-supermarket", "tmall-import-export"},
        id="E093-tmall-supermarket-and-import-export",
    ),
    pytest.param("2021-07-02", "taocaicai", {"hema-jishi"}, id="E090-mmc-takes-hema-jishi"),
    pytest.param(
        "2023-03-28",
        "ttg",
        {"china-digital-commerce", "taobao-tmall"},
        id="E02-ttg-from-cdc-and-big-taobao",
    ),
    pytest.param(
        "2023-05-18",
        "aicheng",
        {"middle-office", "data-technology"},
        id="E05-E08-aicheng-from-cto-line-and-data-office",
    ),
    pytest.param("2023-07-10", "chengdun", {"cro-line"}, id="E10-chengdun-from-cro-line"),
    pytest.param(
        "2025-12-09",
        "qwen-consumer",
        {"intelligent-information", "intelligent-connectivity"},
        id="E45-qwen-group-merger",
    ),
    pytest.param(
        "2026-03-16",
        "qwen-consumer",
        {"intelligent-information", "intelligent-connectivity"},
        id="E45-lineage-kept-later",
    ),
]


@pytest.mark.parametrize(("date", "unit_id", "lineage"), LINEAGES)
def test_lineage(history: Any, date: str, unit_id: str, lineage: set[str]) -> None:
    assert set(unit(history, date, unit_id).lineage) == lineage


# --- units present or gone --------------------------------------------------------------------
PRESENCE = [
    pytest.param("2014-12-31", "middle-office", False, id="E032-no-middle-office-before-2015"),
    pytest.param("2015-12-07", "middle-office", True, id="E032-middle-office-from-2015"),
    pytest.param(
        "2016-12-31", "digital-entertainment", False, id="E043-digital-entertainment-into-big-youku"
    ),
    pytest.param("2018-11-26", "alibaba-cloud", False, id="E067-alibaba-cloud-upgraded"),
    pytest.param("2018-11-26", "middle-office", True, id="E067-middle-office-continues"),
    pytest.param("2019-09-23", "economy-committee", True, id="E069-alibaba-economy-committee"),
    pytest.param("2021-12-06", "b2b", False, id="E099-b2b-group-divided"),
    pytest.param("2023-03-28", "china-digital-commerce", False, id="E02-cdc-gone"),
    pytest.param("2023-05-18", "middle-office", False, id="E05-cto-line-dismantled"),
    pytest.param(
        "2023-05-18", "shared-business-platform", False, id="E05-business-middle-office-to-ttg"
    ),
    pytest.param("2023-07-10", "cco-line", False, id="E08-customer-service-to-ttg"),
    pytest.param("2023-07-10", "cro-line", False, id="E10-cro-line-gone"),
    pytest.param("2024-11-21", "intime", True, id="E29-intime-before-sale"),
    pytest.param("2025-05-09", "intime", False, id="E29-intime-divested"),
    pytest.param("2025-05-09", "sun-art", False, id="E31-sun-art-divested"),
    pytest.param("2025-06-23", "local-services", False, id="E40-E41-local-services-lapsed"),
    pytest.param(
        "2025-12-09", "intelligent-information", False, id="E45-intelligent-information-merged"
    ),
    pytest.param(
        "2025-12-09", "intelligent-connectivity", False, id="E45-intelligent-connectivity-merged"
    ),
    pytest.param("2025-12-09", "trendyol-go", False, id="E39-trendyol-go-sold"),
    pytest.param("2026-03-16", "aicheng", True, id="E09-aicheng-still-in-group"),
]


@pytest.mark.parametrize(("date", "unit_id", "present"), PRESENCE)
def test_presence(history: Any, date: str, unit_id: str, present: bool) -> None:
    assert (unit_id in history.at(date).units) is present


# --- confidence where the notes say a fact is weak --------------------------------------------
CONFIDENCE = [
    pytest.param(
        "2019-09-23", "economy-committee", "unconfirmed", id="E069-economy-committee-unconfirmed"
    ),
    pytest.param("2023-07-10", "chengdun", "unconfirmed", id="E10-chengdun-unconfirmed"),
    pytest.param("2023-11-16", "chengdun", "unconfirmed", id="E10-chengdun-return-unconfirmed"),
    pytest.param("2023-05-18", "aicheng", "confirmed", id="E05-aicheng-confirmed"),
    pytest.param("2023-03-28", "marketing", "single-source", id="E08-marketing-single-source"),
]


@pytest.mark.parametrize(("date", "unit_id", "confidence"), CONFIDENCE)
def test_confidence(history: Any, date: str, unit_id: str, confidence: str) -> None:
    assert unit(history, date, unit_id).confidence == confidence


FIELD_CONFIDENCE = [
    pytest.param("2016-12-31", "hema", "parent", "unconfirmed", id="E034-hema-parent-unconfirmed"),
    pytest.param(
        "2018-11-26", "amap", "parent", "unconfirmed", id="E054-autonavi-parent-unconfirmed"
    ),
    pytest.param("2019-09-23", "hema", "kind", "single-source", id="E070-hema-bg-single-source"),
    pytest.param(
        "2021-12-06", "trendyol", "parent", "unconfirmed", id="E099-trendyol-placement-unconfirmed"
    ),
    pytest.param(
        "2023-03-28",
        "lingxi-games",
        "status",
        "unconfirmed",
        id="E04-lingxi-games-slot-unconfirmed",
    ),
]


@pytest.mark.parametrize(("date", "unit_id", "field", "confidence"), FIELD_CONFIDENCE)
def test_field_confidence(
    history: Any, date: str, unit_id: str, field: str, confidence: str
) -> None:
    assert unit(history, date, unit_id).field_confidence.get(field) == confidence


# --- events the diff engine derives from the data ---------------------------------------------
EVENTS = [
    pytest.param("aicheng", "spun_off", dt.date(2023, 5, 18), id="E05-aicheng-spun-off"),
    pytest.param("aicheng", "returned", dt.date(2023, 11, 16), id="E09-aicheng-returned"),
    pytest.param("chengdun", "spun_off", dt.date(2023, 7, 10), id="E10-chengdun-spun-off"),
    pytest.param("chengdun", "returned", dt.date(2023, 11, 16), id="E10-chengdun-returned"),
    pytest.param("qwen-consumer", "merged", dt.date(2025, 12, 9), id="E45-qwen-merger-event"),
    pytest.param(
        "cloud-intelligence", "plan_changed", dt.date(2023, 5, 18), id="E06-cloud-spin-off-planned"
    ),
    pytest.param(
        "cloud-intelligence",
        "plan_changed",
        dt.date(2023, 11, 16),
        id="E18-cloud-spin-off-cancelled",
    ),
]


@pytest.mark.parametrize(("unit_id", "kind", "date"), EVENTS)
def test_event(history: Any, unit_id: str, kind: str, date: dt.date) -> None:
    found = [(e.kind, e.date) for e in history.lineage(unit_id) if unit_id in e.units]
    assert (kind, date) in found, found


@pytest.mark.parametrize("unit_id", ["cloud-intelligence", "cainiao", "hema", "alibaba"])
def test_an_announced_listing_is_never_told_as_a_spin_off(history: Any, unit_id: str) -> None:
    # Cloud's spin-off was announced and dropped; Cainiao's and Freshippo's IPOs were planned
    # and withdrawn or paused; the group itself is listed. None of them left its line then.
    events = history.changes("2023-03-28", unit=unit_id)
    kinds = {e.kind for e in events if e.units[0] == unit_id}
    assert not kinds & {"spun_off", "returned"}


# --- the data set as a whole ------------------------------------------------------------------
REQUIRED_DATES = [
    "2015-12-07",
    "2018-11-26",
    "2021-12-06",
    "2023-03-28",
    "2023-05-18",
    "2024-11-21",
    "2025-05-09",
    "2025-06-23",
    "2025-12-09",
    "2026-03-16",
]


def test_enough_snapshots_from_2014_to_2026(history: Any) -> None:
    assert len(history.dates) >= 16
    assert history.dates[0].year == 2014
    assert history.dates[-1].year == 2026


@pytest.mark.parametrize("date", REQUIRED_DATES)
def test_announcement_dates_are_snapshots(history: Any, date: str) -> None:
    assert dt.date.fromisoformat(date) in history.dates


def test_one_root_the_holding(history: Any) -> None:
    for date in history.dates:
        roots = [u.id for u in history.at(date).units.values() if u.parent is None]
        assert roots == ["alibaba"], (date, roots)


def test_every_unit_cites_known_sources_and_states_confidence(history: Any) -> None:
    for date in history.dates:
        for u in history.at(date).units.values():
            assert u.sources, (date, u.id)
            assert u.confidence is not None, (date, u.id)
            for key in u.sources:
                assert key in history.sources, (date, u.id, key)
            for leader in u.leaders:
                assert leader.sources and leader.confidence, (date, u.id, leader.name)
                assert all(k in history.sources for k in leader.sources), (date, u.id, leader.name)


def test_every_source_is_cited(history: Any) -> None:
    cited: set[str] = set()
    for date in history.dates:
        snap = history.at(date)
        cited.update(snap.sources)
        for removal in snap.removed.values():
            cited.update(removal.sources)
        for u in snap.units.values():
            cited.update(u.sources)
            for leader in u.leaders:
                cited.update(leader.sources)
    assert set(history.sources) - cited == set()


def test_stable_ids_through_renames(history: Any) -> None:
    """DME keeps its id through the Hujing rename; Ele.me keeps its id through its moves."""
    assert unit(history, "2016-12-31", "dme").name != unit(history, "2025-12-09", "dme").name
    parents = {
        unit(history, d, "ele-me").parent for d in ("2018-11-26", "2023-03-28", "2025-06-23")
    }
    assert parents == {"local-services", "china-ecommerce"}
