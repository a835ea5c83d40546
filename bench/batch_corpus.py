"""Generate a district's worth of varied, invented self-critique reports for batch tests and benchmarks.

Reports are composed section by section from many alternative sentences (specific ones with numbers,
dates and named tasks; stock ones that are generic or evasive), with slot values drawn at random, so that
no two reports are alike unless one is planted as a copy. All names and facts are invented.

    python bench/batch_corpus.py OUT_DIR -n 1000 [--seed 7] [--broken] [--copies 20]

``build_tree`` also returns a manifest of what each file should give (a result, an error code, a skip),
and the planted copy groups, for the tests in ``tests/batch/``.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

# ---------------------------------------------------------------------------------------------- names

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Phan",
    "Trịnh",
    "Đinh",
    "Lương",
    "Mai",
    "Tạ",
    "Cao",
    "Lại",
    "Hà",
    "Đoàn",
    "Kiều",
    "Quách",
]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thanh", "Hữu", "Quốc", "Ngọc", "Xuân", "Thu", "Kim", "Công", "Đình", "Bảo"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hòa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Nghĩa",
    "Phong",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thắng",
    "Thủy",
    "Tiến",
    "Trang",
    "Trung",
    "Tuấn",
    "Vân",
    "Việt",
    "Yến",
    "Lộc",
    "Đạt",
    "Hậu",
    "Khoa",
    "Loan",
]
PLACES = [
    "An Phú",
    "Bình Minh",
    "Cẩm Hà",
    "Đông Sơn",
    "Hòa Lạc",
    "Hưng Lợi",
    "Kim Liên",
    "Lạc Sơn",
    "Mỹ Đức",
    "Nghĩa Trung",
    "Phú Xuân",
    "Quảng Tân",
    "Sơn Thủy",
    "Tân Lập",
    "Thạch Bàn",
    "Thủy An",
    "Tiên Lãng",
    "Trung Hòa",
    "Vĩnh Phúc",
    "Xuân Lâm",
    "Yên Thịnh",
    "Đồng Tâm",
    "Hồng Phong",
    "Phước Hưng",
]
HAMLETS = [
    "Đông",
    "Tây",
    "Nam",
    "Bắc",
    "Trung",
    "Thượng",
    "Hạ",
    "Bãi Cả",
    "Gò Mít",
    "Bàu Sen",
    "Đồng Chùa",
    "Cây Đa",
    "Rộc",
    "Mới",
    "Tân Tiến",
    "Phú Lộc",
    "1",
    "2",
    "3",
    "4",
    "5",
    "6",
]
TASKS = [
    "hồ sơ cấp giấy chứng nhận quyền sử dụng đất",
    "sổ theo dõi đảng viên",
    "chương trình nông thôn mới",
    "dự án đường liên thôn",
    "công tác phổ cập giáo dục",
    "chi trả trợ cấp người có công",
    "hồ sơ hộ nghèo",
    "kế hoạch tiêm chủng mở rộng",
    "thu ngân sách xã",
    "quản lý trật tự xây dựng",
    "giải ngân vốn đầu tư công",
    "đề án chuyển đổi số",
    "hồ sơ bảo hiểm y tế học sinh",
    "kiểm kê đất công",
    "quỹ khuyến học",
    "hồ sơ kết nạp đảng viên",
    "báo cáo thống kê quý",
    "phần mềm quản lý văn bản",
    "công tác dân vận",
    "vệ sinh an toàn thực phẩm",
    "phòng chống thiên tai",
    "thu hồi công nợ vật tư",
    "sổ kế toán quỹ",
    "đề án trồng rừng",
    "tuyên truyền an toàn giao thông",
    "kế hoạch kiểm tra, giám sát",
    "hồ sơ địa chính",
    "cấp nước sinh hoạt",
    "duy tu kênh mương nội đồng",
    "cấp căn cước cho người dân",
]
DOCS = ["05-NQ/ĐU", "12-KH/CB", "21-HD/BTCTW", "03-CT/HU", "17-QĐ/UBND", "08-KH/ĐUK", "44-BC/CB", "09-NQ/CB"]
MONTHS = list(range(1, 13))


def _name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


# ---------------------------------------------------------------------------------------------- units


@dataclass
class Unit:
    """One chi bộ (a folder) and the đảng bộ above it."""

    party: str  # đảng bộ folder
    cell: str  # chi bộ folder
    kind: str  # expected unit kind id
    place: str
    workplace: str
    posts: list[str]  # government posts of its members
    heads: list[str]  # leader posts


def make_units(rng: random.Random, count: int) -> list[Unit]:
    """``count`` chi bộ of varied kinds under a few đảng bộ."""
    units: list[Unit] = []
    for i in range(count):
        place = PLACES[i % len(PLACES)]
        variant = i % 7
        if variant in (0, 1):
            hamlet = HAMLETS[(i // 7) % len(HAMLETS)]
            units.append(
                Unit(
                    f"Đảng bộ xã {place}",
                    f"Chi bộ thôn {hamlet}",
                    "residential",
                    place,
                    f"Thôn {hamlet}, xã {place}",
                    ["Trưởng thôn", "Công an viên", "Nông dân", "Hội viên Hội Nông dân", "Giáo viên nghỉ hưu"],
                    ["Bí thư chi bộ, Trưởng thôn"],
                )
            )
        elif variant == 2:
            units.append(
                Unit(
                    f"Đảng bộ xã {place}",
                    f"Chi bộ Trường THCS {place}",
                    "school",
                    place,
                    f"Trường THCS {place}",
                    ["Giáo viên", "Tổ trưởng chuyên môn", "Kế toán", "Nhân viên thư viện"],
                    ["Bí thư chi bộ, Hiệu trưởng", "Phó Hiệu trưởng"],
                )
            )
        elif variant == 3:
            units.append(
                Unit(
                    f"Đảng bộ phường {place}",
                    f"Chi bộ khu phố {HAMLETS[(i // 7) % len(HAMLETS)]}",
                    "residential",
                    place,
                    f"Phường {place}",
                    ["Tổ trưởng dân phố", "Cán bộ hưu trí", "Kinh doanh"],
                    ["Bí thư chi bộ, Trưởng khu phố"],
                )
            )
        elif variant == 4:
            units.append(
                Unit(
                    "Đảng bộ Bệnh viện đa khoa huyện",
                    f"Chi bộ Khoa {rng.choice(['Nội', 'Ngoại', 'Nhi', 'Sản', 'Dược'])} {i}",
                    "health",
                    place,
                    "Bệnh viện đa khoa huyện",
                    ["Bác sĩ", "Điều dưỡng", "Dược sĩ", "Kỹ thuật viên"],
                    ["Bí thư chi bộ, Trưởng khoa", "Phó Trưởng khoa"],
                )
            )
        elif variant == 5:
            units.append(
                Unit(
                    "Đảng bộ Khối doanh nghiệp",
                    f"Chi bộ Công ty cổ phần {place}",
                    "enterprise",
                    place,
                    f"Công ty cổ phần {place}",
                    ["Kế toán", "Kỹ sư", "Công nhân", "Nhân viên kinh doanh"],
                    ["Bí thư chi bộ, Giám đốc", "Phó Giám đốc"],
                )
            )
        else:
            office = rng.choice(
                [
                    "Phòng Tài chính - Kế hoạch",
                    "Phòng Nội vụ",
                    "Văn phòng HĐND và UBND huyện",
                    "Ban Tuyên giáo Huyện ủy",
                    "Phòng Tài nguyên và Môi trường",
                ]
            )
            units.append(
                Unit(
                    "Đảng bộ Khối cơ quan huyện",
                    f"Chi bộ {office} {i}",
                    "district_office",
                    place,
                    office,
                    ["Chuyên viên", "Kế toán", "Văn thư"],
                    ["Bí thư chi bộ, Trưởng phòng", "Phó Trưởng phòng"],
                )
            )
    return units


# ---------------------------------------------------------------------------------------------- sentences
# Slots: {n} {m} {k} small numbers, {money} amount, {month}, {day}, {year}, {next}, {task}, {task2}, {doc},
# {place}, {hamlet}, {person}, {post}.

IDEOLOGY_SPECIFIC = [
    "Dự đủ {k}/12 kỳ sinh hoạt chi bộ năm {year}; kỳ tháng {month} tôi đề xuất việc rà soát {task}, được ghi vào nghị quyết.",
    "Tôi kê khai tài sản, thu nhập ngày {day}/{month}/{year}, đúng hạn; không vi phạm những điều đảng viên không được làm.",
    "Học tập nghị quyết {doc} ngày {day}/{month}, viết thu hoạch đạt loại khá và xây dựng kế hoạch làm theo về {task}.",
    "Trong năm tôi tham gia {n} buổi tiếp dân tại {place}, ghi nhận {m} ý kiến và chuyển xử lý đủ {m} ý kiến.",
    "Thực hiện nêu gương, tôi tự nhận phụ trách {n} hộ ở {hamlet} về {task}, đến tháng {month} đã xong {m} hộ.",
    "Tham gia lớp bồi dưỡng lý luận chính trị {n} ngày do Trung tâm chính trị huyện mở tháng {month}/{year}.",
    "Tôi đóng đảng phí đủ 12 tháng và ủng hộ quỹ vì người nghèo {money} nghìn đồng tại {place}.",
]
IDEOLOGY_GENERIC = [
    "Bản thân luôn có lập trường tư tưởng vững vàng, tuyệt đối trung thành với mục tiêu lý tưởng của Đảng.",
    "Có phẩm chất đạo đức tốt, lối sống lành mạnh, giản dị, khiêm tốn, đoàn kết với đồng nghiệp.",
    "Luôn chấp hành tốt chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước.",
    "Tham gia đầy đủ các buổi học tập, quán triệt nghị quyết của Đảng.",
    "Có ý thức tổ chức kỷ luật tốt, tác phong làm việc khoa học, gần gũi quần chúng.",
    "Không suy thoái về tư tưởng chính trị, đạo đức, lối sống, không có biểu hiện tự diễn biến, tự chuyển hóa.",
    "Luôn giữ gìn phẩm chất, tư cách của người đảng viên, gương mẫu trong công tác và sinh hoạt.",
]
DUTIES_SPECIFIC = [
    "Năm {year} tôi được phân công phụ trách {task}; đã hoàn thành {n} hồ sơ, vượt kế hoạch {m} hồ sơ.",
    "Chủ trì triển khai {task} tại {place}: {n} hộ tham gia, giải ngân {money} triệu đồng, xong trước ngày {day}/{month}.",
    "Tôi trực tiếp rà soát {task}, phát hiện {m} trường hợp sai sót và đề xuất sửa xong trong tháng {month}.",
    "Hoàn thành {n}/{n} nhiệm vụ được giao trong chương trình công tác năm, trong đó {task} về đích trước {k} tuần.",
    "Phối hợp với {person} hoàn thành {task} ở {hamlet}, tổng cộng {n} hồ sơ, nộp đúng hạn ngày {day}/{month}.",
    "Xây dựng và trình kế hoạch {doc} về {task2}, được chi ủy thông qua tháng {month}/{year}.",
    "Tham mưu cho lãnh đạo giải quyết {m} đơn thư liên quan đến {task}; {k} đơn đã có kết luận.",
    "Đưa {task2} vào vận hành từ tháng {month}, giảm thời gian xử lý từ {n} ngày xuống {k} ngày.",
]
DUTIES_GENERIC = [
    "Hoàn thành tốt các nhiệm vụ được giao, được lãnh đạo và đồng nghiệp đánh giá cao.",
    "Luôn cố gắng, nỗ lực trong công việc, có tinh thần trách nhiệm cao.",
    "Thực hiện đúng chức trách, nhiệm vụ được giao, đảm bảo tiến độ và chất lượng công việc.",
    "Tích cực tham gia các phong trào thi đua do cơ quan, địa phương phát động.",
    "Chủ động tham mưu cho lãnh đạo trong lĩnh vực được phân công phụ trách.",
    "Phối hợp tốt với các bộ phận liên quan trong thực hiện nhiệm vụ chuyên môn.",
]
COMMITMENTS = [
    "Thực hiện cam kết tu dưỡng, rèn luyện năm {year}: đã hoàn thành {k}/{n} nội dung đăng ký.",
    "Đăng ký học xong lớp tin học văn phòng trước tháng {month}; đã học xong và có chứng chỉ.",
    "Thực hiện tốt các nội dung đã cam kết tu dưỡng, rèn luyện, phấn đấu hằng năm.",
    "Bản thân luôn giữ đúng cam kết tu dưỡng, rèn luyện đã đăng ký đầu năm.",
    "Cam kết nêu gương về {task} đã thực hiện: {m} buổi đi cơ sở, {n} biên bản kiểm tra.",
]
SHORTCOMINGS_SPECIFIC = [
    "Tôi trả chậm {m} hồ sơ {task} trong tháng {month} do không theo dõi sổ hẹn.",
    "Quý {quarter}, tôi nộp muộn {k} báo cáo về {task}, làm chi bộ bị nhắc nhở tại kỳ họp tháng {month}.",
    "Tôi để {m} hộ ở {hamlet} chưa được rà soát {task} đến hết tháng {month}, chậm {k} tuần so với kế hoạch.",
    "Kỳ sinh hoạt tháng {month} tôi không góp ý việc {person} chậm nộp {task2}; đó là tôi nể nang.",
    "Tôi biết {m} trường hợp vi phạm {task} từ tháng {month} nhưng đến tháng {next} mới lập biên bản vì ngại va chạm.",
    "Chỉ tiêu {task2} tôi phụ trách chỉ đạt {pct}% do tôi chưa phân công người theo dõi từ đầu năm.",
]
SHORTCOMINGS_GENERIC = [
    "Đôi khi việc nghiên cứu văn bản mới còn chưa kỹ.",
    "Một số nhiệm vụ được giao hoàn thành chất lượng chưa cao.",
    "Công tác phối hợp với các bộ phận còn hạn chế.",
    "Bản thân đôi lúc còn ngại va chạm, chưa mạnh dạn đấu tranh với cái sai.",
    "Trong phê bình có lúc còn chưa thẳng thắn.",
    "Vẫn còn để xảy ra sai sót trong quản lý hồ sơ.",
    "Việc học tập nâng cao trình độ chưa được thường xuyên.",
    "Có lúc chưa sâu sát cơ sở, chưa nắm chắc tình hình.",
    "Hạn chế: bản thân không có khuyết điểm gì đáng kể.",
]
CAUSES_SUBJECTIVE = [
    "Nguyên nhân chủ quan là tôi chưa lập lịch theo dõi {task} hằng tuần.",
    "Nguyên nhân chính là tôi duyệt kế hoạch {task} mà không có phương án dự phòng.",
    "Chủ quan: tôi chưa kiểm tra số liệu {task2} trước khi báo cáo, tin vào báo cáo của bộ phận.",
    "Do tôi nhận thêm việc {task2} mà không đề xuất điều chỉnh kế hoạch với chi ủy.",
]
CAUSES_OBJECTIVE = [
    "Nguyên nhân chủ yếu do khối lượng công việc lớn, biên chế mỏng.",
    "Do mưa bão kéo dài nên các công trình bị chậm.",
    "Hướng dẫn của cấp trên ban hành muộn nên đơn vị bị động.",
    "Do địa bàn rộng, giao thông đi lại khó khăn, kinh phí còn hạn hẹp.",
    "Một phần do một số đồng chí chưa nhiệt tình.",
]
PREVIOUS = [
    "Hạn chế năm {prev} về chậm cập nhật {task}: đã cập nhật xong trước ngày {day}/{month}/{year}.",
    "Khuyết điểm kỳ trước về {task2} đã được khắc phục, {m} hồ sơ tồn đã giải quyết xong tháng {month}.",
    "Các hạn chế đã được chỉ ra ở kỳ trước cơ bản đã được khắc phục.",
    "Bản thân đã nghiêm túc khắc phục những hạn chế đã được chỉ ra ở kỳ trước.",
]
SUGGESTED = [
    "Không có (cấp trên không gợi ý kiểm điểm).",
    "Không có.",
    "Về vấn đề được gợi ý, bản thân xin tiếp thu và rút kinh nghiệm.",
    "Về việc chậm {task} được gợi ý: đã hoàn thành {m} hồ sơ ngày {day}/{month}, phần còn lại xong trước {day}/{next}.",
]
RESPONSIBILITY_SPECIFIC = [
    "Chi bộ chưa đạt chỉ tiêu {task2}; là người phụ trách, tôi chịu trách nhiệm vì chưa đôn đốc từ đầu năm.",
    "Việc chậm {task} của đơn vị có phần trách nhiệm trực tiếp của tôi vì tôi là người được giao theo dõi.",
    "{m} hồ sơ {task} bị trả lại; là {post}, tôi chịu trách nhiệm chính.",
]
RESPONSIBILITY_GENERIC = [
    "Bản thân cùng chịu trách nhiệm chung với hạn chế của tập thể.",
    "Hạn chế của chi bộ có phần trách nhiệm của mỗi đảng viên.",
    "Trách nhiệm thuộc về tập thể Ban chấp hành.",
    "Không có.",
]
REMEDIES_SPECIFIC = [
    "Từ tháng {month}/{next_year}, mỗi thứ Hai tôi rà soát {task} và báo cáo chi bộ tại kỳ sinh hoạt quý I.",
    "Hoàn thành {task} trước ngày {day}/{month}/{next_year}.",
    "Cập nhật 100% {task2} lên phần mềm trước 30/6/{next_year}.",
    "Lập sổ theo dõi {task} và trình chi ủy duyệt trước {day}/{month}/{next_year}.",
]
REMEDIES_GENERIC = [
    "Sẽ cố gắng khắc phục trong thời gian tới.",
    "Tiếp tục học tập, rèn luyện nâng cao trình độ.",
    "Tăng cường kiểm tra, đôn đốc thực hiện nhiệm vụ.",
    "Phát huy ưu điểm, khắc phục hạn chế, hoàn thành tốt nhiệm vụ năm tới.",
]
RATINGS = [
    "Hoàn thành xuất sắc nhiệm vụ",
    "Hoàn thành tốt nhiệm vụ",
    "Hoàn thành nhiệm vụ",
    "Không hoàn thành nhiệm vụ",
]


def _fill(rng: random.Random, template: str, context: dict) -> str:
    values = {
        "n": rng.randint(5, 160),
        "m": rng.randint(2, 40),
        "k": rng.randint(2, 12),
        "money": rng.randint(12, 980),
        "month": rng.choice(MONTHS),
        "next": rng.choice(MONTHS),
        "day": rng.randint(1, 28),
        "quarter": rng.choice(["I", "II", "III", "IV"]),
        "pct": rng.randint(40, 92),
        "task": rng.choice(TASKS),
        "task2": rng.choice(TASKS),
        "doc": rng.choice(DOCS),
        "person": "đồng chí " + _name(rng),
        **context,
    }
    return template.format(**values)


def _pick(rng: random.Random, pool: list[str], count: int, context: dict) -> list[str]:
    return [_fill(rng, t, context) for t in rng.sample(pool, min(count, len(pool)))]


@dataclass
class Person:
    name: str
    post: str
    leader: bool
    quality: str  # weak | adequate | strong (what the generator aims at)
    rating: str


def make_report(rng: random.Random, unit: Unit, person: Person, year: int) -> str:
    """One individual report (02A for members, 02B for leaders)."""
    context = {
        "year": year,
        "prev": year - 1,
        "next_year": year + 1,
        "place": unit.place,
        "hamlet": rng.choice(HAMLETS),
        "post": person.post.split(",")[-1].strip().lower(),
    }
    q = person.quality
    specific = {"weak": 0, "adequate": 1, "strong": 2}[q]

    def section(spec: list[str], gen: list[str], total: int) -> list[str]:
        n_spec = min(total, [0, max(1, total // 2), total][specific])
        lines = _pick(rng, spec, n_spec, context) + _pick(rng, gen, total - n_spec, context)
        rng.shuffle(lines)
        return lines

    bullet = rng.choice(["- ", "+ ", "• ", "- "])
    lines = [
        f"{unit.party.upper()}",
        f"{unit.cell.upper()}                     ĐẢNG CỘNG SẢN VIỆT NAM",
        f"                         {unit.place}, ngày {rng.randint(1, 28)} tháng 12 năm {year}",
        "",
        "BẢN KIỂM ĐIỂM CÁ NHÂN",
        f"Năm {year}",
    ]
    if person.leader:
        lines.append("(Cá nhân giữ chức vụ lãnh đạo, quản lý)")
    lines += [
        f"Họ và tên: {person.name}",
        f"Ngày sinh: {rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1965, 1998)}",
        f"Chức vụ Đảng: {'Bí thư chi bộ' if person.leader and 'Bí thư' in person.post else 'Đảng viên'}",
        f"Chức vụ chính quyền: {person.post.split(',')[-1].strip()}",
        f"Đơn vị công tác: {unit.workplace}",
        f"Chi bộ: {unit.cell}",
        "",
        "I. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC",
        "1. Về tư tưởng chính trị; phẩm chất đạo đức, lối sống; ý thức tổ chức kỷ luật; tác phong, lề lối làm việc",
        *(bullet + s for s in section(IDEOLOGY_SPECIFIC, IDEOLOGY_GENERIC, rng.randint(2, 3))),
        "2. Về thực hiện chức trách, nhiệm vụ được giao",
        *(bullet + s for s in section(DUTIES_SPECIFIC, DUTIES_GENERIC, rng.randint(2, 4))),
        # every report names its own task, even a weak one (the copy detector needs something personal)
        bullet + _fill(rng, rng.choice(DUTIES_SPECIFIC), context),
        "3. Về thực hiện cam kết tu dưỡng, rèn luyện, phấn đấu hằng năm",
        bullet + _fill(rng, rng.choice(COMMITMENTS), context),
        "II. HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN",
        "1. Hạn chế, khuyết điểm",
        *(bullet + s for s in section(SHORTCOMINGS_SPECIFIC, SHORTCOMINGS_GENERIC, rng.randint(1, 3))),
        "2. Nguyên nhân",
        *(bullet + s for s in section(CAUSES_SUBJECTIVE, CAUSES_OBJECTIVE, rng.randint(1, 2))),
        "III. KẾT QUẢ KHẮC PHỤC NHỮNG HẠN CHẾ, KHUYẾT ĐIỂM ĐÃ ĐƯỢC CẤP CÓ THẨM QUYỀN KẾT LUẬN HOẶC ĐƯỢC CHỈ RA KỲ TRƯỚC",
        _fill(rng, rng.choice(PREVIOUS[:2] if specific else PREVIOUS[2:]), context),
        "IV. GIẢI TRÌNH NHỮNG VẤN ĐỀ ĐƯỢC GỢI Ý KIỂM ĐIỂM (NẾU CÓ)",
        _fill(rng, rng.choice(SUGGESTED if specific else SUGGESTED[:3]), context),
        "V. LÀM RÕ TRÁCH NHIỆM CỦA CÁ NHÂN ĐỐI VỚI NHỮNG HẠN CHẾ, KHUYẾT ĐIỂM CỦA TẬP THỂ (NẾU CÓ)",
        *section(RESPONSIBILITY_SPECIFIC, RESPONSIBILITY_GENERIC, 1),
        "VI. PHƯƠNG HƯỚNG, BIỆN PHÁP KHẮC PHỤC HẠN CHẾ, KHUYẾT ĐIỂM",
        *(bullet + s for s in section(REMEDIES_SPECIFIC, REMEDIES_GENERIC, rng.randint(1, 3))),
        "VII. TỰ NHẬN MỨC XẾP LOẠI CHẤT LƯỢNG",
        f"{person.rating}.",
        "",
        "                                          Người tự kiểm điểm",
        f"                                          {person.name}",
    ]
    return "\n".join(lines) + "\n"


def make_collective_report(rng: random.Random, unit: Unit, secretary: str, quality: str, rating: str, year: int) -> str:
    """The chi bộ's collective report (form 01)."""
    context = {
        "year": year,
        "prev": year - 1,
        "next_year": year + 1,
        "place": unit.place,
        "hamlet": rng.choice(HAMLETS),
        "post": "bí thư chi bộ",
    }
    good = quality != "weak"
    results = _pick(rng, DUTIES_SPECIFIC, 3, context) if good else _pick(rng, DUTIES_GENERIC, 3, context)
    results.append(_fill(rng, rng.choice(DUTIES_SPECIFIC), context))
    faults = _pick(rng, SHORTCOMINGS_SPECIFIC, 2, context) if good else _pick(rng, SHORTCOMINGS_GENERIC, 2, context)
    head = (
        f"Đồng chí {secretary}, Bí thư chi bộ, chịu trách nhiệm chính về việc chậm {rng.choice(TASKS)}; "
        "các đồng chí chi ủy viên cùng chịu trách nhiệm về những hạn chế còn lại."
        if good
        else "Trách nhiệm thuộc về tập thể chi bộ."
    )
    lines = [
        unit.party.upper() + "                ĐẢNG CỘNG SẢN VIỆT NAM",
        unit.cell.upper(),
        f"                          {unit.place}, ngày {rng.randint(1, 28)} tháng 12 năm {year}",
        "",
        "BÁO CÁO",
        f"Kiểm điểm tập thể {unit.cell} năm {year}",
        "",
        f"{unit.cell} có {rng.randint(6, 40)} đảng viên. Thực hiện hướng dẫn của cấp ủy cấp trên, chi bộ kiểm điểm như sau:",
        "I. KẾT QUẢ ĐẠT ĐƯỢC",
        *("- " + s for s in results),
        "II. HẠN CHẾ, KHUYẾT ĐIỂM",
        *("- " + s for s in faults),
        "Nguyên nhân",
        "- " + _fill(rng, rng.choice(CAUSES_SUBJECTIVE if good else CAUSES_OBJECTIVE), context),
        "III. KẾT QUẢ KHẮC PHỤC HẠN CHẾ KỲ TRƯỚC",
        _fill(rng, rng.choice(PREVIOUS[:2] if good else PREVIOUS[2:]), context),
        "IV. GIẢI TRÌNH VẤN ĐỀ ĐƯỢC GỢI Ý: Không có (Đảng ủy không gợi ý).",
        "V. TRÁCH NHIỆM CỦA TẬP THỂ VÀ NGƯỜI ĐỨNG ĐẦU",
        head,
        "VI. PHƯƠNG HƯỚNG, BIỆN PHÁP KHẮC PHỤC",
        *(
            "- " + s
            for s in (_pick(rng, REMEDIES_SPECIFIC, 2, context) if good else _pick(rng, REMEDIES_GENERIC, 2, context))
        ),
        f"VII. TỰ XẾP LOẠI: Chi bộ tự nhận {rating}.",
        "",
        "                                   T/M CHI BỘ - BÍ THƯ",
        f"                                   {secretary}",
    ]
    return "\n".join(lines) + "\n"


