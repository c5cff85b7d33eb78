"""Tests of the bundled Alibaba data set: the key facts of the research notes, one row each.

Every row names the research entry it checks (E-numbers of the notes in research/: three digits
for 2014-2022, two for 2023-2026), so a failing row points at the fact and its sources.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import orgmodel
from orgmodel.model import role_keys


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
        "2022-01-01", "taobao-tmall", "china-digital-commerce", id="E099-big-taobao-in-cdc"
    ),
    pytest.param("2022-01-01", "1688", "china-digital-commerce", id="E099-1688-in-cdc"),
    pytest.param("2022-01-01", "aliexpress", "aidc", id="E099-aliexpress-in-idc"),
    pytest.param("2022-01-01", "alibaba-com", "aidc", id="E099-alibaba-com-in-idc"),
    pytest.param("2022-01-01", "lazada", "aidc", id="E099-lazada-in-idc"),
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
    pytest.param("2014-01-23", "alibaba", "active", id="E015-a-private-company-before-the-listing"),
    pytest.param("2014-09-18", "alibaba", "active", id="E015-not-listed-the-day-before"),
    pytest.param("2014-09-19", "alibaba", "listed", id="E015-listed-in-new-york"),
    pytest.param("2014-12-31", "ant-group", "affiliate", id="E016-ant-financial-outside-the-group"),
    pytest.param("2014-12-31", "cainiao", "affiliate", id="E003-cainiao-an-affiliate"),
    pytest.param(
        "2015-07-30", "alibaba-health", "affiliate", id="E025-alibaba-health-not-yet-controlled"
    ),
    pytest.param(
        "2015-07-31", "alibaba-health", "listed", id="E025-alibaba-health-controlled-july-2015"
    ),
    pytest.param("2015-12-07", "koubei", "affiliate", id="E028-koubei-joint-venture"),
    pytest.param(
        "2016-04-04", "youku", "affiliate", id="E035-youku-a-minority-stake-until-the-buyout"
    ),
    pytest.param(
        "2016-04-05", "youku", "active", id="E035-people-jp-youku-wholly-owned-2016-04-05"
    ),
    pytest.param("2016-04-13", "ele-me", "affiliate", id="webbedxp-2016-04-19-eleme-stake"),
    pytest.param("2017-09-25", "cainiao", "affiliate", id="E051-cainiao-affiliate-before-control"),
    pytest.param("2017-09-26", "cainiao", "standalone", id="E051-cainiao-controlled-2017-09-26"),
    pytest.param(
        "2018-05-30", "ele-me", "affiliate", id="E059-eleme-buyout-agreed-not-yet-control"
    ),
    pytest.param("2018-05-31", "ele-me", "standalone", id="E059-caixin-eleme-control-in-may-2018"),
    pytest.param("2018-11-26", "cainiao", "standalone", id="E051-cainiao-controlled"),
    pytest.param("2019-09-23", "ant-group", "affiliate", id="E073-ant-33pc-affiliate"),
    pytest.param("2020-12-31", "ant-group", "affiliate", id="E087-ant-ipo-halted-still-affiliate"),
    pytest.param("2020-10-19", "sun-art", "listed", id="E086-sun-art-controlled-2020-10-19"),
    pytest.param("2023-03-28", "hema", "standalone", id="E04-freshippo-an-n-company"),
    pytest.param("2023-03-28", "sun-art", "listed", id="E04-sun-art-an-n-company"),
    pytest.param(
        "2023-05-18",
        "cloud-intelligence",
        "active",
        id="E06-cloud-still-in-line-when-spin-off-planned",
    ),
    pytest.param(
        "2023-05-18", "cainiao", "standalone", id="E06-cainiao-a-company-with-an-ipo-plan"
    ),
    pytest.param(
        "2023-05-10", "aicheng", "standalone", id="E05-scmp-aicheng-carved-out-2023-05-10"
    ),
    pytest.param("2023-05-15", "chengdun", "standalone", id="E10-chengdun-carved-out"),
    pytest.param("2023-11-16", "aicheng", "active", id="E09-aicheng-back-in-line"),
    pytest.param("2023-11-16", "chengdun", "active", id="E10-chengdun-back-in-line"),
    pytest.param("2023-08-16", "dingtalk", "active", id="E12-reuters-dingtalk-split-only-reported"),
    pytest.param("2023-11-16", "dingtalk", "standalone", id="E12-E18-dingtalk-subsidiary"),
    pytest.param("2026-03-16", "ant-group", "affiliate", id="E073-ant-still-an-affiliate"),
]


@pytest.mark.parametrize(("date", "unit_id", "status"), STATUSES)
def test_status(history: Any, date: str, unit_id: str, status: str) -> None:
    assert unit(history, date, unit_id).status == status


# --- what was announced and not yet done: (date, unit, expected plan or None) -----------------
PLANS = [
    pytest.param("2020-07-19", "ant-group", None, id="E087-no-ant-ipo-plan-yet"),
    pytest.param(
        "2020-07-20", "ant-group", "ipo_planned", id="reuters-2020-07-20-ant-ipo-announced"
    ),
    pytest.param("2020-11-03", "ant-group", "ipo_paused", id="E087-ant-ipo-suspended-2020-11-03"),
    pytest.param("2023-05-17", "cloud-intelligence", None, id="E06-no-cloud-plan-before-the-board"),
    pytest.param(
        "2023-05-18", "cloud-intelligence", "spin_off_planned", id="E06-cloud-spin-off-planned"
    ),
    pytest.param("2023-05-18", "cainiao", "ipo_planned", id="E06-cainiao-ipo-planned"),
    pytest.param("2023-05-18", "hema", "ipo_planned", id="E06-freshippo-ipo-planned"),
    pytest.param(
        "2023-11-16", "cloud-intelligence", "spin_off_cancelled", id="E18-cloud-spin-off-dropped"
    ),
    pytest.param("2023-11-16", "hema", "ipo_paused", id="E18-freshippo-ipo-on-hold"),
    pytest.param("2024-03-25", "cainiao", "ipo_planned", id="E17-cainiao-ipo-still-planned"),
    pytest.param(
        "2024-03-26", "cainiao", "ipo_cancelled", id="E25-cainiao-ipo-withdrawn-2024-03-26"
    ),
    pytest.param("2024-12-16", "intime", None, id="E29-no-intime-sale-yet"),
    pytest.param("2024-12-17", "intime", "sale_agreed", id="E29-intime-sale-agreed-2024-12-17"),
    pytest.param("2025-01-01", "sun-art", "sale_agreed", id="E31-sun-art-sale-agreed-2025-01-01"),
    pytest.param("2023-08-16", "dingtalk", "spin_off_planned", id="E12-reuters-dingtalk-to-split"),
    pytest.param("2023-11-16", "dingtalk", None, id="E18-dingtalk-split-done-plan-closed"),
    pytest.param("2025-05-05", "trendyol-go", None, id="uber-10q-no-trendyol-go-deal-yet"),
    pytest.param("2025-05-06", "trendyol-go", "sale_agreed", id="uber-10q-trendyol-go-sale-agreed"),
]


@pytest.mark.parametrize(("date", "unit_id", "plan"), PLANS)
def test_plan(history: Any, date: str, unit_id: str, plan: str | None) -> None:
    assert unit(history, date, unit_id).plan == plan


# --- who led: (date, unit, role, expected holder) ---------------------------------------------
LEADERS = [
    pytest.param("2014-01-23", "alibaba", "ceo", "Jonathan Lu", id="E004-lu-ceo-as-2014-began"),
    pytest.param("2015-05-09", "alibaba", "ceo", "Jonathan Lu", id="E026-lu-ceo-until-2015-05-10"),
    pytest.param(
        "2015-05-10", "alibaba", "ceo", "Daniel Zhang", id="E026-zhang-ceo-from-2015-05-10"
    ),
    pytest.param(
        "2019-09-09", "alibaba", "chairman", "Jack Ma", id="E072-ma-chairman-until-2019-09-10"
    ),
    pytest.param(
        "2019-09-10", "alibaba", "chairman", "Daniel Zhang", id="E072-zhang-chairman-2019-09-10"
    ),
    pytest.param(
        "2023-09-09", "alibaba", "chairman", "Daniel Zhang", id="E13-zhang-chairman-until-handover"
    ),
    pytest.param("2023-09-09", "alibaba", "ceo", "Daniel Zhang", id="E13-zhang-ceo-until-handover"),
    pytest.param(
        "2023-09-10", "alibaba", "chairman", "Joe Tsai", id="E13-tsai-chairman-2023-09-10"
    ),
    pytest.param("2023-09-10", "alibaba", "ceo", "Eddie Wu", id="E13-wu-ceo-2023-09-10"),
    pytest.param(
        "2019-12-19", "alibaba", "chief technology officer", "Cheng Li", id="E076-cheng-li-cto"
    ),
    pytest.param(
        "2022-12-29", "alibaba", "chief technology officer", "Wu Zeming", id="E104-wu-zeming-cto"
    ),
    pytest.param("2017-01-13", "b2b", "president", "Trudy Dai", id="E045-dai-heads-b2b"),
    pytest.param(
        "2023-09-10", "cloud-intelligence", "ceo", "Eddie Wu", id="E13-wu-acting-cloud-ceo"
    ),
    pytest.param("2023-12-20", "ttg", "ceo", "Eddie Wu", id="E20-wu-ttg-ceo-2023-12-20"),
    pytest.param("2024-03-18", "hema", "ceo", "Yan Xiaolei", id="E24-yan-xiaolei-hema-ceo"),
    pytest.param("2025-03-31", "dingtalk", "ceo", "Chen Hang", id="E35-chen-hang-back-at-dingtalk"),
]


def holders(u: Any, role: str) -> list[str]:
    return [ld.name for ld in u.leaders for key, _ in role_keys(ld.role) if key == role]


@pytest.mark.parametrize(("date", "unit_id", "role", "name"), LEADERS)
def test_leader(history: Any, date: str, unit_id: str, role: str, name: str) -> None:
    assert holders(unit(history, date, unit_id), role) == [name]


def test_the_group_has_a_chairman_and_a_chief_executive_at_every_date(history: Any) -> None:
    for date in history.dates:
        root = history.at(date).units["alibaba"]
        assert len(holders(root, "chairman")) == 1, date
        assert len(holders(root, "ceo")) == 1, date


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
    pytest.param("2022-01-01", "b2b", False, id="E099-E100-b2b-group-divided-when-in-force"),
    pytest.param("2023-03-28", "china-digital-commerce", False, id="E02-cdc-gone"),
    pytest.param("2023-05-18", "middle-office", False, id="E05-cto-line-dismantled"),
    pytest.param(
        "2023-05-18", "shared-business-platform", False, id="E05-business-middle-office-to-ttg"
    ),
    pytest.param("2023-07-10", "cco-line", False, id="E08-customer-service-to-ttg"),
    pytest.param("2023-07-10", "cro-line", False, id="E10-cro-line-gone"),
    pytest.param("2021-12-31", "b2b", True, id="E099-b2b-until-the-reshuffle-took-effect"),
    pytest.param("2016-04-04", "scmp", False, id="straitstimes-2015-12-scmp-only-agreed"),
    pytest.param("2016-04-05", "scmp", True, id="asiatimes-2016-04-scmp-completed"),
    pytest.param("2016-04-11", "lazada", False, id="E036-no-lazada-before-control"),
    pytest.param("2016-04-12", "lazada", True, id="E036-lazada-control"),
    pytest.param("2016-04-13", "ele-me", True, id="webbedxp-2016-04-19-eleme-stake-2016-04-13"),
    pytest.param("2016-10-30", "dme", False, id="E042-no-dme-before-2016-10-31"),
    pytest.param("2016-10-31", "dme", True, id="E042-dme-formed-2016-10-31"),
    pytest.param("2017-10-10", "damo", False, id="E053-no-damo-before-launch"),
    pytest.param("2017-10-11", "damo", True, id="E053-damo-launched"),
    pytest.param("2018-05-08", "daraz", True, id="E060-daraz-2018-05-08"),
    pytest.param("2018-06-30", "trendyol", True, id="E063-trendyol-june-2018"),
    pytest.param("2018-09-19", "t-head", True, id="E066-t-head-2018-09-19"),
    pytest.param("2018-10-12", "local-services", True, id="E064-local-services-2018-10-12"),
    pytest.param("2019-09-05", "kaola", False, id="E071-no-kaola-before-the-deal"),
    pytest.param("2019-09-06", "kaola", True, id="E071-kaola-bought"),
    pytest.param("2023-05-10", "middle-office", False, id="E05-cto-line-dismantled-2023-05-10"),
    pytest.param(
        "2023-05-15", "cco-line", False, id="E08-latepost-functions-pushed-down-2023-05-15"
    ),
    pytest.param("2024-11-21", "intime", True, id="E29-intime-before-sale"),
    pytest.param("2025-02-26", "sun-art", True, id="E31-sun-art-until-completion"),
    pytest.param("2025-02-27", "sun-art", False, id="sun-art-sold-2025-02-27"),
    pytest.param("2025-06-16", "trendyol-go", True, id="uber-10q-trendyol-go-until-completion"),
    pytest.param("2025-06-17", "trendyol-go", False, id="uber-10q-trendyol-go-sold-2025-06-17"),
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
    pytest.param(
        "aicheng", "spun_off", dt.date(2023, 5, 10), id="E05-scmp-aicheng-spun-off-2023-05-10"
    ),
    pytest.param("aicheng", "returned", dt.date(2023, 11, 16), id="E09-aicheng-returned"),
    pytest.param(
        "chengdun", "spun_off", dt.date(2023, 5, 15), id="E08-E10-chengdun-with-latepost-report"
    ),
    pytest.param("chengdun", "returned", dt.date(2023, 11, 16), id="E10-chengdun-returned"),
    pytest.param("qwen-consumer", "merged", dt.date(2025, 12, 9), id="E45-qwen-merger-event"),
    pytest.param(
        "cloud-intelligence", "plan_changed", dt.date(2023, 5, 18), id="E06-cloud-spin-off-planned"
    ),
    pytest.param(
        "cloud-intelligence", "plan_changed", dt.date(2023, 11, 16), id="E18-cloud-spin-off-dropped"
    ),
    pytest.param(
        "dingtalk", "plan_changed", dt.date(2023, 8, 16), id="E12-dingtalk-split-reported"
    ),
    pytest.param("dingtalk", "spun_off", dt.date(2023, 11, 16), id="E12-E18-dingtalk-out-of-cloud"),
    pytest.param("sun-art", "removed", dt.date(2025, 2, 27), id="sun-art-sold-2025-02-27"),
    pytest.param("trendyol-go", "removed", dt.date(2025, 6, 17), id="uber-10q-trendyol-go-sold"),
    pytest.param("cainiao", "status_changed", dt.date(2017, 9, 26), id="E051-cainiao-control"),
    pytest.param("dme", "added", dt.date(2016, 10, 31), id="E042-dme-formed-2016-10-31"),
    pytest.param("damo", "added", dt.date(2017, 10, 11), id="E053-damo-2017-10-11"),
    pytest.param("scmp", "added", dt.date(2016, 4, 5), id="asiatimes-2016-04-scmp-owned"),
    pytest.param("lazada", "added", dt.date(2016, 4, 12), id="E036-lazada-control-2016-04-12"),
    pytest.param("kaola", "added", dt.date(2019, 9, 6), id="E071-kaola-2019-09-06"),
    pytest.param("alibaba", "leader_changed", dt.date(2015, 5, 10), id="E026-zhang-succeeds-lu"),
    pytest.param("alibaba", "leader_changed", dt.date(2023, 9, 10), id="E13-tsai-and-wu-take-over"),
]


@pytest.mark.parametrize(("unit_id", "kind", "date"), EVENTS)
def test_event(history: Any, unit_id: str, kind: str, date: dt.date) -> None:
    found = [(e.kind, e.date) for e in history.lineage(unit_id) if unit_id in e.units]
    assert (kind, date) in found, found


# --- the data set as a whole ------------------------------------------------------------------
#: Dated structural changes that must each have a snapshot of their own date.
REQUIRED_DATES = [
    "2014-06-11",
    "2014-09-19",
    "2015-05-10",
    "2015-12-07",
    "2016-04-05",
    "2016-04-12",
    "2016-10-31",
    "2017-01-13",
    "2017-09-26",
    "2017-10-11",
    "2018-10-12",
    "2018-11-26",
    "2019-09-06",
    "2019-09-10",
    "2020-11-03",
    "2021-07-02",
    "2022-01-01",
    "2022-01-06",
    "2023-03-28",
    "2023-05-10",
    "2023-05-18",
    "2023-09-10",
    "2023-11-16",
    "2024-03-26",
    "2024-11-21",
    "2025-02-27",
    "2025-05-09",
    "2025-06-17",
    "2025-06-23",
    "2025-12-09",
    "2026-03-16",
]


def test_enough_snapshots_from_2014_to_2026(history: Any) -> None:
    assert len(history.dates) > 40
    assert history.dates[0].year == 2014
    assert history.dates[-1].year == 2026


@pytest.mark.parametrize("date", REQUIRED_DATES)
def test_change_dates_are_snapshots(history: Any, date: str) -> None:
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


def confidence_problem(confidence: str | None, keys: Any) -> str | None:
    """What is wrong with a stated confidence, given the sources cited for it, or None.

    Confirmed needs two or more distinct sources, single-source at least one. A record may claim
    less than its sources allow (two reports that are not independent stay single-source), never
    more.
    """
    distinct = len(set(keys))
    if confidence == "confirmed" and distinct < 2:
        return f"confirmed on {distinct} source(s); confirmed means two or more"
    if confidence == "single-source" and distinct < 1:
        return "single-source without a source"
    return None


@pytest.mark.parametrize(
    ("confidence", "keys", "wrong"),
    [
        ("confirmed", ["a"], True),
        ("confirmed", ["a", "a"], True),
        ("confirmed", ["a", "b"], False),
        ("single-source", ["a"], False),
        ("single-source", ["a", "b"], False),
        ("single-source", [], True),
        ("unconfirmed", [], False),
    ],
)
def test_confidence_rule(confidence: str, keys: list[str], wrong: bool) -> None:
    assert (confidence_problem(confidence, keys) is not None) is wrong


def test_confidence_follows_the_number_of_distinct_sources(history: Any) -> None:
    problems = []
    for date in history.dates:
        snap = history.at(date)
        for u in snap.units.values():
            if (why := confidence_problem(u.confidence, u.sources)) is not None:
                problems.append(f"{date} {u.id}: {why}")
            for leader in u.leaders:
                if (why := confidence_problem(leader.confidence, leader.sources)) is not None:
                    problems.append(f"{date} {u.id} {leader.name}: {why}")
        for uid, removal in snap.removed.items():
            if (why := confidence_problem(removal.confidence, removal.sources)) is not None:
                problems.append(f"{date} removal of {uid}: {why}")
    assert problems == []


def test_every_source_has_a_date_and_a_publisher(history: Any) -> None:
    for key, source in history.sources.items():
        assert source.publisher.strip(), key
        assert source.date.strip(), key


def first_day(partial: str) -> dt.date:
    """The earliest day a partial date (YYYY, YYYY-MM, YYYY-MM-DD) can mean."""
    year, month, day = [*partial.split("-"), "1", "1"][:3]
    return dt.date(int(year), int(month), int(day))


def last_day(partial: str) -> dt.date:
    """The latest day a partial date can mean."""
    parts = partial.split("-")
    if len(parts) == 3:
        return dt.date.fromisoformat(partial)
    if len(parts) == 2:
        year, month = int(parts[0]), int(parts[1])
        return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return dt.date(int(parts[0]), 12, 31)


def test_partial_dates_span_their_period() -> None:
    leap_february = (dt.date(2016, 2, 1), dt.date(2016, 2, 29))
    assert (first_day("2016-02"), last_day("2016-02")) == leap_february
    assert (first_day("2023"), last_day("2023-12")) == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))


def test_units_sourced_only_later_say_so(history: Any) -> None:
    """A unit whose every source was published after its snapshot says so in its note."""
    unsaid = []
    for date in history.dates:
        for u in history.at(date).units.values():
            later = all(first_day(history.sources[k].date) > date for k in u.sources)
            if later and "retrospectively" not in (u.note or "").lower():
                unsaid.append(f"{date} {u.id}")
    assert unsaid == []


def test_no_change_is_dated_long_after_the_report_that_gives_it(history: Any) -> None:
    """Each snapshot cites the reports of its changes. One published more than a month before the
    snapshot is allowed only where the summary says when it was announced (its date appears)."""
    late = []
    for date in history.dates:
        snap = history.at(date)
        for key in snap.sources:
            source = history.sources[key]
            too_early = last_day(source.date) + dt.timedelta(days=31) < date
            if too_early and source.date not in (snap.summary or ""):
                late.append(f"{date} cites {key} ({source.date})")
    assert late == []


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
