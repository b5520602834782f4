"""The shared suite: the same results as the Java API, and every other language's saved index loads here."""

from suite_harness import Runner, final_lines


def test_python_reproduces_the_java_api(suite_dir):
    runner = Runner(suite_dir)
    runner.run("python")
    assert runner.checked > 200


def test_indexes_saved_by_other_languages_load_and_answer_the_same(suite_dir):
    saved = sorted((suite_dir / "saved").glob("*.idx"))
    final = final_lines(suite_dir)
    runner = Runner(suite_dir)
    for path in saved:
        runner.check_saved(path, final)
    assert any(p.stem == "python" for p in saved)
