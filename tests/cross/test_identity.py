"""Who wrote a report: name key, date of birth, posts and their areas, unit."""

from __future__ import annotations

from nlp import analyze
from nlp.cross.config import posts as all_posts
from nlp.cross.identity import (
    _header_bodies,
    assigned_areas,
    birth_date,
    find_posts,
    head_level,
    identify,
    name_key,
    sub_unit_heads,
    unit_folder,
    unit_key,
    with_fields,
    within_parent,
)
from nlp.cross.records import Identity


def test_name_key_ignores_case_and_prefix():
    assert name_key("Đ/c Hoàng Văn Quý") == name_key("HOÀNG VĂN QUÝ") == name_key("đồng chí  Hoàng  Văn Quý")
    assert name_key("Hoàng Văn Quý") != name_key("Hoàng Văn Quy")
    assert name_key(None) is None


def test_birth_date_full_or_year():
    assert birth_date("Họ và tên: A\nNgày sinh: 14/3/1971\n") == "1971-03-14"
    assert birth_date("Họ và tên: A\nNăm sinh: 1966\n") == "1966"
    assert birth_date("Họ và tên: A   Ngày sinh: 02-11-1980\n") == "1980-11-02"
    assert birth_date("Họ và tên: A\n") is None


def test_posts_deputies_are_not_heads():
    posts, _ = find_posts("Phó Bí thư chi bộ", "Trưởng thôn Đồng Lạc")
    assert posts == ["pho_bi_thu", "truong_thon"]
    posts, _ = find_posts("Bí thư chi bộ", "Trưởng ban công tác Mặt trận thôn")
    assert posts == ["bi_thu", "mat_tran"]


def test_posts_name_their_own_areas_and_skip_non_posts():
    posts, areas = find_posts("Đảng viên", "Giáo viên Vật lý, Tổ trưởng tổ Khoa học tự nhiên")
    assert posts == ["to_truong"] and "to khoa hoc tu nhien" in areas
    _, areas = find_posts("Chi ủy viên", "Phó Trạm trưởng, phụ trách y tế dự phòng")
    assert "y te du phong" in areas
    assert find_posts("Đảng viên", "Giáo viên Ngữ văn, chủ nhiệm lớp 7A") == ([], [])
    assert find_posts("Đảng viên", "Nghỉ hưu (nguyên Chủ tịch Ủy ban nhân dân xã)") == ([], [])


def test_unit_key_and_folder():
    assert unit_key("CHI BỘ THÔN ĐỒNG LẠC") == unit_key("Chi bộ thôn Đồng Lạc") == "thon dong lac"
    assert unit_folder("huyen/dong-lac/2025/a.txt") == "huyen/dong-lac"


def test_identify_reads_the_header(tree_reports):
    by_path = {r.path: r for r in tree_reports}
    quy = identify("dong-lac/2025/hoang-van-quy.txt", by_path["dong-lac/2025/hoang-van-quy.txt"].result)
    assert (quy.key, quy.birth, quy.year, quy.head, quy.unit_key) == (
        "hoàng văn quý",
        "1971-03-14",
        2025,
        True,
        "thon dong lac",
    )
    collective = identify("dong-lac/2025/tap-the.txt", by_path["dong-lac/2025/tap-the.txt"].result)
    assert collective.role == "collective" and collective.key is None and collective.unit_key == "thon dong lac"
    loc = identify("dong-lac/2025/dinh-van-loc.txt", by_path["dong-lac/2025/dinh-van-loc.txt"].result)
    assert loc.posts == [] and not loc.head


def test_unit_key_writes_out_abbreviations():
    assert unit_key("ĐẢNG BỘ CTY CP CẤP NƯỚC SÔNG ĐÀ") == unit_key("Đảng bộ Công ty cổ phần Cấp nước Sông Đà")


def test_head_level_of_party_and_management_posts():
    assert head_level("Bí thư Đảng ủy Công ty, Chủ tịch HĐQT") == "committee"
    assert head_level("Bí thư Chi bộ Phòng Kế hoạch") == "branch"
    assert head_level("Đảng ủy viên", "Giám đốc Xí nghiệp Nước sạch số 2") == "branch"
    assert head_level("Đảng viên", "Tổng Giám đốc") == "committee"
    assert head_level("Bí thư") == "own"
    assert head_level("Phó Bí thư Đảng ủy") is None


def test_identify_reads_the_chi_bo_and_the_dang_bo_above_it():
    text = (
        "ĐẢNG BỘ CTY CP CẤP NƯỚC SÔNG ĐÀ            ĐẢNG CỘNG SẢN VIỆT NAM\n"
        "CHI BỘ PHÒNG KẾ TOÁN\n\n"
        "BẢN KIỂM ĐIỂM CÁ NHÂN\nNăm 2025\n\n"
        "Họ và tên: Đào Minh Khuê\nNgày sinh: 02/5/1979\n"
        "Chức vụ Đảng: Bí thư Chi bộ, Đảng ủy viên\nChức vụ chính quyền: Kế toán trưởng\n"
        "Đơn vị công tác: Phòng Kế toán\n\n"
        "I. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC\nTôi hoàn thành việc quyết toán năm 2025 trước ngày 15/3.\n"
    )
    identity = identify("cap-nuoc/khue.txt", analyze(text))
    assert identity.unit_key == "phong ke toan"
    assert identity.parent_key == unit_key("Đảng bộ Công ty cổ phần Cấp nước Sông Đà")
    assert identity.head and identity.head_level == "branch"
    inside = within_parent(identity)
    assert not inside.head and inside.posts[0] == "bi_thu_chi_bo" and "ke_toan" in inside.posts


