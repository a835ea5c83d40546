"""Linking: units, their collective reports, persons across years; what cannot be linked is listed, not raised."""

from __future__ import annotations

from nlp.cross.identity import identify
from nlp.cross.link import link_reports
from nlp.cross.records import Identity


def _linkage(tree_reports):
    return link_reports([identify(r.path, r.result) for r in tree_reports])


def test_units_and_their_collective_reports(tree_reports):
    linkage = _linkage(tree_reports)
    units = {u.key: u for u in linkage.units}
    assert set(units) == {"thon dong lac", "thon xom moi"}
    dong_lac = units["thon dong lac"]
    assert dong_lac.collective == "dong-lac/2025/tap-the.txt"
    assert dong_lac.basis == "both" and dong_lac.year == 2025
    assert sorted(dong_lac.previous) == ["dong-lac/2024/hoang-van-quy.txt", "dong-lac/2024/le-van-tuan.txt"]
    assert units["thon xom moi"].collective is None


def test_person_linked_across_years_despite_case(tree_reports):
    persons = _linkage(tree_reports).persons
    assert [(p.previous, p.current, p.by_birth) for p in persons] == [
        ("dong-lac/2024/hoang-van-quy.txt", "dong-lac/2025/hoang-van-quy.txt", True)
    ]


def test_unlinked_reports_are_listed_with_why(tree_reports):
    unlinked = {(u.file, u.reason) for u in _linkage(tree_reports).unlinked}
    assert unlinked == {
        ("dong-lac/2024/le-van-tuan.txt", "one_year_only"),
        ("xom-moi/2025/vu-thi-hoa.txt", "no_collective"),
    }


def _person(file: str, year: int, birth: str | None, unit: str | None = "thon a", folder: str = "a") -> Identity:
    return Identity(
        file=file,
        role="member",
        form="02B",
        year=year,
        name="Lê Văn An",
        key="lê văn an",
        birth=birth,
        unit_name=unit,
        unit_key=unit,
        folder=folder,
    )


def test_same_name_other_birth_is_not_the_same_person():
    linkage = link_reports([_person("a/2025/x.txt", 2025, "1980-01-01"), _person("a/2024/x.txt", 2024, "1975-05-05")])
    assert linkage.persons == []
    assert [u.file for u in linkage.unlinked if u.reason == "one_year_only"] == ["a/2024/x.txt"]


def test_reports_without_a_unit_in_the_header_are_grouped_by_folder():
    linkage = link_reports(
        [_person("b/2025/x.txt", 2025, None, unit=None, folder="b"), _person("b/2024/x.txt", 2024, None, None, "b")]
    )
    assert [u.basis for u in linkage.units] == ["folder"]
    assert len(linkage.persons) == 1 and not linkage.persons[0].by_birth


def test_a_folder_of_two_units_is_split_by_header():
    linkage = link_reports(
        [
            _person("d/2025/x.txt", 2025, None, unit="thon dong", folder="d"),
            _person("d/2025/y.txt", 2025, None, unit="thon tay", folder="d"),
        ]
    )
    assert sorted(u.key for u in linkage.units) == ["thon dong", "thon tay"]
    assert {u.basis for u in linkage.units} == {"header"}


def _member(file: str, name: str, unit: str, *, role: str = "leader", parent: str | None = None, **extra) -> Identity:
    return Identity(
        file=file,
        role=role,
        form="01" if role == "collective" else "2A",
        year=2025,
        name=None if role == "collective" else name,
        key=None if role == "collective" else name.casefold(),
        unit_key=unit,
        parent_key=parent,
        **{"folder": "dang-bo", "unit_name": unit, **extra},
    )


