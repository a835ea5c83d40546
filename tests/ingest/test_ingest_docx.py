"""Word .docx: document order, tables, list numbers, and every refusal (bombs, DTDs, encryption)."""

from __future__ import annotations

import io
import zipfile

import pytest
from ingest_builders import (
    PARAGRAPHS,
    bomb_docx,
    docx_bytes,
    lie_about_size,
    numbering,
    para,
    run,
    table,
    zip_bytes,
)

from nlp.errors import (
    ArchiveLimitError,
    CorruptFileError,
    EmptyInputError,
    EncryptedFileError,
    UnsupportedFormatError,
)
from nlp.ingest import IngestLimits, read_bytes

LISTS = numbering(
    {
        0: [("upperRoman", "%1.")],
        1: [("decimal", "%1."), ("lowerLetter", "%2)")],
        2: [("bullet", "•")],
        3: [("decimal", "%1."), ("decimal", "%1.%2.")],
    },
    {1: (0, None), 2: (1, None), 3: (1, 1), 4: (2, None), 5: (3, None)},
)


def lines(data: bytes, **kwargs) -> list[str]:
    return read_bytes(data, **kwargs).text.split("\n")


def test_paragraphs_and_tables_in_document_order(read) -> None:
    body = (
        para("Trước bảng")
        + table([["Chỉ tiêu", "Kế hoạch", "Thực hiện"], ["Giấy chứng nhận", "1.200", "1.086"]])
        + para("Giữa")
        + table([["Ô ngoài", table([["lồng 1", "lồng 2"], ["lồng 3", "lồng 4"]])], ["", ""]])
        + para("Sau bảng")
    )
    result = read(docx_bytes(body), "bao-cao.docx")
    assert result.format == "docx"
    assert result.text.split("\n") == [
        "Trước bảng",
        "Chỉ tiêu | Kế hoạch | Thực hiện",
        "Giấy chứng nhận | 1.200 | 1.086",
        "Giữa",
        "Ô ngoài | lồng 1 | lồng 2 lồng 3 | lồng 4",
        "Sau bảng",
    ]


def test_breaks_tabs_and_split_runs() -> None:
    body = para(run("Họ và tên:\tNguyễn"), run(" Văn"), run(" An\nNgày sinh: 07/5/1981"))
    assert lines(docx_bytes(body)) == ["Họ và tên: Nguyễn Văn An", "Ngày sinh: 07/5/1981"]


def test_headers_footers_and_deleted_text_are_ignored() -> None:
    body = para(
        run("Giữ lại"), "<w:del><w:r><w:delText>đã xoá</w:delText></w:r></w:del>", "<w:ins>" + run(" thêm") + "</w:ins>"
    )
    assert lines(docx_bytes(body, header_text="ĐẢNG CỘNG SẢN VIỆT NAM (đầu trang)")) == ["Giữ lại thêm"]


def test_field_codes_are_skipped_but_field_results_kept() -> None:
    field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + run("3") + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    assert lines(docx_bytes(para(run("Trang "), field))) == ["Trang 3"]


def test_text_box_is_read_once_after_its_paragraph() -> None:
    box = para("Trong khung")
    drawing = (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData>'
        f"<wps:wsp><wps:txbx><w:txbxContent>{box}</w:txbxContent></wps:txbx></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{box}</w:txbxContent></v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r>"
    )
    assert lines(docx_bytes(para(run("Neo "), drawing) + para("Tiếp"))) == ["Neo ", "Trong khung", "Tiếp"]


def test_content_controls_are_unwrapped() -> None:
    body = f"<w:sdt><w:sdtPr/><w:sdtContent>{para('Trong điều khiển')}</w:sdtContent></w:sdt>" + para(
        run("A "), f"<w:sdt><w:sdtContent>{run('B')}</w:sdtContent></w:sdt>"
    )
    assert lines(docx_bytes(body)) == ["Trong điều khiển", "A B"]