def test_a_header_pasted_onto_one_line_still_gives_chi_bo_and_dang_bo():
    text = (
        "ĐẢNG BỘ XÃ AN HÒA CHI BỘ THÔN 3 ĐẢNG CỘNG SẢN VIỆT NAM\n\n"
        "BẢN KIỂM ĐIỂM CÁ NHÂN\nNăm 2025\n\nHọ và tên: Lò Văn Sinh\nChức vụ Đảng: Đảng viên\n\n"
        "I. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC\nTôi dự đủ 12 kỳ sinh hoạt chi bộ.\n"
    )
    identity = identify("an-hoa/sinh.txt", analyze(text))
    assert (identity.unit_key, identity.parent_key) == ("thon 3", "xa an hoa")


def test_spellings_and_lists_of_posts():
    assert unit_key("Đảng bộ xã Mĩ Lợi Trung") == unit_key("ĐẢNG BỘ XÃ MỸ LỢI TRUNG")
    posts, _ = find_posts("Ủy viên Ban Thường vụ, Chủ nhiệm Ủy ban Kiểm tra Đảng ủy")  # "Kiểm", not "kiêm"
    assert posts == ["uy_ban_kiem_tra"]
    assert find_posts("Bí thư chi bộ kiêm Trưởng thôn")[0] == ["bi_thu", "truong_thon"]
    # the head of a centre inside a unit, and a head chef, head a part of it
    posts, areas = find_posts("Đảng viên", "Trưởng Trung tâm Khai thác ga")
    assert posts == ["truong_phong"] and "trung tam khai thac ga" in areas
    assert find_posts(None, "Bếp trưởng")[0] == ["truong_phong"]


def _writer(name: str, party: str | None, gov: str | None, unit: str) -> Identity:
    found, areas = find_posts(party, gov)
    return Identity(
        file=f"u/{name}.txt", role="individual", form="2A", year=2025, name=name, key=name_key(name),
        party_post=party, gov_post=gov, posts=found, areas=areas, unit_name=unit, unit_key=unit_key(unit),
        head=any(p.head for p in all_posts() if p.id in found), head_level=head_level(party, gov),
    )  # fmt: skip


def test_the_head_of_a_part_is_not_the_head_of_a_chi_bo_that_spans_the_whole_unit():
    unit = "Chi bộ Bệnh viện Đa khoa huyện Tân Lạc"
    members = [
        _writer("Lê Văn An", "Bí thư chi bộ", "Giám đốc Bệnh viện", unit),
        _writer("Mạc Thị Bình", "Chi ủy viên", "Trưởng khoa Nội", unit),
        _writer("Đào Văn Cư", None, "Trạm trưởng", unit),  # names no part: stays a head
    ]
    director, ward_head, station = sub_unit_heads(members)
    assert director.head and station.head
    assert not ward_head.head and "khoa noi" in ward_head.places
    # in a chi bộ of that very ward, its head is the unit's head
    alone = [_writer("Lê Văn An", "Bí thư chi bộ", None, "Chi bộ Khoa Nội"), ward_head_of("Chi bộ Khoa Nội")]
    assert sub_unit_heads(alone)[1].head
    # alone too (a reviewer's pair check, a unit whose secretary sent no report): the ward's head is no head of the
    # hospital's chi bộ
    assert not sub_unit_heads([members[1]])[0].head


def test_the_office_head_of_a_federation_heads_a_part_whatever_the_province_is_called():
    """The "Chánh Văn phòng Liên đoàn Lao động tỉnh" heads the office, not the federation: "liên đoàn" is no troupe
    (đoàn), and the office's name is no phrase of the unit's even where the province ("Phong Trì") shares a word."""
    unit = "Chi bộ Cơ quan Liên đoàn Lao động tỉnh Phong Trì"
    members = [
        _writer("Hoàng Minh Thuận", "Bí thư chi bộ", "Chủ tịch Liên đoàn Lao động tỉnh", unit),
        _writer("Cù Đình Hậu", "Chi ủy viên", "Chánh Văn phòng Liên đoàn Lao động tỉnh", unit),
    ]
    chair, office = sub_unit_heads(members)
    assert chair.head and not office.head


def ward_head_of(unit: str) -> Identity:
    return _writer("Mạc Thị Bình", "Chi ủy viên", "Trưởng khoa Nội", unit)


def test_a_post_names_the_body_it_heads_and_a_field_the_unit_assigned_is_an_area():
    assert "cong doan" in find_posts(None, "Chủ tịch Công đoàn cơ sở")[1]
    assert "ban thanh tra nhan dan" in find_posts(None, "Trưởng ban Thanh tra nhân dân")[1]
    assert "to toan tin" in find_posts(None, "Tổ trưởng tổ Toán – Tin")[1]
    assert "uy ban kiem tra" in find_posts("Chủ nhiệm Ủy ban Kiểm tra Đảng ủy", None)[1]
    assert not [a for a in find_posts("Bí thư Chi bộ thôn Gò Dầu", None)[1] if a.startswith("chi bo")]
    text = (
        "ĐẢNG BỘ XÃ AN HÒA\nHọ và tên: Lò Văn Sinh\n"
        "Nhiệm vụ được Đảng ủy phân công: theo dõi, chỉ đạo công tác đất đai trên địa bàn xã\n"
        "Năm 2025, tôi được phân công phụ trách công tác chuyển đổi số, cải cách hành chính.\n"
        "Tôi luôn hoàn thành nhiệm vụ được phân công.\n"
    )
    assert assigned_areas(text) == ["dat dai", "chuyen doi so", "cai cach hanh chinh"]