def test_chi_bo_without_collective_is_attached_to_the_dang_bo_above_it():
    collective = _member("dang-bo/tap-the.txt", "", "cong ty song da", role="collective", parent="tinh y")
    secretary = _member(
        "dang-bo/a.txt", "Lê Văn An", "phong ky thuat", parent="cong ty song da",
        posts=["bi_thu", "truong_phong"], head=True, head_level="branch",
    )  # fmt: skip
    chairman = _member(
        "dang-bo/b.txt", "Trần Thị Bình", "van phong", parent="cong ty song da",
        posts=["bi_thu"], head=True, head_level="committee",
    )  # fmt: skip
    own_unit = _member("other/c.txt", "Phan Văn Cư", "phong ban hang", parent="cong ty song da")
    own_collective = _member("other/t.txt", "", "phong ban hang", role="collective", parent="cong ty song da")
    linkage = link_reports([collective, secretary, chairman, own_unit, own_collective])
    units = {u.key: u for u in linkage.units}
    assert set(units) == {"cong ty song da", "phong ban hang"}
    dang_bo = units["cong ty song da"]
    assert dang_bo.basis == "parent" and dang_bo.collective == "dang-bo/tap-the.txt"
    assert sorted(dang_bo.individuals) == ["dang-bo/a.txt", "dang-bo/b.txt"]
    by_file = {i.file: i for i in linkage.identities}
    assert not by_file["dang-bo/a.txt"].head and by_file["dang-bo/a.txt"].posts == ["bi_thu_chi_bo", "truong_phong"]
    assert by_file["dang-bo/b.txt"].head and by_file["dang-bo/b.txt"].posts == ["bi_thu"]
    assert units["phong ban hang"].collective == "other/t.txt"  # a chi bộ with its own report stays its own unit
    assert not any(u.reason == "no_collective" for u in linkage.unlinked)


def test_chi_bo_of_another_dang_bo_is_not_attached():
    collective = _member("dang-bo/tap-the.txt", "", "cong ty song da", role="collective")
    stranger = _member("x/a.txt", "Lê Văn An", "thon dong", parent="xa binh minh", posts=["bi_thu"], head=True)
    linkage = link_reports([collective, stranger])
    assert {(u.file, u.reason) for u in linkage.unlinked} == {("x/a.txt", "no_collective")}


def test_a_writer_who_changed_unit_is_linked_by_name_and_birth():
    this_year = _person("new/2025/x.txt", 2025, "1981-04-14", unit="phong ky thuat", folder="new")
    last_year = _person("old/2024/x.txt", 2024, "1981-04-14", unit="ban du an", folder="old")
    namesake = _person("old/2024/y.txt", 2024, None, unit="ban du an", folder="old")
    linkage = link_reports([this_year, last_year])
    assert [(p.previous, p.current, p.by_birth) for p in linkage.persons] == [
        ("old/2024/x.txt", "new/2025/x.txt", True)
    ]
    assert {(u.file, u.reason) for u in linkage.unlinked} == {("new/2025/x.txt", "no_collective")}
    linkage = link_reports([this_year, namesake])  # across units, a name without a date of birth is not enough
    assert linkage.persons == [] and ("old/2024/y.txt", "one_year_only") in {
        (u.file, u.reason) for u in linkage.unlinked
    }


def test_unit_names_written_with_initials_are_one_unit():
    from nlp.cross.link import same_unit

    assert same_unit("htx dich vu nong nghiep khe son", "hop tac xa dvnn khe son")
    assert same_unit("benh vien dkkv lam dien", "benh vien da khoa khu vuc lam dien")
    assert not same_unit("htx dich vu nong nghiep khe son", "htx dich vu nong nghiep khe thuong")
    assert not same_unit("thon dong", "thon tay")


def test_a_folder_s_reports_without_a_unit_of_their_own_join_its_only_collective_report():
    collective = _member("dang-bo/tap-the.txt", "", "benh vien lam dien", role="collective")
    collective = collective.model_copy(update={"unit_name": "Đảng bộ Bệnh viện Lâm Điền"})
    head_of_ward = _member(
        "dang-bo/a.txt",
        "Hồ Sỹ Tuấn",
        "khoi ngoai",
        posts=["bi_thu", "truong_phong"],
        head=True,
        head_level="branch",
    )  # fmt: skip  (a chi bộ whose header names no đảng bộ above it)
    linkage = link_reports([collective, head_of_ward])
    assert [(u.key, u.basis, sorted(u.individuals)) for u in linkage.units] == [
        ("benh vien lam dien", "folder", ["dang-bo/a.txt"])
    ]
    tuan = next(i for i in linkage.identities if i.file == "dang-bo/a.txt")
    assert not tuan.head and tuan.posts[0] == "bi_thu_chi_bo"  # a chi bộ's secretary inside the đảng bộ
    # in a chi bộ's own folder, a differently written header is the same unit: its secretary stays the head
    chi_bo = collective.model_copy(update={"unit_name": "Chi bộ Bệnh viện Lâm Điền"})
    secretary = _member("dang-bo/b.txt", "Lê An", "bv lam dien xyz", posts=["bi_thu"], head=True, head_level="branch")
    linkage = link_reports([chi_bo, secretary])
    assert next(i for i in linkage.identities if i.file == "dang-bo/b.txt").head


