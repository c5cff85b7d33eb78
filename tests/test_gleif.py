"""GLEIF relationship records (RR-CDF) with Level 1 names (LEI-CDF) read into dated trees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import orgmodel
from orgmodel.cli import main
from orgmodel.errors import DataError
from orgmodel.gleif import read_gleif, read_gleif_files
from orgmodel.importing import import_gleif

DATA = Path(__file__).parent / "data" / "gleif"
XML = [DATA / "relationships.xml", DATA / "entities.xml"]
ROOT, RETAIL, TECH = "exampleholdings00115", "exampleretail0000205", "exampletech000000368"
LOGISTICS, PAYMENTS = "examplelogistics0409", "examplepayments00569"
OLD, LABS = "exampleoldco00000697", "examplelabs000000710"

#: What the fixture must give, step by step: (date, kind, units involved).
EVENTS = sorted(
    [
        ("2019-07-01", "added", (LABS,)),
        ("2019-12-31", "removed", (OLD, RETAIL)),
        ("2020-06-30", "moved", (LOGISTICS, RETAIL, TECH)),
        ("2021-03-31", "removed", (PAYMENTS,)),
    ]
)


def events(history: orgmodel.History) -> list[tuple[str, str, tuple[str, ...]]]:
    return sorted(
        (e.date.isoformat(), e.kind, tuple(sorted(e.units)))  # type: ignore[attr-defined]
        for e in history.changes()
    )


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    out, err = capsys.readouterr()
    return code, out, err


def test_the_fixture_imports_validates_and_gives_its_events(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    code, _, err = run(
        capsys, "import", "gleif", *map(str, XML), "-o", str(out), "--retrieved", "2024-03-01"
    )
    assert code == 0, err
    assert err.splitlines() == [
        "EXAMPLEFORMER0000831: an inactive IS_DIRECTLY_CONSOLIDATED_BY relationship without an "
        "end date is left out",
        f"wrote {out}: 5 snapshots (2018-01-01 to 2021-03-31), 30 unit records",
    ]
    assert run(capsys, "validate", str(out))[0] == 0
    history = orgmodel.load_history(out)
    assert events(history) == EVENTS
    first = history.at("2018-01-01")
    assert first.root == ROOT
    assert (first.units[ROOT].kind, first.units[ROOT].status) == ("group", "active")
    tech = first.units[TECH]
    assert (tech.name, tech.name_zh, tech.status, tech.parent) == (
        "Example Technology Co., Ltd.",
        "示例科技有限公司",
        "standalone",
        ROOT,
    )
    labs = history.at("2019-07-01").units[LABS]
    assert (labs.parent, labs.field_confidence) == (ROOT, {"parent": "unconfirmed"})
    assert history.at("2019-12-31").removed[OLD].into == RETAIL
    assert history.at("2021-03-31").removed[PAYMENTS].how is None
    # The annulled record (Labs under Retail) and the branch record count for nothing.
    assert all(s.units[LABS].parent == ROOT for s in history if LABS in s)
    source = history.sources["lei-EXAMPLETECH000000368"]
    assert (source.publisher, source.url) == (
        "GLEIF",
        "https://search.gleif.org/#/record/EXAMPLETECH000000368",
    )


@pytest.mark.parametrize(
    "files",
    [["group-api.json"], ["relationships.csv", "entities.csv"]],
    ids=["api-json", "golden-copy-csv"],
)
def test_the_other_forms_give_the_same_trees(files: list[str]) -> None:
    (expected,) = read_gleif_files(XML, retrieved="2024-03-01")
    (group,) = read_gleif_files([DATA / f for f in files], retrieved="2024-03-01")
    assert group.root == expected.root
    assert [(s.date, s.units, s.removed) for s in group.snapshots] == [
        (s.date, s.units, s.removed) for s in expected.snapshots
    ]


def test_golden_copy_json(tmp_path: Path) -> None:
    def node(value: str) -> dict[str, str]:
        return {"$": value}

    relation = {
        "RelationshipRecord": {
            "Relationship": {
                "StartNode": {"NodeID": node(RETAIL.upper()), "NodeIDType": node("LEI")},
                "EndNode": {"NodeID": node(ROOT.upper()), "NodeIDType": node("LEI")},
                "RelationshipType": node("IS_DIRECTLY_CONSOLIDATED_BY"),
                "RelationshipPeriods": {
                    "RelationshipPeriod": [
                        {
                            "StartDate": node("2016-04-01T00:00:00Z"),
                            "PeriodType": node("RELATIONSHIP_PERIOD"),
                        }
                    ]
                },
                "RelationshipStatus": node("ACTIVE"),
            },
            "Registration": {"RegistrationStatus": node("PUBLISHED")},
        }
    }
    record = {
        "LEI": node(ROOT.upper()),
        "Entity": {"LegalName": {"$": "Example Holdings plc", "@xml:lang": "en"}},
    }
    (tmp_path / "rr.json").write_text(json.dumps({"relations": [relation]}), encoding="utf-8")
    (tmp_path / "lei.json").write_text(json.dumps({"records": [record]}), encoding="utf-8")
    (group,) = read_gleif_files(
        [tmp_path / "rr.json", tmp_path / "lei.json"], retrieved="2024-01-01"
    )
    (snapshot,) = group.snapshots
    assert [(u.id, u.name, u.parent) for u in snapshot.units] == [
        (ROOT, "Example Holdings plc", None),
        (RETAIL, RETAIL.upper(), ROOT),
    ]
    assert group.notes == [f"no Level 1 record for {RETAIL.upper()}: named by LEI"]


def test_several_groups_go_into_a_folder_each(tmp_path: Path) -> None:
    rr = [
        {
            "child": RETAIL,
            "parent": ROOT,
            "type": "IS_DIRECTLY_CONSOLIDATED_BY",
            "start": "2018-01-01",
        },
        {
            "child": LABS,
            "parent": TECH,
            "type": "IS_DIRECTLY_CONSOLIDATED_BY",
            "start": "2019-01-01",
        },
    ]
    groups = read_gleif(rr, {}, retrieved="2024-01-01")
    assert [g.root for g in groups] == [ROOT.upper(), TECH.upper()]
    (tmp_path / "rr.json").write_text(
        json.dumps(
            {
                "data": [
                    {
                        "type": "relationship-records",
                        "attributes": {
                            "relationship": {
                                "startNode": {"id": r["child"].upper()},
                                "endNode": {"id": r["parent"].upper()},
                                "type": r["type"],
                                "status": "ACTIVE",
                                "periods": [
                                    {"startDate": r["start"], "type": "RELATIONSHIP_PERIOD"}
                                ],
                            }
                        },
                    }
                    for r in rr
                ]
            }
        ),
        encoding="utf-8",
    )
    done = import_gleif([tmp_path / "rr.json"], tmp_path / "out", retrieved="2024-01-01")
    assert [d.folder.name for d in done] == [ROOT, TECH]
    for folder in done:
        assert len(orgmodel.load_history(folder.folder).dates) == 1


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("rr.xml", "<rr:RelationshipData", "not valid XML"),
        ("rr.xml", "<x/>", "holds no GLEIF relationship or LEI records"),
        ("rr.json", "{", "not valid JSON"),
        ("rr.txt", "", "is not .xml, .json, .csv or a .zip of them"),
        (
            "rr.csv",
            "Relationship.StartNode.NodeID,Relationship.EndNode.NodeID,Relationship.RelationshipType\n"
            f"NOT-AN-LEI,{ROOT.upper()},IS_DIRECTLY_CONSOLIDATED_BY\n",
            "relationship record 1: the start node is not an LEI ('NOT-AN-LEI')",
        ),
        (
            "rr.csv",
            "Relationship.StartNode.NodeID,Relationship.EndNode.NodeID,Relationship.RelationshipType\n"
            f"{RETAIL.upper()},{ROOT.upper()},IS_DIRECTLY_CONSOLIDATED_BY\n",
            "no relationship of the group of EXAMPLEHOLDINGS00115 has a dated RELATIONSHIP_PERIOD",
        ),
    ],
)
def test_files_that_cannot_be_imported(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_gleif_files([path], retrieved="2024-01-01")
    assert message in str(caught.value)


def test_the_api_s_single_successor_is_read_as_well(tmp_path: Path) -> None:
    data = json.loads((DATA / "group-api.json").read_text(encoding="utf-8"))
    for item in data["data"]:
        entity = item["attributes"].get("entity", {})
        if entity.get("successorEntities"):
            entity["successorEntities"] = []  # only successorEntity is left to name Retail
    assert any(
        (item["attributes"].get("entity", {}).get("successorEntity") or {}).get("lei")
        for item in data["data"]
    )
    (tmp_path / "api.json").write_text(json.dumps(data), encoding="utf-8")
    (group,) = read_gleif_files([tmp_path / "api.json"], retrieved="2024-03-01")
    (gone,) = [s for s in group.snapshots if OLD in s.removed]
    assert (gone.removed[OLD].how, gone.removed[OLD].into) == ("absorbed", RETAIL)


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("2019-07-01T00:00:00Z", "2019-07-01"),
        ("2019-07-01T00:00:00.000Z", "2019-07-01"),
        ("1561939200000", "2019-07-01"),  # Unix milliseconds, as older Golden Copy files give
        ("1561939199999", "2019-06-30"),
    ],
)
def test_golden_copy_dates(cell: str, day: str) -> None:
    rr = [{"child": RETAIL, "parent": ROOT, "type": "IS_DIRECTLY_CONSOLIDATED_BY", "start": cell}]
    (group,) = read_gleif(rr, {}, retrieved="2024-01-01")
    assert [s.date.isoformat() for s in group.snapshots] == [day]


def test_a_second_group_whose_direct_and_ultimate_links_end_apart() -> None:
    group, bank, leasing = "BEISPIELAG0000000017", "BEISPIELBANK00000022", "BEISPIELLEASING00031"

    def rel(child: str, parent: str, kind: str, start: str, end: str | None = None) -> dict:
        return {"child": child, "parent": parent, "type": kind, "start": start, "end": end,
                "status": "INACTIVE" if end else "ACTIVE"}  # fmt: skip

    direct, ultimate = "IS_DIRECTLY_CONSOLIDATED_BY", "IS_ULTIMATELY_CONSOLIDATED_BY"
    rr = [
        rel(RETAIL, ROOT, direct, "2018-01-01"),
        rel(bank, group, direct, "2019-01-01"),
        # The direct link ends, the ultimate one does not: the same pair, two periods.
        rel(leasing, group, direct, "2019-01-01", "2022-03-31"),
        rel(leasing, group, ultimate, "2019-01-01"),
        rel(leasing, bank, direct, "2022-03-31"),
    ]
    first, second = read_gleif(rr, {}, retrieved="2024-06-01")
    assert (first.root, second.root) == (group, ROOT.upper())
    assert [
        (s.date.isoformat(), [(u.id, u.parent) for u in s.units]) for s in first.snapshots
    ] == [
        ("2019-01-01", [(group.lower(), None), (bank.lower(), group.lower()),
                        (leasing.lower(), group.lower())]),
        ("2022-03-31", [(group.lower(), None), (bank.lower(), group.lower()),
                        (leasing.lower(), bank.lower())]),
    ]  # fmt: skip


def test_reporting_exceptions_given_with_the_rest_add_notes_and_keep_the_names(
    tmp_path: Path, capsys
) -> None:
    files = [DATA / "relationships.csv", DATA / "entities.csv", DATA / "repex.csv"]
    out = tmp_path / "out"
    code, _, err = run(capsys, "import", "gleif", *map(str, files), "-o", str(out))
    assert code == 0, err
    assert err.splitlines()[1:4] == [
        "EXAMPLEHOLDINGS00115: its reporting exception says it reports no direct accounting "
        "consolidation parent (NO_KNOWN_PERSON)",
        "EXAMPLEHOLDINGS00115: its reporting exception says it reports no ultimate accounting "
        "consolidation parent (NO_KNOWN_PERSON)",
        "EXAMPLERETAIL0000205: its reporting exception says it reports no ultimate accounting "
        "consolidation parent (NON_CONSOLIDATING)",
    ]
    first = orgmodel.load_history(out).at("2018-01-01")
    assert (first.units[ROOT].name, first.units[RETAIL].name) == (
        "Example Holdings plc",
        "Example Retail Ltd",
    )


def test_files_without_relationships_say_which_file_is_missing(tmp_path: Path, capsys) -> None:
    repex = DATA / "repex.csv"
    code, _, err = run(capsys, "import", "gleif", str(repex), "-o", str(tmp_path / "out"))
    assert (code, err) == (
        2,
        f"orgmodel: {repex}: no relationship records (Level 2, RR-CDF) are given, only reporting "
        "exceptions (RepEx); give the relationship file (rr) as well\n",
    )
    assert not (tmp_path / "out").exists()


def test_golden_copy_zips_are_read_as_published(tmp_path: Path) -> None:
    import zipfile

    for name, inner in (("rr.csv.zip", "relationships.csv"), ("lei2.csv.zip", "entities.csv")):
        with zipfile.ZipFile(tmp_path / name, "w") as archive:
            archive.write(DATA / inner, f"20240301-0000-gleif-goldencopy-{inner}")
    zipped = read_gleif_files(
        [tmp_path / "rr.csv.zip", tmp_path / "lei2.csv.zip"], retrieved="2024-03-01"
    )
    plain = read_gleif_files(
        [DATA / "relationships.csv", DATA / "entities.csv"], retrieved="2024-03-01"
    )
    assert [g.snapshots for g in zipped] == [g.snapshots for g in plain]


def test_rows_marked_deleted_and_words_in_lower_case(tmp_path: Path) -> None:
    header = (
        "Relationship.StartNode.NodeID,Relationship.EndNode.NodeID,Relationship.RelationshipType,"
        "Relationship.RelationshipStatus,Relationship.Period.1.startDate,"
        "Relationship.Period.1.periodType,DeletedAt\n"
    )
    rows = [
        f"{RETAIL},{ROOT},is_directly_consolidated_by,active,2018-01-01,RELATIONSHIP_PERIOD,",
        f"{LABS},{ROOT},IS_DIRECTLY_CONSOLIDATED_BY,ACTIVE,2018-01-01,RELATIONSHIP_PERIOD,"
        "2024-02-01T00:00:00Z",
        f"{TECH},{ROOT},IS_DIRECTLY_CONSOLIDATED_BY,inactive,2018-01-01,RELATIONSHIP_PERIOD,",
    ]
    (tmp_path / "rr.csv").write_text(header + "\n".join(rows) + "\n")
    (group,) = read_gleif_files([tmp_path / "rr.csv"], retrieved="2024-03-01")
    assert [[u.id for u in s.units] for s in group.snapshots] == [[ROOT, RETAIL]]
    assert group.notes == [
        f"{TECH.upper()}: an inactive IS_DIRECTLY_CONSOLIDATED_BY relationship without an end "
        "date is left out",
        f"no Level 1 record for {ROOT.upper()}, {RETAIL.upper()}: named by LEI",
    ]


def _many_groups(count: int) -> list[dict[str, str]]:
    """``count`` groups of two entities each, with LEIs of the right shape."""
    return [
        {
            "child": f"CHILD{n:013d}00",
            "parent": f"PARENT{n:012d}00",
            "type": "IS_DIRECTLY_CONSOLIDATED_BY",
            "start": "2020-01-01",
        }
        for n in range(count)
    ]


def test_a_whole_golden_copy_is_not_written_group_by_group(tmp_path: Path) -> None:
    rr = _many_groups(21)
    rr.append({**rr[0], "child": "CHILD999999999999900"})  # the largest group: three entities
    with pytest.raises(DataError) as caught:
        read_gleif(rr, {}, retrieved="2024-01-01", at_most=20)
    assert str(caught.value) == (
        "the relationships make 21 groups (the largest are rooted at PARENT00000000000000, "
        "PARENT00000000000100, PARENT00000000000200); choose yours with --root LEI (any LEI of "
        "the group)"
    )
    (group,) = read_gleif(
        rr, {}, retrieved="2024-01-01", at_most=20, roots=["child999999999999900"]
    )
    assert [u.id for u in group.snapshots[0].units] == [
        "parent00000000000000",
        "child000000000000000",
        "child999999999999900",
    ]
    with pytest.raises(DataError, match="--root CHILD0000000000009900: no relationship record"):
        read_gleif(rr, {}, retrieved="2024-01-01", roots=["CHILD0000000000009900"])


def test_reporting_exceptions_in_xml(tmp_path: Path) -> None:
    (group,) = read_gleif_files([*XML, DATA / "repex.xml"], retrieved="2024-03-01")
    assert group.snapshots[0].units[0].name == "Example Holdings plc"
    assert [n for n in group.notes if "reporting exception" in n] == [
        f"{ROOT.upper()}: its reporting exception says it reports no {which} accounting "
        "consolidation parent (NATURAL_PERSONS)"
        for which in ("direct", "ultimate")
    ]


def test_a_golden_copy_csv_saved_again_by_a_european_excel(tmp_path: Path) -> None:
    text = (DATA / "relationships.csv").read_text(encoding="utf-8")
    (tmp_path / "rr.csv").write_text("\ufeff" + text.replace(",", ";"), encoding="utf-8")
    semicolons = read_gleif_files([tmp_path / "rr.csv"], retrieved="2024-03-01")
    commas = read_gleif_files([DATA / "relationships.csv"], retrieved="2024-03-01")
    assert [g.snapshots for g in semicolons] == [g.snapshots for g in commas]
