from accord.model.suggest import closest, did_you_mean


def test_close_misspellings_are_suggested() -> None:
    assert did_you_mean("withdrawl", ["withdraw", "hold-line"]) == " (did you mean 'withdraw'?)"
    assert closest("NATO", ["nato", "troops"]) == "nato"


def test_nothing_suggested_for_unrelated_words() -> None:
    assert did_you_mean("zzz", ["withdraw", "hold-line"]) == ""
    assert did_you_mean(3, ["a"]) == ""


def test_abbreviated_ids_and_first_letters() -> None:
    texts = ["plan-28", "geneva-framework", "e3-counter", "plan-20"]
    assert closest("genva", texts) == "geneva-framework"
    assert closest("rus", ["us", "ua", "ru", "eu"]) == "ru"
    assert closest("plan-2", texts) in {"plan-28", "plan-20"}