def test_headers_as_the_new_writers_typed_them():
    text = (
        "ĐẢNG BỘ XÃ PHƯỚC LỘC – CHI BỘ TRƯỜNG THPT PHƯỚC LỘC          ĐẢNG CỘNG SẢN VIỆT NAM\n\n"
        "BẢN KIỂM ĐIỂM CÁ NHÂN\nNăm 2025\n\n- Họ và tên: Lâm Thị Bích Ngọc\n- Ngày sinh: 23/9/1980\n"
        "- Chức vụ Đảng: Phó Bí thư Chi bộ\n\nI. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC\nTôi dự đủ 12 kỳ sinh hoạt chi bộ.\n"
    )
    identity = identify("x/ngoc.txt", analyze(text))
    assert (identity.name, identity.birth) == ("Lâm Thị Bích Ngọc", "1980-09-23")
    assert (identity.unit_key, identity.parent_key) == ("truong trung hoc pho thong phuoc loc", "xa phuoc loc")
    abbreviated = (
        "ĐB PHƯỜNG ĐÔNG LÂN                                   ĐẢNG CỘNG SẢN VIỆT NAM\nCB CƠ QUAN PHƯỜNG\n\n"
        "BẢN KIỂM ĐIỂM CÁ NHÂN NĂM 2025\n\nHọ và tên: Đoàn Minh Triết              Cấp bậc: Trung tá\n"
        "Chức vụ Đảng: Đảng ủy viên\n\nI. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC\nTôi dự đủ 12 kỳ sinh hoạt chi bộ.\n"
    )
    identity = identify("x/triet.txt", analyze(abbreviated))
    assert identity.name == "Đoàn Minh Triết"
    assert (identity.unit_key, identity.parent_key) == ("co quan phuong", "phuong dong lan")
    assert unit_key("ĐẢNG BỘ P. ĐÔNG LÂN") == unit_key("Đảng bộ phường Đông Lân")


def test_a_body_s_shorter_name_and_the_areas_of_the_post_it_names():
    _, areas = find_posts(None, "Trưởng khoa Dược; Tổ trưởng Tổ chuyên gia đấu thầu thuốc")
    assert "to chuyen gia dau thau" in areas  # "Tổ chuyên gia đấu thầu" in the collective text
    assert "han dung" in areas  # Khoa Dược: a pharmacist's areas


def test_fields_of_work_cover_their_topics_and_a_listed_assignment_is_read():
    from nlp.cross.identity import assigned_areas, find_posts, with_fields

    _, areas = find_posts("Tổ trưởng Tổ bảo vệ an ninh, trật tự thôn Đông")
    assert "ma tuy" in with_fields(areas) and "ma tuy" not in with_fields(["thu quy"])
    _, areas = find_posts("Chi cục trưởng Chi cục Bảo vệ môi trường")
    assert "chi cuc bao ve moi truong" in areas and "nuoc thai" in with_fields(areas)
    _, areas = find_posts("Chánh Thanh tra Sở Xây dựng")
    assert "thanh tra" in areas
    listed = assigned_areas("- Lĩnh vực được phân công: đất đai; kiểm soát thủ tục hành chính; thủy lợi\n")
    assert listed == ["dat dai", "kiem soat thu tuc hanh chinh", "thuy loi"]
    assert "tram bom" in with_fields(listed)
    _, areas = find_posts("Chi ủy viên", "Trưởng phòng An toàn – Môi trường")  # a factory's safety officer
    assert "tai nan lao dong" in with_fields(areas) and "tai nan lao dong" not in with_fields(["thu quy"])


def test_staff_of_a_body_holds_no_post_and_a_charge_list_and_a_deputy_s_own_field():
    from nlp.cross.identity import find_posts

    assert find_posts(None, "không (công chức Đội Kê khai – Kế toán thuế)") == ([], [])
    found, areas = find_posts(None, "Phó Trưởng Thuế cơ sở 5, phụ trách kiểm tra, quản lý hóa đơn, hoàn thuế")
    assert {"kiem tra", "quan ly hoa don", "hoan thue"} <= set(areas)
    found, areas = find_posts(None, "Phó Hiệu trưởng, phụ trách công tác học sinh, sinh viên và ký túc xá")
    assert found == ["pho_hieu_truong"] and "kiem dinh" not in areas and "cong tac hoc sinh" in areas
    assert "kiem dinh" in find_posts(None, "Phó Hiệu trưởng")[1]


def test_a_deputy_of_a_post_that_names_chief_and_deputy_alike_answers_for_the_field_given():
    """ "Phó Trưởng Công an xã, phụ trách … cư trú, căn cước": the field only, not every police matter (the post's
    pattern reads chief and deputy alike); the chief, and a deputy given no field, keep the post's areas."""
    from nlp.cross.identity import find_posts

    found, areas = find_posts(None, "Phó Trưởng Công an xã, phụ trách quản lý cư trú, cấp căn cước")
    assert found == ["truong_cong_an"] and "cap can cuoc" in areas and "an toan giao thong" not in areas
    assert "an toan giao thong" in find_posts(None, "Trưởng Công an xã, phụ trách chung")[1]
    assert "an toan giao thong" in find_posts(None, "Phó Trưởng Công an xã")[1]