def near_copy(rng: random.Random, text: str, old_name: str, new_name: str, changes: int = 4) -> str:
    """A copy with the name swapped and a few words changed (the way copied reports are 'personalised')."""
    text = text.replace(old_name, new_name)
    lines = text.split("\n")
    body = [i for i, line in enumerate(lines) if len(line.split()) > 8]
    for i in rng.sample(body, min(changes, len(body))):
        words = lines[i].split(" ")
        j = rng.randrange(len(words))
        words[j] = rng.choice(["rất", "đã", "cũng", "luôn", "thêm", "nữa"])
        lines[i] = " ".join(words)
    return "\n".join(lines)


def strip_diacritics(text: str) -> str:
    """The text as typed without diacritics."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


# ---------------------------------------------------------------------------------------------- formats


def docx_bytes(text: str) -> bytes:
    """A .docx with one paragraph per line (python-docx)."""
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _font() -> Path | None:
    for path in (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
    ):
        if Path(path).is_file():
            return Path(path)
    return None


def pdf_bytes(text: str | None, font: Path | None) -> bytes | None:
    """A text PDF (``text``) or an image-only "scan" (``text=None``); None without fpdf2 or a font."""
    try:
        from fpdf import FPDF
    except ImportError:
        return None
    pdf = FPDF()
    pdf.add_page()
    if text is None:
        import struct
        import zlib

        raw = b"".join(b"\x00" + b"\x80" * 8 for _ in range(8))

        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

        png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0))
        png += chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
        pdf.image(io.BytesIO(png), x=10, y=10, w=50)
    else:
        if font is None:
            return None
        pdf.add_font("vn", "", str(font))
        pdf.set_font("vn", size=11)
        for line in text.split("\n"):
            pdf.multi_cell(0, 6, line.strip() or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def tcvn3_bytes(text: str) -> bytes | None:
    """The text as a TCVN3 (.VnTime) editor saves it, or None without viparse's table."""
    try:
        from viparse.normalize.encodings import get_charmap
    except ImportError:
        return None
    charmap = get_charmap("tcvn3")
    table: dict[str, str] = {}
    for legacy, uni in sorted(charmap.pairs, key=lambda pair: len(pair[0])):
        table.setdefault(uni, legacy)
    out = []
    for char in unicodedata.normalize("NFC", text):
        if ord(char) > 0x7F and char not in table:
            char = char.lower() if char.lower() in table else strip_diacritics(char)
        out.append(table.get(char, char))
    try:
        return "".join(out).replace("\n", "\r\n").encode("cp1252")
    except UnicodeEncodeError:
        return None


