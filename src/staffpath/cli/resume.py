"""``staffpath resume``: a JSON Resume master, tailored variants, keyword gap, PDF, ATS, RenderCV."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from staffpath.career.resume.ats import AtsReport, check_pdf, check_text, expected, extract_text
from staffpath.career.resume.keywords import TOP, gap
from staffpath.career.resume.model import check_resume_file, load_resume, render_problems
from staffpath.career.resume.pdf import TEMPLATES, render_pdf, view
from staffpath.career.resume.rendercv import to_rendercv
from staffpath.career.resume.variant import apply, load_variant
from staffpath.cli.errors import handle_errors
from staffpath.cli.files import write_atomic
from staffpath.cli.render import figure_table
from staffpath.errors import InputError
from staffpath.textfile import read_text

app = typer.Typer(
    name="resume",
    help="Your resume as JSON Resume: check it, tailor variants, find the keyword gap against "
    "a job posting, typeset a PDF, check what an ATS reads back, export to RenderCV.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
console = Console(highlight=False)

RESUME_HELP = "The master resume: JSON Resume as .json, .yaml or .yml."
VARIANT_HELP = "A variant overlay (.yaml) to apply to the master first."
JSON_HELP = "Print the result as JSON."

Variant = Annotated[Path | None, typer.Option("--variant", "-v", help=VARIANT_HELP)]
AsJson = Annotated[bool, typer.Option("--json", help=JSON_HELP)]


def _tailored(resume: Path, variant: Path | None) -> dict[str, Any]:
    master = load_resume(resume)
    if variant is None:
        return master.data
    return apply(master.data, load_variant(variant))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _dump(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


@app.command()
@handle_errors
def check(
    resume: Annotated[Path, typer.Argument(help=RESUME_HELP)],
    as_json: AsJson = False,
) -> None:
    """Check a resume against the JSON Resume schema (every error located file:line:column)
    and for writing: a job without highlights, a highlight without a number, dates out of
    order. Errors exit 1; warnings do not.

    Examples:

        staffpath resume check examples/career/resume.json

        staffpath resume check resume.yaml --json | jq '.problems[] | .message'
    """
    checked = check_resume_file(resume)
    if as_json:
        typer.echo(_dump(checked.to_dict()), nl=False)
    else:
        if checked.problems:
            typer.echo(render_problems(checked.problems, checked.file))
        verdict = "valid" if checked.resume is not None else "invalid"
        typer.echo(
            f"{checked.file}: {verdict}, {_count(len(checked.errors), 'error')}, "
            f"{_count(len(checked.warnings), 'warning')}"
        )
    if checked.resume is None:
        raise typer.Exit(1)


@app.command()
@handle_errors
def tailor(
    resume: Annotated[Path, typer.Argument(help=RESUME_HELP)],
    variant: Annotated[Path, typer.Argument(help="The variant overlay (.yaml).")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the tailored JSON Resume here (else stdout)."),
    ] = None,
) -> None:
    """Apply a variant to the master and write the full tailored JSON Resume: the variant's
    headline and summary, the jobs, projects and skills it picks, their highlights in its
    order, its extra keywords under meta.staffpath.keywords.

    Examples:

        staffpath resume tailor examples/career/resume.json examples/career/variants/staff-platform.yaml -o staff.json

        staffpath resume tailor resume.json variants/payments.yaml | jq '.work[0].highlights'
    """
    text = _dump(_tailored(resume, variant))
    if output is None:
        typer.echo(text, nl=False)
        return
    write_atomic(output, text)
    console.print(f"wrote {output}")


def _read_posting(job: Path) -> str:
    text = read_text(job, what="job posting (a text file)")
    if not text.strip():
        raise InputError(f"{job}: the job posting is empty; paste its text into the file")
    return text


@app.command("gap")
@handle_errors
def gap_command(
    resume: Annotated[Path, typer.Argument(help=RESUME_HELP)],
    job: Annotated[Path, typer.Option("--job", "-j", help="The job posting as a text file.")],
    variant: Variant = None,
    top: Annotated[int, typer.Option("--top", min=1, max=100, help="How many keywords.")] = TOP,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", help="Words to leave out (the company's name). Repeatable."),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """The keyword gap: the posting's keywords (YAKE, no model download), most important
    first, which the resume contains (whole words, any case, plurals folded) and which are
    missing, and the coverage in per cent.

    Examples:

        staffpath resume gap examples/career/resume.json --job examples/career/job-posting.txt --ignore "Kestrel Mobility"

        staffpath resume gap resume.json --job posting.txt --variant variants/staff-platform.yaml --json
    """
    report = gap(_tailored(resume, variant), _read_posting(job), top=top, ignore=ignore or ())
    if as_json:
        typer.echo(_dump(report.to_dict()), nl=False)
        return
    table = figure_table(
        "Keywords of the posting", ("rank", "keyword", "in resume", "where"), text_columns=4
    )
    for k in report.keywords:
        where = ", ".join(k.where[:2]) + (f" (+{len(k.where) - 2})" if len(k.where) > 2 else "")
        mark = "[green]yes[/green]" if k.found else "[red]missing[/red]"
        table.add_row(str(k.rank), escape(k.keyword), mark, escape(where) or "-")
    console.print(table)
    console.print(
        f"coverage: {report.coverage:g}% ({len(report.found)} of {len(report.keywords)} keywords)"
    )
    if report.missing:
        top_missing = ", ".join(k.keyword for k in report.missing[:8])
        console.print(f"Missing, most important first: {escape(top_missing)}")
        console.print(
            "Add the ones that are true of you to a highlight, a skill or the variant's keywords."
        )


def _print_ats(report: AtsReport) -> None:
    if report.passed:
        console.print(f"ATS check: passed, all {len(report.items)} fields read back in order")
        return
    console.print(
        f"ATS check: [red]FAILED[/red], {len(report.problems)} of {len(report.items)} fields "
        "missing or out of order"
    )
    for item in report.problems:
        console.print(f"  {item.status}: {escape(item.where)}: {escape(item.text[:80])}")


@app.command()
@handle_errors
def pdf(
    resume: Annotated[Path, typer.Argument(help=RESUME_HELP)],
    output: Annotated[Path, typer.Option("--output", "-o", help="The PDF to write.")],
    variant: Variant = None,
    template: Annotated[
        str, typer.Option("--template", "-t", help=f"One of: {', '.join(TEMPLATES)}.")
    ] = "classic",
    check_ats: Annotated[
        bool, typer.Option("--check", help="Also run the ATS round trip on the PDF.")
    ] = False,
    certifications: Annotated[
        Path | None,
        typer.Option(
            "--certifications",
            help="Your certification plans: the passed ones join the resume's certificates.",
            show_default=False,
        ),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Typeset the resume (or a variant of it) as PDF with the typst package: offline, fonts
    bundled, the same bytes every time. --check reads the PDF back as an ATS would and fails
    if any heading or field is missing or out of order. --certifications adds the passed
    certificates from your plans (those the resume does not list yet).

    Examples:

        staffpath resume pdf examples/career/resume.json -o resume.pdf

        staffpath resume pdf resume.json --variant variants/staff-platform.yaml --template compact --check -o staff.pdf
    """
    if template not in TEMPLATES:
        raise InputError(f"--template: expected one of {', '.join(TEMPLATES)}, found {template!r}")
    data = _tailored(resume, variant)
    if certifications is not None:
        from staffpath.career.certifications import load_plans, with_certificates

        day = datetime.now(UTC).date()
        plans = load_plans(certifications, today=day)
        data = with_certificates(data, [p.cert for p in plans.plans], today=day)
    document = render_pdf(data, template=template)
    write_atomic(output, document)
    report = check_pdf(document, view(data)) if check_ats else None
    if as_json:
        result: dict[str, Any] = {"pdf": str(output), "template": template, "bytes": len(document)}
        if report is not None:
            result["ats"] = report.to_dict()
        typer.echo(_dump(result), nl=False)
    else:
        console.print(f"wrote {output} ({template}, {len(document) // 1024} KiB)")
        if report is not None:
            _print_ats(report)
    if report is not None and not report.passed:
        raise typer.Exit(1)


