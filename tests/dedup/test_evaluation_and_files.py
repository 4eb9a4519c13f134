"""Matching quality on labelled data (FEBRL, synthetic Indonesian lists), `dedup_file`, and
probable duplicates held on upload."""

import json

import polars as pl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lindungi.dedup.evaluation import febrl_person_list, identifier_only_scores, scores_of
from lindungi.dedup.models import CandidatePair
from lindungi.registry.management.commands.synth_workers import synth_records, write_person_list
from lindungi.registry.models import Worker
from lindungi.registry.services import worker_create

from ..imports.files import messy_xlsx
from ..imports.test_import_outcomes import report_of, run_file


@pytest.mark.parametrize(
    ("dataset", "identifier_only_f1"), [("dataset1", 0.947), ("dataset2", 0.931)]
)
def test_febrl_pairwise_f1_is_at_least_099(dataset, identifier_only_f1, tmp_path, capsys):
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    truth = febrl_person_list(dataset, source)
    call_command("dedup_file", str(source), "--out", str(out))
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["records"] == truth.height
    scores = scores_of(pl.read_csv(out, infer_schema=False), truth)
    assert round(identifier_only_scores(source, truth).f1, 3) == identifier_only_f1
    assert scores.f1 >= 0.99 > identifier_only_f1
    assert scores.precision >= 0.99


@pytest.mark.django_db
def test_synthetic_indonesian_list_with_planted_duplicates(regions, tmp_path):
    records = synth_records(6000, seed=11, dup_rate=0.1, region="64.02")
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    write_person_list(source, records)
    call_command("dedup_file", str(source), "--out", str(out))
    truth = pl.DataFrame(
        {
            "id": [str(i) for i in range(1, len(records) + 1)],
            "entity": [r["person_id"] for r in records],
        }
    )
    scores = scores_of(pl.read_csv(out, infer_schema=False), truth)
    assert scores.precision >= 0.99
    assert scores.f1 >= 0.98


def test_dedup_file_takes_minimal_columns_and_any_identifier(tmp_path):
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(
        "full_name,id,birth_date\n"
        "Muhammad Yusuf,a-1,1980-05-12\n"
        "M. Yusuf,b-2,1980-05-12\n"
        "Siti Aminah,c-3,\n"
        "Joko Susilo,d-4,1975-01-02\n",
        encoding="utf-8",
    )
    call_command("dedup_file", str(source), "--out", str(out), "--threshold", "0.5")
    rows = pl.read_csv(out, infer_schema=False).rows()
    assert [r[0] for r in rows] == ["a-1", "b-2", "c-3", "d-4"]
    clusters = dict(rows)
    assert clusters["a-1"] == clusters["b-2"] == "a-1"
    assert clusters["c-3"] == "c-3" and clusters["d-4"] == "d-4"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("id,full_name\n1,Budi\n", "birth_date"),
        ("id,full_name,birth_date\n1,Budi,\n1,Ani,\n", "unik"),
        ("id,full_name,birth_date\n,Budi,\n", "Baris 2"),
    ],
)
def test_dedup_file_explains_bad_input_and_writes_nothing(tmp_path, content, message):
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("dedup_file", str(source), "--out", str(out))
    assert not out.exists()


@pytest.mark.django_db
def test_an_upload_holds_a_probable_duplicate_for_review(world, tmp_path):
    existing = worker_create(
        actor=world.village_operator,
        data={
            "nik": "6402065205800003",
            "full_name": "Siti Aminah",
            "birth_date": "12-05-1980",
            "sex": "P",
            "village": "Loa Ipuh",
            "phone": "0812 1111 2222",
        },
    )
    rows = [
        [
            "1",
            "6402065205800004",
            "Hj. SITI AMINAH",
            "Tenggarong, 12-05-1980",
            "P",
            "",
            "",
            "Loa Ipuh",
            "0812 1111 2222",
            "Pedagang",
            "",
        ],
        [
            "2",
            "6402061508750002",
            "Joko Widodo",
            "Tenggarong, 15-08-1975",
            "L",
            "",
            "",
            "Loa Ipuh",
            "",
            "Petani",
            "",
        ],
    ]
    imp = run_file(world.village_operator, messy_xlsx(tmp_path / "desa.xlsx", rows))
    assert imp.status == "done"
    twin = Worker.objects.get(nik="6402065205800004")
    joko = Worker.objects.get(nik="6402061508750002")
    pair = CandidatePair.objects.get()
    assert (pair.worker_a_id, pair.worker_b_id) == (existing.pk, twin.pk)
    assert pair.run.source_import_id == imp.pk
    assert twin.verification_status == "pending"
    assert any(n["code"] == "possible_duplicate" for n in twin.verification_notes)
    assert not any(n["code"] == "possible_duplicate" for n in joko.verification_notes)
    report = report_of(imp)
    assert report[6]["status"] == "created"
    assert (
        report[6]["messages"].startswith("Kemungkinan orang yang sama")
        and f"#{existing.pk}" in report[6]["messages"]
    )
    assert "Kemungkinan" not in report[7]["messages"]


@pytest.mark.django_db
def test_training_on_a_clean_registry_keeps_every_comparison(regions, tmp_path):
    """With every NIK unique the NIK training block holds no pair; that step is skipped and the
    model still compares every field (Splink would otherwise keep a half-changed model)."""
    from lindungi.dedup import engine
    from lindungi.dedup.persons import read_person_list

    records = synth_records(1500, seed=3, dup_rate=0.0, region="64.02")
    source = tmp_path / "in.csv"
    write_person_list(source, records)
    frame, _ = read_person_list(source)
    assert frame["nik"].n_unique() == frame.height
    model = engine.train(engine.prepare(frame), start=engine.default_model())
    names = [c["output_column_name"] for c in model.settings["comparisons"]]
    assert names == [c["output_column_name"] for c in engine.COMPARISONS]
    prediction = engine.predict(engine.prepare(frame), model)
    assert "nik" in prediction.pairs["agreement"].struct.fields