def test_a_chi_bo_whose_header_names_the_dang_bo_by_its_old_name_joins_the_folder_s_collective_report():
    from nlp.cross.link import _renamed_alike

    assert _renamed_alike("truong cao dang nghe tay hoa", "truong cao dang kinh te ki thuat tay hoa")
    assert not _renamed_alike("xa tan phu", "phuong tan phu")
    assert not _renamed_alike("truong cao dang nghe tay hoa", "truong cao dang nghe dong son")
    collective = _member("dang-bo/tap-the.txt", "", "truong cao dang kinh te ki thuat tay hoa", role="collective")
    collective = collective.model_copy(update={"unit_name": "Đảng bộ Trường Cao đẳng Kinh tế – Kỹ thuật Tây Hòa"})
    dean = _member("dang-bo/k.txt", "Phạm Thị Nhung", "khoa kinh te du lich", parent="truong cao dang nghe tay hoa")
    dean = dean.model_copy(update={"posts": ["bi_thu", "truong_phong"], "head": True, "head_level": "branch"})
    linkage = link_reports([collective, dean])
    assert [sorted(u.individuals) for u in linkage.units] == [["dang-bo/k.txt"]]


def test_a_chi_bo_written_with_abbreviations_in_one_folder_is_the_collective_report_s():
    collective = _member(
        "dang-bo/tap-the.txt", "", "trung tam van hoa the thao", role="collective", parent="xa thuong kieu"
    )
    short = _member("dang-bo/a.txt", "Khổng Thị Duyên", "trung tam vhtt va tt", parent="xa thuong kieu")
    other = _member("dang-bo/b.txt", "Lê Văn Tâm", "tram y te xa", parent="xa thuong kieu")
    linkage = link_reports([collective, short, other])
    joined = next(u for u in linkage.units if u.collective)
    assert joined.individuals == ["dang-bo/a.txt"]


def test_unit_names_that_differ_by_level_words_spacing_or_abbreviations_are_one_unit():
    from nlp.cross.identity import unit_key
    from nlp.cross.link import same_unit

    assert same_unit("buon eabrang", "buon ea brang")
    old = unit_key("Chi nhánh Văn phòng Đăng ký đất đai huyện Châu Điền")
    new = unit_key("CN VPĐKĐĐ khu vực Châu Điền")
    assert same_unit(old, new)
    assert not same_unit("xa tan phu", "phuong tan phu")


def test_a_header_that_names_the_writer_s_own_unit_twice_names_no_other_dang_bo():
    collective = _member("dang-bo/tap-the.txt", "", "cong ty thuy loi ha quang", role="collective")
    collective = collective.model_copy(update={"unit_name": "Đảng bộ Công ty thủy lợi Hạ Quảng"})
    worker = _member(
        "dang-bo/t.txt", "Lò Văn Tính", "chi bo xi nghiep thuy loi dong coi", parent="xi nghiep thuy loi dong coi"
    )
    linkage = link_reports([collective, worker])
    assert [sorted(u.individuals) for u in linkage.units] == [["dang-bo/t.txt"]]


def _in(folder: str, name: str, unit: str, parent: str | None, role: str = "leader") -> Identity:
    return Identity(
        file=f"{folder}/2025/{name}.txt",
        role=role,
        form="01" if role == "collective" else "2A",
        year=2025,
        name=None if role == "collective" else name,
        key=None if role == "collective" else name,
        unit_name=unit,
        unit_key=unit,
        parent_key=parent,
        folder=folder,
    )