def encrypted_docx_bytes() -> bytes:
    """What a password-protected .docx looks like to a reader without the password (an OLE2 container)."""
    magic = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    return magic + b"\x00" * 600 + "EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le")


def legacy_doc_bytes() -> bytes:
    magic = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    return magic + b"\x00" * 600 + "WordDocument".encode("utf-16-le")


def bomb_docx_bytes(megabytes: int = 64) -> bytes:
    """A small .docx whose parts inflate to ``megabytes`` MiB (refused by the zip-bomb guard)."""
    buffer = io.BytesIO(docx_bytes("x"))
    chunk = b"<w:p/>" * (1024 * 1024 // 6)
    info = zipfile.ZipInfo("word/bomb.xml", (1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buffer, "a") as archive, archive.open(info, "w") as member:
        for _ in range(megabytes):
            member.write(chunk)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------- the tree


@dataclass
class Manifest:
    """What the generated tree should give."""

    files: dict[str, str] = field(default_factory=dict)  # display path → "ok" | "skipped" | error code
    units: dict[str, str] = field(default_factory=dict)  # unit folder → expected kind id
    copies: list[list[str]] = field(default_factory=list)  # planted groups of display paths
    ratings: dict[str, str] = field(default_factory=dict)  # display path → self-rating written
    qualities: dict[str, str] = field(default_factory=dict)  # display path → weak | adequate | strong (aimed at)
    encodings: dict[str, str] = field(default_factory=dict)  # display path → docx | pdf | tcvn3 | utf-16 | utf-8
    names: dict[str, str] = field(default_factory=dict)  # display path → the writer's name in the header

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.__dict__, ensure_ascii=False, indent=1), encoding="utf-8")