def test_a_field_key_inside_a_longer_one_names_nothing_of_its_own():
    """ "trật tự an toàn giao thông" is traffic safety: the key "trật tự" inside it (public order, with drugs and crime
    among its topics) is not read; "an ninh trật tự" still is public order."""
    from nlp.cross.identity import with_fields

    traffic = with_fields(["trat tu an toan giao thong"])
    assert "tai nan giao thong" in traffic and "ma tuy" not in traffic
    assert "ma tuy" in with_fields(["an ninh trat tu"])


def test_a_chi_bo_inside_a_dang_bo_is_its_secretary_s_place():
    from nlp.cross.identity import _branch_places

    secretary = Identity(file="x", role="leader", form="2A", party_post="Bí thư Chi bộ Quản lý nợ – Kê khai")
    assert _branch_places(secretary) == ["chi bo quan ly no ke khai"]
    assert _branch_places(Identity(file="y", role="leader", form="2A", party_post="Bí thư Chi bộ")) == []


def test_a_post_given_under_cong_tac_doan_the_is_read():
    text = (
        "ĐẢNG BỘ PHƯỜNG AN BÌNH\nCHI BỘ KHU PHỐ 3\nBẢN TỰ KIỂM ĐIỂM ĐẢNG VIÊN NĂM 2025\nHọ và tên: TRẦN VĂN LỘC\n"
        "Công tác đoàn thể: Chi hội trưởng Chi hội Cựu chiến binh khu phố 3\nChi bộ sinh hoạt: Chi bộ khu phố 3\n"
        "1. Ưu điểm\n- Chấp hành tốt chủ trương của Đảng.\n"
    )
    assert identify("x.txt", analyze(text)).posts == ["chi_hoi_truong_ccb"]


def test_a_team_named_after_two_works_and_a_database_is_not_a_qualifier():
    from nlp.cross.identity import find_posts

    _, areas = find_posts(None, "Tổ trưởng Tổ Lưu trữ – Cơ sở dữ liệu")
    assert {"luu tru", "co so du lieu"} <= set(areas)
    assert "cong doan" in find_posts(None, "Chủ tịch Công đoàn cơ sở")[1]


def test_the_date_line_pasted_after_the_chi_bo_is_not_part_of_its_name():
    text = "ĐẢNG BỘ XÃ HÒA KHÁNH\nCHI BỘ TRẠM Y TẾ Hòa Khánh, ngày 12 tháng 12 năm 2024\n\nBẢN KIỂM ĐIỂM CÁ NHÂN\n"
    assert _header_bodies(text) == ["ĐẢNG BỘ XÃ HÒA KHÁNH", "CHI BỘ TRẠM Y TẾ"]


def test_a_post_field_that_says_none_gives_no_post_whatever_its_note():
    assert find_posts("không", "không (cán bộ Công an xã, làm nhiệm vụ trực ban, tuần tra)") == ([], [])
    assert find_posts("Đảng viên", "Cán bộ Công an xã, làm nhiệm vụ tuần tra")[0] == []  # staff of the police
    assert find_posts("Bí thư chi bộ", "Trưởng thôn")[0] == ["bi_thu", "truong_thon"]


def test_project_board_abbreviations_are_written_out():
    assert unit_key("Chi bộ Ban QLDA ĐTXD khu vực Đắc Lũy") == unit_key(
        "Chi bộ Ban Quản lý dự án đầu tư xây dựng khu vực Đắc Lũy"
    )
    assert unit_key("Chi bộ Trung tâm GDNN - GDTX khu vực Đồng Trảng") == unit_key(
        "Chi bộ Trung tâm Giáo dục nghề nghiệp – Giáo dục thường xuyên khu vực Đồng Trảng"
    )


def test_abbreviations_of_several_words_and_a_number_glued_to_one_are_written_out():
    """The short names "CN&TY" and "CN và TY" are one abbreviation of several words; "KV4" is "khu vực 4"; a court, a disease-control
    centre and a market-surveillance team keep their usual short names."""
    full = unit_key("Chi bộ Trạm Chăn nuôi và Thú y khu vực Bản Sen")
    assert unit_key("CHI BỘ TRẠM CN&TY KHU VỰC BẢN SEN") == full
    assert unit_key("Chi bộ Trạm CN và TY KV Bản Sen") == full
    assert unit_key("Chi bộ TAND KV2 - Hà Vân") == unit_key("Chi bộ Tòa án nhân dân khu vực 2 - Hà Vân")
    assert unit_key("CHI BỘ CDC HÀ VÂN") == unit_key("Chi bộ Trung tâm Kiểm soát bệnh tật Hà Vân")
    assert unit_key("Chi bộ Đội QLTT số 3") == unit_key("Chi bộ Đội Quản lý thị trường số 3")
    assert unit_key("Chi bộ Trạm y tế P3") == "tram y te p3"  # one letter and a number: left as written


def test_a_department_head_whose_department_name_holds_a_comma_heads_only_it():
    """The post "Trưởng khoa Phòng, chống bệnh truyền nhiễm" is cut at its comma; the khoa is still a part of the centre whose
    Bí thư and Giám đốc heads the chi bộ."""
    from nlp.cross.identity import sub_unit_heads

    def person(name: str, party: str, gov: str, posts: list[str], head: bool) -> Identity:
        return Identity(file=f"{name}.txt", role="leader", form="2A", name=name, key=name, party_post=party,
                        gov_post=gov, posts=posts, head=head, head_level="branch",
                        unit_key="trung tam kiem soat benh tat")  # fmt: skip

    director = person("a", "Bí thư chi bộ", "Giám đốc Trung tâm", ["bi_thu", "giam_doc"], True)
    ward = person(
        "b", "Chi ủy viên", "Trưởng khoa Phòng, chống bệnh truyền nhiễm", ["chi_uy_vien", "truong_phong"], True
    )
    assert [m.head for m in sub_unit_heads([director, ward])] == [True, False]