@app.command()
@handle_errors
def ats(
    document: Annotated[Path, typer.Argument(help="The resume PDF to read back.")],
    resume: Annotated[Path, typer.Option("--resume", "-r", help=RESUME_HELP)],
    variant: Variant = None,
    as_json: AsJson = False,
) -> None:
    """The ATS round trip on a PDF made by `staffpath resume pdf`: extract its text with
    pypdf and check that every section heading and field of the resume (name, contact, each
    job's position, company and dates, each highlight...) comes back, in order.

    Examples:

        staffpath resume ats resume.pdf --resume examples/career/resume.json

        staffpath resume ats staff.pdf --resume resume.json --variant variants/staff-platform.yaml --json
    """
    try:
        data = document.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{document}: no such file") from None
    except OSError as exc:
        raise InputError(f"{document}: cannot read ({exc.strerror or exc})") from None
    try:
        text = extract_text(data)
    except Exception as exc:  # pypdf raises many kinds for a file that is not a PDF
        raise InputError(f"{document}: not a readable PDF ({exc})") from None
    report = check_text(text, expected(view(_tailored(resume, variant))))
    if as_json:
        typer.echo(_dump(report.to_dict()), nl=False)
    else:
        _print_ats(report)
    if not report.passed:
        raise typer.Exit(1)


@app.command("rendercv")
@handle_errors
def rendercv_command(
    resume: Annotated[Path, typer.Argument(help=RESUME_HELP)],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the RenderCV YAML here (else stdout)."),
    ] = None,
    variant: Variant = None,
) -> None:
    """Export to RenderCV's YAML input (the cv: part), for its themes. Profiles on networks
    RenderCV does not know are left out and named on stderr.

    Examples:

        staffpath resume rendercv examples/career/resume.json -o cv.yaml

        staffpath resume rendercv resume.json --variant variants/staff-platform.yaml > staff_cv.yaml
    """
    export = to_rendercv(_tailored(resume, variant))
    err = Console(stderr=True, highlight=False)
    for note in export.notes:
        err.print(f"note: {escape(note)}")
    if output is None:
        typer.echo(export.yaml, nl=False)
        return
    write_atomic(output, export.yaml)
    console.print(f"wrote {output}")