def test_a_kind_of_unit_named_alike_in_two_folders_is_two_units():
    """ "Chi bộ Trạm Y tế" of two communes, "Chi bộ Khối Điều trị" of two hospitals: each stays with its folder."""
    linkage = link_reports(
        [
            _in("hoa-khanh", "tap-the", "tram y te", "xa hoa khanh", "collective"),
            _in("hoa-khanh", "an", "tram y te", "xa hoa khanh"),
            _in("dong-khe", "tap-the", "tram y te xa dong khe", "xa dong khe", "collective"),
            _in("dong-khe", "binh", "tram y te xa dong khe", "xa dong khe"),
            _in("song-khoang", "chi", "khoi dieu tri", None),
            _in("bac-nghi", "dung", "khoi dieu tri", None),
        ]
    )
    folders = [{f.split("/")[0] for f in [u.collective, *u.individuals] if f} for u in linkage.units]
    assert sorted(map(sorted, folders)) == [["bac-nghi"], ["dong-khe"], ["hoa-khanh"], ["song-khoang"]]


def test_one_unit_named_in_two_folders_is_still_joined():
    linkage = link_reports(
        [
            _in("tap-the", "tap-the", "tram y te xa dong khe", "xa dong khe", "collective"),
            _in("ca-nhan", "binh", "tram y te", "xa dong khe"),
            _in("ca-nhan-2", "chi", "tram y te xa dong khe", None),
        ]
    )
    assert len(linkage.units) == 1 and len(linkage.units[0].individuals) == 2


def test_last_year_s_collective_report_under_an_older_name_joins_this_year_s_unit():
    old = _in("phu-nham", "tap-the-2024", "cong ti co phan van tai o to phu nham", None, "collective")
    old = old.model_copy(update={"file": "phu-nham/2024/tap-the.txt", "year": 2024})
    linkage = link_reports(
        [
            _in("phu-nham", "tap-the", "cong ti co phan van tai hanh khach phu nham", None, "collective"),
            _in("phu-nham", "an", "cong ti co phan van tai hanh khach phu nham", None),
            old,
        ]
    )
    assert len(linkage.units) == 1 and linkage.units[0].previous_collective == "phu-nham/2024/tap-the.txt"


def test_a_member_writing_the_unit_s_older_name_under_the_same_body_joins_its_folder():
    collective = _in("bao-tang", "tap-the", "bao tang tinh kim dai", "so van hoa", "collective")
    linkage = link_reports(
        [
            collective,
            _in("bao-tang", "an", "bao tang tinh kim dai", "so van hoa"),
            _in("bao-tang", "hau", "bao tang tong hop tinh", "so van hoa"),  # the chi bộ's name before the merger
        ]
    )
    assert len(linkage.units) == 1 and len(linkage.units[0].individuals) == 2


def test_a_chi_bo_van_phong_is_not_attached_to_another_folder_s_unit_by_a_kind_of_name():
    land = _in("dat-dai", "tap-the", "chi nhanh van phong dang ki dat dai chau dien", None, "collective")
    office = _in("xo-so", "an", "chi bo van phong", "van phong")  # "Chi bộ Văn phòng" of a lottery company
    company = _in("mia-duong", "binh", "to may", "cong ti co phan mia duong tan que")
    generic = _in("moi-truong", "tap-the", "cong ti co phan", None, "collective")  # a collective cut at "Công ty CP"
    linkage = link_reports([land, office, company, generic])
    for unit in linkage.units:
        assert len({f.split("/")[0] for f in [unit.collective, *unit.individuals] if f}) == 1


def test_groups_are_compared_only_when_they_share_a_proper_name_word():
    """Joining folders grows with the reports of a unit, not with all pairs of the district: a group is compared only
    with groups that share a word of its name that is not a kind of unit (or, for a name of kind words only, of the
    body above it)."""
    from nlp.cross.link import _tokens

    named = _tokens("tram y te xa dong khe", [])
    bare = _tokens("tram y te", [_in("a", "x", "tram y te", "xa dong khe")])
    other = _tokens("tram y te xa hoa khanh", [])
    assert {"dong", "khe"} <= named and {"dong", "khe"} <= bare
    assert not (named - {w for w in named if w.startswith("=")}) & other