def test_the_usual_abbreviations_of_departments_and_schools_are_written_out():
    pairs = [
        ("Đảng bộ Sở NN&PTNT tỉnh Hà Lam", "Đảng bộ Sở Nông nghiệp và Phát triển nông thôn tỉnh Hà Lam"),
        ("Chi bộ Phòng GD&ĐT", "Chi bộ Phòng Giáo dục và Đào tạo"),
        ("Chi bộ Trường PTDTNT THCS&THPT Mường Lò",
         "Chi bộ Trường Phổ thông dân tộc nội trú Trung học cơ sở và Trung học phổ thông Mường Lò"),
        ("Chi bộ BHXH khu vực Ba Tơ", "Chi bộ Bảo hiểm xã hội khu vực Ba Tơ"),
        ("Chi bộ Phòng TN&MT", "Chi bộ Phòng Tài nguyên và Môi trường"),
        ("Chi bộ Agribank Chi nhánh khu vực Đồng Nai Thượng",
         "Chi bộ Ngân hàng Nông nghiệp và Phát triển nông thôn Chi nhánh khu vực Đồng Nai Thượng"),
        ("Chi bộ NHNo&PTNT Chi nhánh khu vực Đồng Nai Thượng",
         "Chi bộ Ngân hàng Nông nghiệp và Phát triển nông thôn Chi nhánh khu vực Đồng Nai Thượng"),
        ("Chi bộ Trường PTDT bán trú TH&THCS Na Hang",
         "Chi bộ Trường Phổ thông dân tộc bán trú Tiểu học và Trung học cơ sở Na Hang"),
        ("Chi bộ BQL VQG Pù Mát", "Chi bộ Ban Quản lý Vườn quốc gia Pù Mát"),
        ("Chi bộ Trung tâm Đăng kiểm XCG 29-01", "Chi bộ Trung tâm Đăng kiểm xe cơ giới 29-01"),
    ]  # fmt: skip
    for short, full in pairs:
        assert unit_key(short) == unit_key(full), short


def test_a_team_leader_is_a_post_holder_and_heads_the_team():
    from nlp.cross.identity import find_posts

    found, areas = find_posts("Đảng viên", "Đội trưởng Đội bảo vệ – cứu hộ")
    assert found == ["truong_phong"] and "cuu ho" in areas
    assert find_posts(None, "Phó Đội trưởng Đội Nghiệp vụ")[0] == ["pho_truong_phong"]


def test_the_fields_listed_after_a_charge_are_split_at_va_and_trimmed():
    from nlp.cross.identity import find_posts

    _, areas = find_posts(None, "Kế toán trưởng, phụ trách công tác tài chính, tài sản và mua sắm của Trạm")
    assert {"tai san", "mua sam"} <= set(areas)


def test_an_administration_and_personnel_office_answers_for_staff_leaving():
    from nlp.cross.identity import find_posts, with_fields

    _, areas = find_posts(None, "Trưởng phòng Tổ chức – Hành chính")
    assert {"nghi viec", "tuyen dung"} <= set(with_fields(areas))


def test_a_job_line_naming_a_clerks_work_and_workplace_gives_no_post():
    """A clerk of the Front's office holds no post: neither "Văn thư – lưu trữ" nor "Văn phòng Khối Mặt trận" is one."""
    from nlp.cross.identity import _other_post_fields, find_posts

    text = "Họ và tên: Lò Thị Mai\nCông việc: Văn thư – lưu trữ, Văn phòng Khối Mặt trận – Đoàn thể xã\n"
    assert find_posts(*_other_post_fields(text)) == ([], [])
    member = "Họ và tên: Lò Văn Tám\nCông việc hiện nay: Chi hội trưởng Chi hội Cựu chiến binh thôn\n"
    assert find_posts(*_other_post_fields(member))[0]


def test_a_numbered_chi_bo_keeps_its_number_when_the_place_and_date_follow_on_its_line():
    from nlp.cross.identity import _without_date_line

    assert _without_date_line("CHI BỘ THÔN 3           Tân Phong, ngày 12 tháng 12 năm 2025") == "CHI BỘ THÔN 3"
    assert _without_date_line("CHI BỘ TRẠM Y TẾ Hòa Khánh, ngày 12 tháng 12 năm 2024") == "CHI BỘ TRẠM Y TẾ"
    assert unit_key("CHI BỘ THÔN 3") != unit_key("CHI BỘ THÔN 4")


def test_a_cashier_holds_no_post_an_accountant_does():
    from nlp.cross.identity import _other_post_fields, find_posts

    cashier = "Họ và tên: Lò Thị Mai\nCông việc: giao dịch viên kiêm thủ quỹ, Phòng Kế toán – Ngân quỹ\n"
    assert find_posts(*_other_post_fields(cashier)) == ([], [])
    assert find_posts(None, "Kế toán kiêm thủ quỹ")[0] == ["ke_toan"]


