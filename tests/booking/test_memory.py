"""What a server process remembers (booking/memory.py): one computation at a time."""

import threading
import time

import pytest

from willkommen.booking.memory import ProcessCache


@pytest.fixture
def cache(settings):
    settings.BOOKING_AVAILABILITY_CACHE_SECONDS = 60
    return ProcessCache()


def run_in_thread(target):
    result = {}

    def body():
        try:
            result["value"] = target()
        except Exception as exc:  # handed to the test, which asserts on it
            result["error"] = exc

    thread = threading.Thread(target=body)
    thread.start()
    return thread, result


class SlowComputation:
    """A computation that runs until the test lets it finish."""

    def __init__(self, value="new", error=None):
        self.value, self.error = value, error
        self.started, self.finish = threading.Event(), threading.Event()
        self.calls = 0

    def __call__(self):
        self.calls += 1
        self.started.set()
        assert self.finish.wait(10)
        if self.error:
            raise self.error
        return self.value


def test_while_one_thread_computes_the_others_get_the_answer_that_ran_out(cache, settings):
    cache.put("key", "old")
    settings.BOOKING_AVAILABILITY_CACHE_SECONDS = 0.001
    time.sleep(0.01)  # "old" has run out
    slow = SlowComputation()
    first, first_result = run_in_thread(lambda: cache.recall("key", slow))
    assert slow.started.wait(10)
    others = [cache.recall("key", lambda: pytest.fail("computed twice")) for _ in range(3)]
    slow.finish.set()
    first.join(10)
    assert others == ["old", "old", "old"]
    assert first_result == {"value": "new"} and slow.calls == 1
    settings.BOOKING_AVAILABILITY_CACHE_SECONDS = 60
    assert cache.recall("key", lambda: pytest.fail("not remembered")) == "new"


def test_with_no_answer_yet_the_others_wait_for_the_first(cache):
    slow = SlowComputation()
    first, first_result = run_in_thread(lambda: cache.recall("key", slow))
    assert slow.started.wait(10)
    second, second_result = run_in_thread(lambda: cache.recall("key", lambda: "computed again"))
    second.join(0.2)
    assert second.is_alive()  # waiting, not computing
    slow.finish.set()
    first.join(10), second.join(10)
    assert first_result == second_result == {"value": "new"}


def test_a_failed_computation_is_not_remembered_and_the_waiting_thread_tries_itself(cache):
    slow = SlowComputation(error=LookupError("no such location"))
    first, first_result = run_in_thread(lambda: cache.recall("key", slow))
    assert slow.started.wait(10)
    second, second_result = run_in_thread(lambda: cache.recall("key", lambda: "its own"))
    slow.finish.set()
    first.join(10), second.join(10)
    assert isinstance(first_result["error"], LookupError)
    assert second_result == {"value": "its own"}
    assert cache.computing == {}  # nobody is left marked as computing


def test_an_answer_can_be_kept_longer_than_the_second(cache, settings):
    cache.recall("rows", lambda: "rows", seconds=60)
    cache.recall("times", lambda: "times")
    settings.BOOKING_AVAILABILITY_CACHE_SECONDS = 0.001
    time.sleep(0.01)
    assert cache.recall("rows", lambda: "read again", seconds=60) == "rows"
    assert cache.recall("times", lambda: "read again") == "read again"


def test_switched_off_it_computes_every_time(cache, settings):
    settings.BOOKING_AVAILABILITY_CACHE_SECONDS = 0
    answers = iter(["first", "second"])
    assert cache.recall("key", lambda: next(answers)) == "first"
    assert cache.recall("key", lambda: next(answers), seconds=60) == "second"
    assert cache.entries == {}


def test_a_waiting_thread_computes_itself_when_the_first_takes_too_long(cache, monkeypatch):
    monkeypatch.setattr(ProcessCache, "WAIT_SECONDS", 0.05)
    slow = SlowComputation(value="late")
    first, first_result = run_in_thread(lambda: cache.recall("key", slow))
    assert slow.started.wait(10)
    assert cache.recall("key", lambda: "its own") == "its own"  # did not wait for "late"
    slow.finish.set()
    first.join(10)
    assert first_result == {"value": "late"} and cache.computing == {}
