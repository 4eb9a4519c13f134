"""The one check every document upload passes (issue 22): the kind comes from the content, the
name's extension must agree with it, the size is limited and the name is made safe."""

from __future__ import annotations

import io

import pytest

from lindungi.billing.errors import BillingError
from lindungi.core.errors import FieldErrors
from lindungi.core.files import document_upload_check

from .upload_samples import ELF, EXE, HTML, JPEG, PDF, PNG, SVG, ZIP


def check(content: bytes, name: str, max_mb: int = 10):
    return document_upload_check(
        io.BytesIO(content), name, field="evidence", max_mb=max_mb,
        wrong_kind=BillingError.EVIDENCE_TYPE, too_large=BillingError.EVIDENCE_TOO_LARGE,
    )  # fmt: skip


def refusal(content: bytes, name: str, max_mb: int = 10) -> dict[str, str]:
    with pytest.raises(FieldErrors) as excinfo:
        check(content, name, max_mb)
    [error] = excinfo.value.fields["evidence"]
    return error


@pytest.mark.parametrize(
    ("content", "name", "stored", "kind"),
    [
        (PDF, "SP2D 0012.PDF", "SP2D 0012.pdf", "PDF"),
        (JPEG, "foto bukti.jpeg", "foto bukti.jpeg", "JPG"),
        (JPEG, "IMG_2026.JPG", "IMG_2026.jpg", "JPG"),
        (PNG, "tangkapan layar.png", "tangkapan layar.png", "PNG"),
        (PDF, "scan 12.05.2026", "scan 12.05.2026.pdf", "PDF"),  # no extension: the content's
        (PDF, "", "berkas.pdf", "PDF"),
    ],
)
def test_documents_and_pictures_pass_under_a_safe_name(content, name, stored, kind):
    checked = check(content, name)
    assert (checked.name, checked.kind, checked.size) == (stored, kind, len(content))
    assert len(checked.sha256) == 64


@pytest.mark.parametrize(
    ("content", "name"),
    [(EXE, "akta.pdf"), (ELF, "kk.jpeg"), (HTML, "foto.jpg"), (ZIP, "scan.png"),
     (SVG, "logo.png"), (b"%PD", "potongan.pdf"), (b"just text", "surat.pdf")],
)  # fmt: skip
def test_a_renamed_program_page_or_archive_is_refused_by_its_content(content, name):
    error = refusal(content, name)
    assert error["code"] == "BILLING_EVIDENCE_TYPE"
    assert "bukan PDF, JPG atau PNG" in error["message"]


@pytest.mark.parametrize(
    ("content", "name", "said"),
    [(PNG, "ktp.pdf", ".pdf"), (PDF, "bukti.jpg", ".jpg"), (PDF, "bukti.exe", ".exe"),
     (JPEG, "foto.html", ".html")],
)  # fmt: skip
def test_the_name_must_agree_with_the_content(content, name, said):
    error = refusal(content, name)
    assert error["code"] == "BILLING_EVIDENCE_TYPE"
    assert said in error["message"] and "isinya" in error["message"]


def test_empty_and_too_large_files():
    assert refusal(b"", "kosong.pdf")["code"] == "BILLING_EVIDENCE_TYPE"
    big = PDF + b"0" * (1024 * 1024)
    error = refusal(big, "besar.pdf", max_mb=1)
    assert error["code"] == "BILLING_EVIDENCE_TOO_LARGE" and "1 MB" in error["message"]
    assert check(big, "besar.pdf", max_mb=2).size == len(big)


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\Budi\\Desktop\\akta.pdf", "akta.pdf"),
        ("akta\x00\r\n<script>.pdf", "akta_ _script_.pdf"),
        (".pdf", "berkas.pdf"),
        ("a" * 300 + ".pdf", "a" * 100 + ".pdf"),
    ],
)
def test_the_name_is_made_safe(name, stored):
    assert check(PDF, name).name == stored


def test_the_file_is_rewound_for_storing():
    handle = io.BytesIO(PDF)
    document_upload_check(
        handle, "a.pdf", field="f", max_mb=1,
        wrong_kind=BillingError.EVIDENCE_TYPE, too_large=BillingError.EVIDENCE_TOO_LARGE,
    )  # fmt: skip
    assert handle.read() == PDF