def test_a_body_s_name_wrapped_onto_the_next_header_line_is_read_whole():
    text = (
        "ĐẢNG BỘ NGÂN HÀNG NÔNG NGHIỆP VÀ PHÁT TRIỂN              ĐẢNG CỘNG SẢN VIỆT NAM\n"
        "NÔNG THÔN CHI NHÁNH TỈNH TRÀ PHONG\n"
        "CHI BỘ NGÂN HÀNG NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN\n"
        "CHI NHÁNH KHU VỰC CỒN VẠN\n"
        "                          Cồn Vạn, ngày 11 tháng 12 năm 2025\n"
        "BÁO CÁO\n"
    )
    assert _header_bodies(text) == [
        "ĐẢNG BỘ NGÂN HÀNG NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN CHI NHÁNH TỈNH TRÀ PHONG",
        "CHI BỘ NGÂN HÀNG NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN CHI NHÁNH KHU VỰC CỒN VẠN",
    ]
    # a title, a number line or a line of stars under the body is no part of its name
    assert _header_bodies("CHI BỘ THÔN ĐÔNG LẠC\nBÁO CÁO KIỂM ĐIỂM\n") == ["CHI BỘ THÔN ĐÔNG LẠC"]
    assert _header_bodies("CHI BỘ THÔN ĐÔNG LẠC\n***\nXÓM MỚI\n") == ["CHI BỘ THÔN ĐÔNG LẠC"]
    assert _header_bodies("CHI BỘ THÔN ĐÔNG LẠC\nSố 12-BC/CB\n") == ["CHI BỘ THÔN ĐÔNG LẠC"]


def test_the_head_of_a_hat_heads_a_part_of_the_unit():
    """A forest-ranger or road-maintenance section (hạt) is a sub-unit: its head holds a head post of a part, and the
    hạt is the body he or she heads."""
    found, areas = find_posts(None, "Hạt trưởng Hạt Quản lý đường bộ số 2 (đường tỉnh 617)")
    assert found == ["truong_phong"] and "hat quan ly duong bo so 2" in areas
    assert not any(a.endswith(("duong bo", "so")) for a in areas)  # "số 2" is no "Sở", and names no other hạt
    assert head_level(None, "Hạt trưởng Hạt Quản lý đường bộ số 2") == "branch"
    assert find_posts(None, "Phó Hạt trưởng Hạt Kiểm lâm")[0] == ["pho_truong_phong"]


def test_a_factory_manager_answers_for_its_lines_and_machines():
    areas = with_fields(find_posts(None, "Quản đốc Nhà máy chế biến chè")[1])
    assert "nha may che bien che" in areas and "day chuyen" in areas and "thiet bi" in areas


def test_deputy_team_leaders_station_masters_and_a_charge_opened_by_cac():
    assert find_posts(None, "Tổ phó Tổ Kiểm soát tàu cá") == (["to_truong"], ["to kiem soat tau ca"])
    assert find_posts(None, "Trưởng ga Quỳ Lăng")[0] == ["truong_phong"]
    assert find_posts(None, "Phó Trưởng ga phụ trách chạy tàu")[0] == ["pho_truong_phong"]  # a deputy, not the head
    assert "ke toan" in assigned_areas("Nhiệm vụ được phân công: các công tác kế toán, tài vụ")  # "các" opens no field


def test_the_head_of_a_farm_or_station_heads_a_part():
    found, areas = find_posts(None, "Trại trưởng Trại giống lúa Cồn Lác")
    assert found == ["truong_phong"] and "trai giong lua con lac" in areas
    assert head_level(None, "Trại trưởng Trại giống lúa Cồn Lác") == "branch"  # not the whole centre's head
    assert head_level(None, "Trưởng ga Quỳ Lăng") == "branch"


def test_a_place_and_date_line_under_the_body_is_no_part_of_its_name():
    text = "CHI BỘ BAN QUẢN LÝ KHU DI TÍCH ĐỀN CẢ - THÀNH Ô RẠCH\n                 Ô Rạch, ngày 05 tháng 12 năm 2025\n"
    assert _header_bodies(text) == ["CHI BỘ BAN QUẢN LÝ KHU DI TÍCH ĐỀN CẢ - THÀNH Ô RẠCH"]


def test_a_workshop_foreman_heads_a_part_and_a_storekeeper_keeps_the_store_he_is_named_after():
    """ "Quản đốc Xưởng sơn" heads the paint workshop, not the company; "thủ kho vật chứng" answers for the exhibits'
    store, not for medicines."""
    from nlp.cross.identity import _sub_units

    foreman = Identity(
        file="q.txt",
        role="member",
        form="2A",
        name="Quách Văn Lũy",
        key="quách văn lũy",
        gov_post="Quản đốc Xưởng sơn",
        posts=["truong_phong"],
        head=True,
        head_level="branch",
        areas=["xuong son"],
    )
    assert _sub_units(foreman) == ["xuong son"]
    found, areas = find_posts(None, "Kế toán, kiêm thủ kho vật chứng")
    assert found == ["ke_toan", "thu_kho"] and "vat chung" in areas and "thuoc" not in areas


def test_a_director_beside_the_unit_s_secretary_is_no_head_of_the_chi_bo_report():
    """ "Phó Bí thư, Giám đốc điều hành" where the Bí thư (head of the administration office) writes too: the chi bộ's
    collective report is the secretary's to answer for; alone in a pair check, the director is still its head."""
    from nlp.cross.identity import secretary_heads

    secretary = Identity(
        file="s.txt", role="leader", form="2A", name="Khổng Thị Diệp", key="khổng thị diệp", year=2025,
        posts=["bi_thu", "truong_phong"], head=True, head_level="branch",
    )  # fmt: skip
    director = Identity(
        file="d.txt", role="leader", form="2A", name="Tăng Quốc Hưng", key="tăng quốc hưng", year=2025,
        posts=["pho_bi_thu", "giam_doc"], head=True, head_level="committee",
    )  # fmt: skip
    kept_secretary, kept_director = secretary_heads([secretary, director])
    assert kept_secretary.head and not kept_director.head and kept_director.posts == ["pho_bi_thu", "giam_doc"]
    assert secretary_heads([director])[0].head