def test_list_numbering_is_rebuilt_with_restarts() -> None:
    body = (
        para("ƯU ĐIỂM", num=1)
        + para("Tư tưởng chính trị", num=2)
        + para("Chấp hành nghiêm", num=4)
        + para("Sinh hoạt đủ", num=4)
        + para("Thực hiện nhiệm vụ", num=2)
        + para("Chỉ tiêu thứ nhất", num=2, ilvl=1)
        + para("Chỉ tiêu thứ hai", num=2, ilvl=1)
        + para("Cam kết", num=2)
        + para("Không đánh số")
        + para("HẠN CHẾ, KHUYẾT ĐIỂM", num=1)
        + para("Khắc phục lại từ đầu", num=3)
        + para("Tiếp theo", num=3)
        + para("Cấp một", num=5)
        + para("Cấp hai", num=5, ilvl=1)
        + para("Không số", num=0)
        + para("numId lạ", num=99)
        + para("PHƯƠNG HƯỚNG", num=1)
    )
    assert lines(docx_bytes(body, numbering_xml=LISTS)) == [
        "I. ƯU ĐIỂM",
        "1. Tư tưởng chính trị",
        "- Chấp hành nghiêm",
        "- Sinh hoạt đủ",
        "2. Thực hiện nhiệm vụ",
        "a) Chỉ tiêu thứ nhất",
        "b) Chỉ tiêu thứ hai",
        "3. Cam kết",
        "Không đánh số",
        "II. HẠN CHẾ, KHUYẾT ĐIỂM",
        "1. Khắc phục lại từ đầu",
        "2. Tiếp theo",
        "1. Cấp một",
        "1.1. Cấp hai",
        "Không số",
        "numId lạ",
        "III. PHƯƠNG HƯỚNG",
    ]


def test_numbering_from_a_paragraph_style() -> None:
    styles = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:style w:type="paragraph" w:styleId="Heading1"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr>'
        '</w:style><w:style w:type="paragraph" w:styleId="Muc"><w:basedOn w:val="Heading1"/></w:style></w:styles>'
    )
    body = para("ƯU ĐIỂM", style="Heading1") + para("Nội dung") + para("HẠN CHẾ", style="Muc")
    assert lines(docx_bytes(body, numbering_xml=LISTS, styles_xml=styles)) == ["I. ƯU ĐIỂM", "Nội dung", "II. HẠN CHẾ"]


def test_numbered_paragraph_without_numbering_part_has_no_prefix() -> None:
    assert lines(docx_bytes(para("Mục", num=1))) == ["Mục"]


def test_template_and_macro_content_types_are_read() -> None:
    template = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
    assert lines(docx_bytes(para("Mẫu"), main_type=template)) == ["Mẫu"]


def test_python_docx_package_with_table() -> None:
    import docx

    document = docx.Document()
    document.add_paragraph(PARAGRAPHS[0])
    grid = document.add_table(rows=2, cols=2)
    grid.cell(0, 0).text, grid.cell(0, 1).text = "A", "B"
    grid.cell(1, 0).merge(grid.cell(1, 1)).text = "Gộp"
    document.core_properties.author = "Nguyễn Văn An"
    buffer = io.BytesIO()
    document.save(buffer)
    assert lines(buffer.getvalue()) == [PARAGRAPHS[0], "A | B", "Gộp"]


def test_empty_document(read) -> None:
    with pytest.raises(EmptyInputError):
        read(docx_bytes(para("") + para("   ")), "rong.docx")


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE w:document [<!ENTITY x "x">]>',
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>',
        '<!DOCTYPE w:document SYSTEM "file:///etc/passwd">',
    ],
    ids=["entity", "billion-laughs", "xxe"],
)
def test_dtd_in_a_part_is_refused(read, prolog: str) -> None:
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>Chi bộ</w:t></w:r></w:p></w:body></w:document>"
    )
    with pytest.raises(CorruptFileError):
        read(docx_bytes("", document_xml=document), "bao-cao.docx")


def test_utf16_encoded_part_with_dtd_is_refused() -> None:
    document = (
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>'
    )
    data = docx_bytes(para("x"))
    members = _members(data)
    members["word/document.xml"] = document.encode("utf-16")
    with pytest.raises(CorruptFileError):
        read_bytes(zip_bytes(members))


def test_zip_bomb_declared_size(read) -> None:
    with pytest.raises(ArchiveLimitError) as info:
        read(bomb_docx(60), "bom.docx")
    assert "declared" in info.value.detail


def test_zip_bomb_compression_ratio() -> None:
    with pytest.raises(ArchiveLimitError) as info:
        read_bytes(bomb_docx(4))
    assert "ratio" in info.value.detail


def test_zip_member_lying_about_its_size(read) -> None:
    members = _members(docx_bytes(para("x")))
    members["word/document.xml"] = members["word/document.xml"].replace(
        b"<w:sectPr/>", b"<w:p/>" * 200_000 + b"<w:sectPr/>"
    )
    data = lie_about_size(zip_bytes(members), "word/document.xml", 1000)
    with pytest.raises(ArchiveLimitError) as info:
        read(data, "noi-doi.docx")
    assert "declared" in info.value.detail