def test_a_body_above_named_only_by_its_kind_joins_no_two_folders():
    """ "Chi bộ Văn phòng Công ty" under "Đảng bộ Công ty TNHH một thành viên" (no proper name) in one folder and under
    a rubber company in another are two units."""
    one = _member(
        "thuy-loi/a.txt",
        "Ninh Thị Duyên",
        "van phong cong ti",
        parent="cong ti trach nhiem huu han mot thanh vien",
        folder="thuy-loi",
    )
    two = _member(
        "cao-su/b.txt",
        "Vũ Đức Thạo",
        "van phong cong ti",
        parent="cong ti trach nhiem huu han mot thanh vien cao su krong dinh",
        folder="cao-su",
    )
    linkage = link_reports([one, two])
    assert len([u for u in linkage.units if u.individuals]) == 2


def test_an_abbreviation_with_two_readings_joins_the_unit_of_its_folder():
    """ "CHI BỘ P. KINH TẾ" reads "phường" first; in a folder of "Chi bộ Phòng Kinh tế" it is the phòng."""
    from nlp.cross.identity import unit_key

    collective = _member(
        "kinh-te/tap-the.txt", "", unit_key("Phòng Kinh tế"), role="collective", unit_name="Phòng Kinh tế"
    )
    head = _member(
        "kinh-te/a.txt",
        "Thân Văn Lực",
        unit_key("Phòng Kinh tế xã"),
        unit_name="Phòng Kinh tế xã",
        parent="xa quynh lac son",
    )
    short = _member(
        "kinh-te/b.txt", "Văn Thị Hảo", unit_key("P. Kinh tế"), unit_name="P. Kinh tế", parent="xa quynh lac son"
    )
    assert short.unit_key == "phuong kinh te"
    units = [u for u in link_reports([collective, short, head]).units if u.collective]
    assert len(units) == 1 and set(units[0].individuals) == {"kinh-te/a.txt", "kinh-te/b.txt"}


def test_a_writer_naming_the_unit_by_an_unknown_abbreviation_under_the_same_body_joins_its_folder():
    """ "Chi bộ CDC Dân Linh" beside the collective report's "Chi bộ Trung tâm Kiểm soát bệnh tật" (no list reads it),
    the same Sở above: the same unit. A whole sibling chi bộ of the same đảng bộ that sent no collective report stays
    out."""
    unit = [
        _in("cdc", "tap-the", "trung tam kiem soat benh tat", "so y te tinh dan linh", "collective"),
        _in("cdc", "an", "trung tam kiem soat benh tat dan linh", "so y te dan linh"),
        _in("cdc", "binh", "trung tam kiem soat benh tat", "so y te dan linh"),
    ]
    stray = _in("cdc", "loi", "cdc dan linh", "so y te dan linh")
    linkage = link_reports([*unit, stray])
    assert len(linkage.units) == 1 and stray.file in linkage.units[0].individuals
    siblings = [_in("cdc", n, "ban bao ve suc khoe can bo", "so y te dan linh") for n in ("c", "d", "e")]
    linkage = link_reports([*unit, *siblings])
    checked = next(u for u in linkage.units if u.collective == "cdc/2025/tap-the.txt")
    assert all(s.file not in checked.individuals for s in siblings)


def test_writers_naming_the_unit_by_a_brand_join_their_folder_s_collective_report():
    full = "ngan hang nong nghiep va phat trien nong thon chi nhanh khu vuc con van"
    parent = "ngan hang nong nghiep va phat trien nong thon chi nhanh tinh tra phong"
    brand = [_in("nh", n, "agribank chi nhanh khu vuc con van", "agribank chi nhanh tinh tra phong") for n in "abc"]
    linkage = link_reports([_in("nh", "tap-the", full, parent, "collective"), *brand])
    assert len(linkage.units) == 1 and len(linkage.units[0].individuals) == 3