def test_a_board_s_head_and_a_village_head_are_told_apart_by_the_written_marks():
    """ "Trưởng ban" (a board's head) and "Trưởng bản" (a village head) fold to the same letters: the written form
    tells them apart; "Chỉ huy trưởng Ban Chỉ huy Quân sự" heads no board; a troupe's head heads a part of the unit."""
    assert find_posts(None, "Trưởng Ban kiểm soát Quỹ Tín dụng nhân dân Tân Quới")[0] == ["truong_ban"]
    assert head_level(None, "Trưởng Ban kiểm soát Quỹ Tín dụng nhân dân Tân Quới") == "branch"
    assert find_posts(None, "TRƯỞNG BAN QUẢN LÝ DỰ ÁN")[0] == ["truong_ban"]
    assert find_posts(None, "Phó Trưởng ban, phụ trách lễ hội")[0] == ["pho_truong_ban"]
    village, areas = find_posts(None, "Trưởng bản Huổi Lóng")
    assert village == ["truong_ban_lang"] and "giao thong" in areas
    assert find_posts(None, "Chỉ huy trưởng Ban Chỉ huy Quân sự xã")[0] == []
    troupe, troupe_areas = find_posts(None, "Trưởng Đoàn biểu diễn")
    assert troupe == ["truong_phong"] and "doan bieu dien" in troupe_areas
    assert find_posts(None, "Chủ tịch Công đoàn Trường Chính trị tỉnh")[0] != ["truong_phong"]


def test_a_chi_bo_written_with_the_date_line_s_place_is_not_its_own_parent_and_abbreviations_as_written():
    """The header's "Chi bộ Cty CP Khách sạn Ngọc Trà Bến Thóc, ngày …" above the field "Chi bộ: Công ty cổ phần
    Khách sạn Ngọc Trà" is the same chi bộ: the đảng bộ above both is the parent. "TT&BVTV" is read as written when
    the list's "trung tâm" names no unit; a name wrapped onto a line that also holds the date goes on."""
    from nlp.cross.identity import _above, _header_bodies, written_unit_key

    bodies = [
        "Đảng bộ Các doanh nghiệp tỉnh Trà Lĩnh",
        "Chi bộ Cty CP Khách sạn Ngọc Trà Bến Thóc",
        "Chi bộ: Công ty cổ phần Khách sạn Ngọc Trà",
    ]
    assert _above(bodies, 2) == "Đảng bộ Các doanh nghiệp tỉnh Trà Lĩnh"
    assert _above(["ĐẢNG BỘ XÃ AN HÒA", "CHI BỘ THÔN 3"], 1) == "ĐẢNG BỘ XÃ AN HÒA"
    writer = Identity(file="k.txt", role="leader", form="2A", name="Nông Đức Khiêm", key="nông đức khiêm",
                      unit_name="CHI BỘ CHI CỤC TT&BVTV", unit_key=unit_key("CHI BỘ CHI CỤC TT&BVTV"))  # fmt: skip
    assert writer.unit_key == "chi cuc trung tam bvtv" and written_unit_key(writer) == "chi cuc tt bvtv"
    text = "ĐẢNG BỘ ỦY BAN NHÂN DÂN TỈNH HẠ QUẢNG ĐẢNG CỘNG SẢN VIỆT NAM\nĐẢNG BỘ CÔNG TY TNHH MTV KHAI THÁC\nCÔNG TRÌNH THỦY LỢI HẠ QUẢNG Hạ Quảng, ngày 12 tháng 12 năm 2025\n"
    assert _header_bodies(text)[-1] == "ĐẢNG BỘ CÔNG TY TNHH MTV KHAI THÁC CÔNG TRÌNH THỦY LỢI HẠ QUẢNG"
    assert _header_bodies("CHI BỘ BAN QUẢN LÝ KHU DI TÍCH\nÔ Rạch, ngày 05 tháng 12 năm 2025\n") == [
        "CHI BỘ BAN QUẢN LÝ KHU DI TÍCH"
    ]


def test_a_school_s_staff_and_a_post_held_before_are_no_posts():
    """Folded, "giáo viên Trường …" reads "vien truong" (viện trưởng); a remark in brackets names the post held before
    ("trước đó là Giám đốc …"): neither makes the writer a post holder, still less the head."""
    for written in ("Giáo viên Trường Mầm non Hải Thịnh", "Nhân viên Trường Tiểu học Kim Đồng"):
        assert find_posts(None, written)[0] == [] and head_level(written) is None
    deputy = "Phó Giám đốc Công ty (từ tháng 02/2025; trước đó là Giám đốc Xí nghiệp nước Sông Mai)"
    assert find_posts(None, deputy)[0] == ["pho_giam_doc"] and head_level(deputy) is None
    teacher_before = "Phó Hiệu trưởng phụ trách cấp THCS (từ 02/01/2025, trước đó là giáo viên Trường THCS Pha Lướng)"
    assert find_posts("Chi ủy viên", teacher_before)[0] == ["chi_uy_vien", "pho_hieu_truong"]
    assert head_level("Chi ủy viên", teacher_before) is None
    head = "Hiệu trưởng Trường Chính trị tỉnh (từ tháng 3/2025; trước đó là Phó Hiệu trưởng)"
    assert find_posts(None, head)[0] == ["hieu_truong"] and head_level(head) == "own"