def test_too_many_members() -> None:
    members = {f"word/media/p{i}.xml": b"" for i in range(2_100)}
    members.update(_members(docx_bytes(para("x"))))
    with pytest.raises(ArchiveLimitError):
        read_bytes(zip_bytes(members))
    with pytest.raises(ArchiveLimitError):
        read_bytes(docx_bytes(para("x")), limits=IngestLimits(max_zip_members=3))


def test_encrypted_docx(read) -> None:
    msoffcrypto = pytest.importorskip("msoffcrypto")
    encrypted = io.BytesIO()
    msoffcrypto.OfficeFile(io.BytesIO(docx_bytes(para(PARAGRAPHS[0])))).encrypt("mật-khẩu", encrypted)
    with pytest.raises(EncryptedFileError):
        read(encrypted.getvalue(), "bao-cao.docx")


def test_legacy_doc_ole_without_encryption_streams(read) -> None:
    msoffcrypto = pytest.importorskip("msoffcrypto")
    encrypted = io.BytesIO()
    msoffcrypto.OfficeFile(io.BytesIO(docx_bytes(para("x")))).encrypt("p", encrypted)
    data = _rename_ole_stream(encrypted.getvalue(), "EncryptionInfo", "WordDocument")
    with pytest.raises(UnsupportedFormatError) as info:
        read(data, "cu.doc")
    assert ".doc" in info.value.detail


def test_damaged_ole_is_still_classified() -> None:
    magic = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    with pytest.raises(EncryptedFileError):
        read_bytes(
            magic + b"\x00" * 600 + "EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le")
        )
    with pytest.raises(UnsupportedFormatError):
        read_bytes(magic + b"\x00" * 600)


@pytest.mark.parametrize(
    ("members", "name"),
    [
        ({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}, "bang.xlsx"),
        ({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}, "van-ban.odt"),
        ({"a.txt": "Chi bộ".encode()}, "nen.zip"),
    ],
    ids=["xlsx", "odt", "zip"],
)
def test_other_zip_packages_are_unsupported(read, members: dict[str, bytes], name: str) -> None:
    with pytest.raises(UnsupportedFormatError):
        read(zip_bytes(members), name)


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.95])
def test_truncated_docx_is_corrupt(read, cut: float) -> None:
    data = docx_bytes("".join(para(p) for p in PARAGRAPHS) * 20)
    with pytest.raises(CorruptFileError):
        read(data[: int(len(data) * cut)], "bao-cao.docx")


def test_broken_xml_is_corrupt() -> None:
    members = _members(docx_bytes(para("x")))
    members["word/document.xml"] = b"<w:document><w:body><w:p>"
    with pytest.raises(CorruptFileError):
        read_bytes(zip_bytes(members))


def test_damaged_member_checksum_is_corrupt() -> None:
    data = bytearray(zip_bytes(_members(docx_bytes(para("x"))), compression=zipfile.ZIP_STORED))
    position = data.find(b"<w:t")
    data[position + 1] = ord("W")
    with pytest.raises(CorruptFileError):
        read_bytes(bytes(data))


def test_docx_extension_on_binary_junk_is_corrupt(read) -> None:
    with pytest.raises(CorruptFileError):
        read(b"\x01\x02\x00\x03" * 100, "bao-cao.docx")


def test_docx_extension_on_plain_text_reads_the_text(read) -> None:
    result = read(PARAGRAPHS[0].encode(), "bao-cao.docx")
    assert result.format == "txt" and result.text == PARAGRAPHS[0]


def test_docx_under_txt_extension_is_read_as_docx(read) -> None:
    assert read(docx_bytes(para("Chi bộ")), "bao-cao.txt").format == "docx"


def test_png_is_unsupported(read) -> None:
    with pytest.raises(UnsupportedFormatError):
        read(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "anh.docx")


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _rename_ole_stream(data: bytes, old: str, new: str) -> bytes:
    """Rename a directory entry of an OLE2 file in place (name field and its byte length)."""
    out = bytearray(data)
    position = out.find(old.encode("utf-16-le") + b"\x00\x00")
    assert position >= 0
    name = new.encode("utf-16-le").ljust(64, b"\x00")
    out[position : position + 64] = name
    out[position + 64 : position + 66] = (len(new) * 2 + 2).to_bytes(2, "little")
    return bytes(out)
