"""Background jobs report progress, results and failures; none is lost in a thread."""

from __future__ import annotations

import time

from staffpath.errors import InputError
from staffpath.web.jobs import Job, Jobs


def finish(jobs: Jobs, job: Job) -> Job:
    for _ in range(200):
        if job.state in ("done", "failed"):
            return job
        time.sleep(0.01)
    raise AssertionError("job did not finish")


def test_a_job_reports_its_result() -> None:
    jobs = Jobs()

    def work(progress):  # type: ignore[no-untyped-def]
        progress(0.5)
        return {"answer": 42}

    job = finish(jobs, jobs.submit(work))
    assert job.view()["result"] == {"answer": 42} and job.progress == 1.0
    assert jobs.get(job.id) is job and jobs.get("nope") is None
    jobs.shutdown()


def test_user_errors_read_plainly_and_bugs_say_so() -> None:
    jobs = Jobs()

    def user(progress):  # type: ignore[no-untyped-def]
        raise InputError("too long")

    def bug(progress):  # type: ignore[no-untyped-def]
        raise KeyError("x")

    a = finish(jobs, jobs.submit(user))
    b = finish(jobs, jobs.submit(bug))
    assert (a.state, a.error) == ("failed", "too long")
    assert b.state == "failed" and b.error is not None and b.error.startswith("internal error")
    jobs.shutdown()