def test_a_national_heading_wrapped_onto_the_next_line_is_no_part_of_the_body_s_name():
    """Fixed-width text wrapped at 70 characters cuts the right column's "ĐẢNG CỘNG SẢN VIỆT NAM" after "SẢN"; the
    header block ends at the title, so a sentence of the report that opens a line with "Đảng bộ …" names no body."""
    text = (
        "ĐẢNG BỘ CÔNG TY CỔ PHẦN CẤP NƯỚC BÌNH NGUYÊN ĐẢNG CỘNG SẢN\nVIỆT NAM\nCHI BỘ KẾ TOÁN – KINH DOANH\n"
        "Hạ Lâm, ngày 08 tháng 12\nnăm 2025\nBÁO CÁO KIỂM ĐIỂM\nnăm 2025\n"
        "Đảng bộ Công ty có 71 đảng viên sinh hoạt\n"
    )
    assert _header_bodies(text) == ["ĐẢNG BỘ CÔNG TY CỔ PHẦN CẤP NƯỚC BÌNH NGUYÊN", "CHI BỘ KẾ TOÁN – KINH DOANH"]
    header = analyze(text + "\nI. ƯU ĐIỂM\nTôi dự đủ 12 kỳ sinh hoạt chi bộ.\n").header
    assert (header.unit, header.branch) == (
        "ĐẢNG BỘ CÔNG TY CỔ PHẦN CẤP NƯỚC BÌNH NGUYÊN",
        "CHI BỘ KẾ TOÁN – KINH DOANH",
    )


def test_a_body_s_name_goes_on_past_the_right_column_s_lines_a_wrapped_text_puts_between():
    """Wrapped at 70 characters, the right column's "ĐẢNG CỘNG SẢN VIỆT NAM", date and form number fall onto lines of
    their own between the two lines of a body's name ("… KHAI THÁC⏎VIỆT NAM⏎CÔNG TRÌNH THỦY LỢI HÀ LŨY"), or are cut
    after "ĐẢNG CỘNG": the names are read whole, without them (reports of one unit had been left unlinked)."""
    text = (
        "ĐẢNG BỘ CÔNG TY TNHH MTV KHAI THÁC ĐẢNG CỘNG SẢN\nVIỆT NAM\nCÔNG TRÌNH THỦY LỢI HÀ LŨY\n"
        "CHI BỘ XÍ NGHIỆP KHAI THÁC CÔNG TRÌNH Đồng Nê, ngày 11\ntháng 12 năm 2025\nTHỦY LỢI ĐỒNG NÊ\n"
        "Mẫu 01-HD\nKĐ.ĐG 2025\nBÁO CÁO\n"
    )
    assert _header_bodies(text) == [
        "ĐẢNG BỘ CÔNG TY TNHH MTV KHAI THÁC CÔNG TRÌNH THỦY LỢI HÀ LŨY",
        "CHI BỘ XÍ NGHIỆP KHAI THÁC CÔNG TRÌNH THỦY LỢI ĐỒNG NÊ",
    ]
    cut = "ĐẢNG BỘ CÔNG TY TNHH MTV KTCT THỦY LỢI HÀ LŨY ĐẢNG CỘNG\nSẢN VIỆT NAM\nCHI BỘ XÍ NGHIỆP ĐỒNG NÊ\nBÁO CÁO\n"
    assert _header_bodies(cut) == ["ĐẢNG BỘ CÔNG TY TNHH MTV KTCT THỦY LỢI HÀ LŨY", "CHI BỘ XÍ NGHIỆP ĐỒNG NÊ"]


def test_a_header_pasted_as_one_line_gives_the_chi_bo_written_in_small_letters_after_the_national_heading():
    text = (
        "ĐẢNG BỘ CÔNG TY CP CẤP NƯỚC AN PHÚ ĐẢNG CỘNG SẢN VIỆT NAM Chi bộ Kỹ thuật - Sản xuất Tân An, ngày 06 tháng 12 "
        "năm 2025 BẢN KIỂM ĐIỂM CÁ NHÂN Năm 2025 Họ và tên: Lò Văn Sinh Chức vụ Đảng: Bí thư chi bộ"
    )
    bodies = _header_bodies(text)
    assert bodies[0] == "ĐẢNG BỘ CÔNG TY CP CẤP NƯỚC AN PHÚ" and bodies[1].startswith("Chi bộ Kỹ thuật - Sản xuất")


def test_a_place_whose_name_ends_in_a_unit_type_word_is_still_the_writer_s_place():
    """ "Bí thư Chi bộ khu phố Bàu Tràm": "Tràm" folds to "tram" (a trạm), but the name follows "khu phố"; the place
    is "khu pho bau tram", so a đảng bộ shortcoming placed "ở khu phố Bàu Tràm" is the secretary's."""
    from nlp.cross.identity import _branch_places

    secretary = Identity(
        file="x",
        role="leader",
        form="2A",
        party_post="Bí thư Chi bộ khu phố Bàu Tràm",
        gov_post="Trưởng khu phố Bàu Tràm",
    )
    assert _branch_places(secretary) == ["khu pho bau tram"]
    station = Identity(file="y", role="leader", form="2A", party_post="Bí thư Chi bộ Trạm Y tế xã Tân Lợi")
    assert _branch_places(station) == ["tram y te xa tan loi"]