def _quality(rng: random.Random) -> str:
    return rng.choices(["weak", "adequate", "strong"], weights=[4, 3, 3])[0]


def _rating(rng: random.Random, quality: str, inflated: bool) -> str:
    if inflated:
        return rng.choices(RATINGS[:2], weights=[2, 3])[0]
    if quality == "strong":
        return rng.choices(RATINGS[:3], weights=[1, 6, 1])[0]
    if quality == "adequate":
        return rng.choices(RATINGS[:3], weights=[1, 7, 2])[0]
    return rng.choices(RATINGS, weights=[1, 5, 4, 1])[0]


def _slug(name: str) -> str:
    return strip_diacritics(name).replace(" ", "-").replace(",", "")


def build_tree(
    root: Path,
    reports: int,
    *,
    seed: int = 7,
    broken: bool = True,
    copy_groups: int = 6,
    per_unit: int = 12,
    formats: bool = True,
    year: int = 2024,
) -> Manifest:
    """Write ``reports`` generated reports (plus broken and system files when ``broken``) under ``root``.

    Folders: ``<đảng bộ>/<chi bộ>/<file>``. Copies: ``copy_groups`` planted groups of 2–3 near-copies
    (names and a few words changed, one retyped without diacritics), and one file copied byte for byte.
    Units whose members inflate their self-ratings are marked in the manifest ratings.
    """
    rng = random.Random(seed)
    manifest = Manifest()
    font = _font() if formats else None
    units = make_units(rng, max(1, reports // per_unit))
    inflated_units = {u.cell for u in units[::3]}  # every third unit: ratings inflated
    written = 0
    texts: list[tuple[str, str, str, Unit]] = []  # (display path, text, name, unit) for copies

    def write(unit: Unit, name: str, data: bytes) -> str:
        folder = root / unit.party / unit.cell
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
        display = f"{unit.party}/{unit.cell}/{name}"
        manifest.units[f"{unit.party}/{unit.cell}"] = unit.kind
        return display

    unit_index = 0
    while written < reports:
        unit = units[unit_index % len(units)]
        unit_index += 1
        inflated = unit.cell in inflated_units
        # the chi bộ's collective report first (one per unit), then its members
        if f"{unit.party}/{unit.cell}" not in manifest.units:
            secretary = _name(rng)
            quality = _quality(rng)
            rating = _rating(rng, quality, inflated)
            text = make_collective_report(rng, unit, secretary, quality, rating, year)
            path = write(unit, f"01-tap-the-{_slug(unit.cell)}.txt", text.encode("utf-8"))
            manifest.files[path], manifest.ratings[path], manifest.qualities[path] = "ok", rating, quality
            written += 1
            continue
        leader = rng.random() < 0.2
        post = rng.choice(unit.heads if leader else unit.posts)
        quality = "weak" if inflated and rng.random() < 0.7 else _quality(rng)
        person = Person(_name(rng), post, leader, quality, _rating(rng, quality, inflated))
        text = make_report(rng, unit, person, year)
        form = "02B" if leader else "02A"
        stem = f"{form}-{_slug(person.name)}-{written}"
        choice = rng.random() if formats else 1.0
        encoding = "utf-8"
        if choice < 0.12:
            path, encoding = write(unit, stem + ".docx", docx_bytes(text)), "docx"
        elif choice < 0.17 and font is not None and (data := pdf_bytes(text, font)):
            path, encoding = write(unit, stem + ".pdf", data), "pdf"
        elif choice < 0.20 and (data := tcvn3_bytes(text)):
            path, encoding = write(unit, stem + ".txt", data), "tcvn3"
        elif 0.20 <= choice < 0.22:
            path, encoding = write(unit, stem + ".txt", text.encode("utf-16")), "utf-16"
        else:
            path = write(unit, stem + ".txt", text.encode("utf-8"))
        manifest.encodings[path], manifest.names[path] = encoding, person.name
        manifest.files[path], manifest.ratings[path], manifest.qualities[path] = "ok", person.rating, quality
        texts.append((path, text, person.name, unit))
        written += 1

    # planted near-copies: within a unit and across units
    plain = [entry for entry in texts if entry[0].endswith(".txt") and manifest.qualities[entry[0]] != "weak"]
    for g, (path, text, name, unit) in enumerate(rng.sample(plain, min(copy_groups, len(plain)))):
        group = [path]
        for c in range(1 + g % 2):
            target = unit if c == 0 else units[(units.index(unit) + 3) % len(units)]
            new_name = _name(rng)
            copy = near_copy(rng, text, name, new_name)
            copy = copy.replace(unit.cell, target.cell).replace(unit.party.upper(), target.party.upper())
            if g == 0 and c == 0:
                copy = strip_diacritics(copy)
            copied = write(target, f"02A-{_slug(new_name)}-ban-sao-{g}-{c}.txt", copy.encode("utf-8"))
            manifest.files[copied] = "ok"
            manifest.ratings[copied] = manifest.ratings[path]
            manifest.qualities[copied] = manifest.qualities[path]
            group.append(copied)
        manifest.copies.append(group)
    if texts:  # the same file sent twice (byte for byte), to another unit
        path, text, _, unit = texts[-1]
        target = units[(units.index(unit) + 1) % len(units)]
        twin = write(target, "gui-lai-" + Path(path).name, (root / path).read_bytes())
        manifest.files[twin] = "ok"
        manifest.ratings[twin] = manifest.ratings[path]
        manifest.qualities[twin] = manifest.qualities[path]
        manifest.copies.append([path, twin])
    if broken:
        _broken_files(root, rng, units, manifest, font, texts, year)
    return manifest


def _broken_files(root: Path, rng: random.Random, units: list[Unit], manifest: Manifest, font, texts, year) -> None:
    """Corrupt, empty, encrypted, unsupported and system files, and a .zip of one more chi bộ."""
    unit = units[0]
    folder = root / unit.party / unit.cell
    base = f"{unit.party}/{unit.cell}"

    def put(name: str, data: bytes, expected: str, where: Path = folder, prefix: str = base) -> None:
        (where / name).write_bytes(data)
        manifest.files[f"{prefix}/{name}" if prefix else name] = expected

    good = docx_bytes(texts[0][1]) if texts else docx_bytes("x")
    put("hong.docx", good[: len(good) // 2], "KD-E006")
    put("rong.txt", b"", "KD-E002")
    put("chi-co-khoang-trang.txt", b"   \n\n  \t\n", "KD-E002")
    put("co-mat-khau.docx", encrypted_docx_bytes(), "KD-E007")
    put("ban-cu.doc", legacy_doc_bytes(), "KD-E010")
    put("anh-chup.jpg", b"\xff\xd8\xff\xe0" + bytes(rng.randrange(256) for _ in range(400)), "KD-E010")
    put("ghi-chu.md", "# Ghi chú\nDanh sách nộp bài".encode(), "KD-E010")
    put("nhi-phan.txt", bytes(rng.randrange(256) for _ in range(3000)), "KD-E004")
    put("bom-nen.docx", bomb_docx_bytes(64), "KD-E009")
    put("~$ban-nhap.docx", b"lock", "skipped")
    put(".DS_Store", b"\x00\x00\x00\x01Bud1", "skipped")
    put("Thumbs.db", b"\xd0\xcf\x11\xe0", "skipped")
    put(".an.txt", "Tệp ẩn".encode(), "skipped")
    scan = pdf_bytes(None, font)
    if scan is not None:
        put("ban-quet.pdf", scan, "KD-E008")
    put("hong.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "KD-E006")
    (root / ".git").mkdir(exist_ok=True)
    (root / ".git" / "config").write_text("[core]\n", encoding="utf-8")
    manifest.files[".git/"] = "skipped"

    # one chi bộ sent as a .zip: a report, a system folder, a nested archive, an unsafe member name
    zunit = units[1 % len(units)]
    zname = "Chi bộ nộp bằng tệp nén.zip"
    zfolder = root / zunit.party
    zfolder.mkdir(parents=True, exist_ok=True)
    zbase = f"{zunit.party}/{zname}"
    buffer = io.BytesIO()
    person = Person(_name(rng), zunit.posts[0], False, "strong", RATINGS[1])
    report = make_report(rng, zunit, person, year)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("02A-trong-tep-nen.txt", report.encode("utf-8"))
        archive.writestr(
            "ho-so/02A-thu-muc-con.docx",
            docx_bytes(
                make_report(rng, zunit, Person(_name(rng), zunit.posts[0], False, "adequate", RATINGS[1]), year)
            ),
        )
        archive.writestr("__MACOSX/._02A-trong-tep-nen.txt", b"\x00\x05\x16\x07")
        archive.writestr("tep-nen-long.zip", b"PK\x05\x06" + b"\x00" * 18)
        archive.writestr(
            "../../thoat-ra-ngoai.txt",
            make_report(rng, zunit, Person(_name(rng), zunit.posts[0], False, "weak", RATINGS[1]), year).encode(
                "utf-8"
            ),
        )
    (zfolder / zname).write_bytes(buffer.getvalue())
    manifest.files[f"{zbase}/02A-trong-tep-nen.txt"] = "ok"
    manifest.files[f"{zbase}/ho-so/02A-thu-muc-con.docx"] = "ok"
    manifest.files[f"{zbase}/__MACOSX/._02A-trong-tep-nen.txt"] = "skipped"
    manifest.files[f"{zbase}/tep-nen-long.zip"] = "skipped"
    manifest.files[f"{zbase}/thoat-ra-ngoai.txt"] = "ok"
    for path in (
        f"{zbase}/02A-trong-tep-nen.txt",
        f"{zbase}/ho-so/02A-thu-muc-con.docx",
        f"{zbase}/thoat-ra-ngoai.txt",
    ):
        manifest.ratings[path] = RATINGS[1]
    manifest.units[f"{zunit.party}/Chi bộ nộp bằng tệp nén"] = zunit.kind  # from the reports' headers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("-n", "--reports", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--broken", action="store_true", help="add corrupt, empty, encrypted and system files")
    parser.add_argument("--copies", type=int, default=20, help="planted groups of near-copies")
    parser.add_argument("--plain", action="store_true", help="only UTF-8 .txt (no .docx/.pdf/legacy)")
    args = parser.parse_args()
    manifest = build_tree(
        args.out, args.reports, seed=args.seed, broken=args.broken, copy_groups=args.copies, formats=not args.plain
    )
    manifest.save(args.out.with_suffix(".manifest.json"))
    print(f"{len(manifest.files)} files under {args.out}; {len(manifest.copies)} planted copy groups")


if __name__ == "__main__":
    main()
