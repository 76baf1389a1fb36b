"""``aishell build``: gate, then foundation -> extension -> harness volume, then state."""

from __future__ import annotations

import os
import sys
import time

from aishell.errors import EXIT_DOCKER, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERRUPTED, EXIT_OK, InputError


class Tier:
    def __init__(self, name: str):
        self.name = name
        self.status = "skipped"
        self.detail = ""
        self.seconds = 0.0
        self.steps = 0
        self.cached = 0


class Output:
    """Progress per tier (rich), the full log with --verbose, nothing but errors with --quiet."""

    def __init__(self, verbose: bool, quiet: bool):
        from rich.console import Console

        self.console = Console(stderr=True, highlight=False, soft_wrap=True)  # an error stays one line
        self.verbose = verbose
        self.quiet = quiet
        self.status = None
        self.tier: Tier | None = None
        self.step_count = 0

    def start(self, tier: Tier, what: str) -> None:
        self.tier = tier
        self.step_count = 0
        if not self.quiet and not self.verbose:
            self.status = self.console.status(f"[bold]{tier.name}[/]: {what}")
            self.status.start()
        elif self.verbose:
            self.console.print(f"[bold]{tier.name}[/]: {what}")

    def on_step(self, line: str | None, step) -> None:
        if line is not None and self.verbose:
            self.console.out(line, highlight=False)
        if step is not None:
            text, cached = step
            self.step_count += 1
            if self.status is not None:
                self.status.update(
                    f"[bold]{self.tier.name}[/]: step {self.step_count} {'cached' if cached else 'ran'}: {text[:70]}"
                )
        elif line is not None and self.status is not None and (line.startswith("Step ") or " [" in line[:12]):
            self.status.update(f"[bold]{self.tier.name}[/]: {line[:90]}")

    def stop(self) -> None:
        if self.status is not None:
            self.status.stop()
            self.status = None

    def summary(self, tiers: list[Tier], backend_name: str | None = None) -> None:
        if self.quiet:
            return
        from rich.table import Table

        title = f"aishell build with {backend_name}" if backend_name else "aishell build"
        table = Table(title=title, title_justify="left")
        for col in ("tier", "result", "time", "steps (cached)", "detail"):
            table.add_column(col)
        for t in tiers:
            steps = f"{t.steps} ({t.cached})" if t.status == "built" else ""
            table.add_row(t.name, t.status, f"{t.seconds:.1f}s", steps, t.detail)
        self.console.print(table)


def gate(plan, out: Output):
    """Lint .aishell/Dockerfile: (exit code when errors stop the build, else None; the parsed
    Dockerfile the lint read, which the build then uses, or None)."""
    from aishell.discovery import LINKS_OUT, links_out
    from aishell.lint import LintResult, lint_file
    from aishell.reporters import report

    if not plan.has_extension:
        return None, None
    try:
        if links_out(plan.dockerfile, plan.root):
            raise InputError(plan.dockerfile, LINKS_OUT)
        res = lint_file(plan.dockerfile)
    except InputError as e:
        out.console.print(f"aishell: {e}")
        return EXIT_INPUT, None
    errors = [f for f in res.findings if f.severity == "error"]
    if res.findings and not out.quiet or errors:
        report(LintResult([res]), "text", sys.stderr)
    if errors:
        out.console.print(
            f"[bold red]aishell build stopped:[/] {len(errors)} error{'s' if len(errors) != 1 else ''} in "
            f"{os.path.relpath(plan.dockerfile)}. `aishell migrate --write` fixes them "
            "(`--unsafe-fixes` for AIS002/AIS003)."
        )
        return EXIT_FINDINGS, None
    return None, res.df


def build(plan, verbose=False, quiet=False) -> int:
    """The whole build: gate, engine, then the tiers under the build lock; the exit code."""
    from aishell import state
    from aishell.builder.registry import from_plan
    from aishell.engine import DockerUnreachable, connect

    out = Output(verbose, quiet)
    if plan.ca_note and not quiet:
        out.console.print(plan.ca_note, markup=False)
    code, linted = gate(plan, out)
    if code is not None:
        return code
    try:
        client = connect()
    except DockerUnreachable as e:
        out.console.print(f"aishell: {e}")
        return EXIT_DOCKER
    job = Job(plan, client, out, from_plan(plan))
    try:
        with state.locked():
            job.run(linted)
    except BaseException as e:
        out.stop()
        code = _failed(out, e)
        if code is None:
            raise
        return code
    if job.registry is not None:
        for warning in job.registry.warnings:
            out.console.print(f"aishell: warning: {warning}", markup=False)
    out.summary(job.tiers, job.chosen.name if job.chosen else None)
    return EXIT_OK


class Job:
    """One build's steps, in order (``run``); each tier step fills its row of ``tiers``."""

    def __init__(self, plan, client, out: Output, registry):
        self.plan = plan
        self.client = client
        self.out = out
        self.registry = registry
        self.chosen = None  # the backend, chosen on first use: a build that reuses everything never asks
        self.tiers = [Tier("foundation"), Tier("extension"), Tier("harness volume")]

    def backend(self):
        from aishell.builder import backends

        if self.chosen is None:
            self.chosen = backends.choose(self.client)
        return self.chosen

    def run(self, linted) -> None:
        """Under the build lock: every tier, then the state (written only when something changed)."""
        from aishell import state

        prev = state.load()
        project = os.path.realpath(self.plan.root)
        pstate = state.project(prev, project)
        df = self.dockerfile(linted)
        fimg, fhash = self.foundation()
        ext = self.extension(df, fimg) if df is not None else None
        harness = self.harness(fimg, fhash, pstate) if self.plan.harnesses else None
        if df is None:
            self.tiers[1].detail = "no .aishell/Dockerfile"
        if not self.plan.harnesses:
            self.tiers[2].detail = "no harness selected"
        registry = self.plan.registry  # trusted (aishell/trust.py): the project's pulled tiers are scoped to it

        def record(data) -> None:
            state.record_build(data, project, {"hash": fhash, "image_id": fimg.id}, ext, harness)
            proj = state.projects(data)[project]
            if registry:
                proj["registry"] = registry
            else:
                proj.pop("registry", None)

        if (
            tiers_changed(self.tiers)
            or state.foundation_id(prev) != fimg.id
            or _differs(pstate, ext, harness)
            or pstate.get("registry") != registry
        ):
            state.update(record)

    def dockerfile(self, linted):
        """The parsed .aishell/Dockerfile (the gate's parse), refused up front when it needs
        BuildKit syntax this backend and engine cannot build; None without one."""
        from aishell.builder import backends

        if not self.plan.has_extension:
            return None
        df = linted if linted is not None else _parse(self.plan.dockerfile)
        needs = df.uses_buildkit_syntax
        if needs:
            from aishell.model import names_frontend

            own = names_frontend(df.text, df.directives)
            backends.require(self.backend(), self.plan.dockerfile, needs, self.client.version().get("Version", ""), own)
        return df

    def _step(self, index: int, what: str, ensure):
        """Run one tier's ``ensure`` (returning value, how, BuildResult, detail) with progress;
        the value."""
        t = self.tiers[index]
        self.out.start(t, what)
        t0 = time.monotonic()
        value, how, res, detail = ensure()
        _finish(t, how, res, t0, detail)
        self.out.stop()
        return value

    def foundation(self):
        from aishell.builder import foundation

        def ensure():
            fimg, fhash, how, res = foundation.ensure(
                self.plan, self.client, self.backend, self.out.on_step, self.registry
            )
            return (fimg, fhash), how, res, f"{fimg.short_id}"

        return self._step(0, "checking", ensure)

    def extension(self, df, fimg) -> dict:
        from aishell.builder import extension

        plan = self.plan

        def ensure():
            eimg, ehash, how, res = extension.ensure(
                plan, df, self.client, fimg, self.backend, self.out.on_step, self.registry
            )
            return (eimg, ehash), how, res, f"{plan.extension_tag} {eimg.short_id}"

        eimg, ehash = self._step(1, "checking", ensure)
        return {"tag": plan.extension_tag, "hash": ehash, "image_id": eimg.id, "foundation_id": fimg.id}

    def harness(self, fimg, fhash: str, pstate) -> dict:
        from aishell import labels, state
        from aishell.builder import volume

        plan, fref = self.plan, labels.foundation_tag(fhash)

        def ensure():
            versions = volume.resolve(self.client, fref, plan.harnesses, state.harness_specs(pstate), plan.update)
            name, vhash, how, res = volume.ensure(
                self.client, fimg, fref, versions, self.backend, self.out.on_step, plan.force, self.registry
            )
            detail = f"{name} ({', '.join(f'{k}={v}' for k, v in sorted(versions.items()))})"
            return (name, vhash, versions), how, res, detail

        name, vhash, versions = self._step(2, "resolving versions", ensure)
        return {
            "volume": name,
            "kind": "image" if labels.is_harness_image(name) else "volume",
            "hash": vhash,
            "versions": versions,
            "specs": {n: {"spec": s, "version": versions[n]} for n, s in plan.harnesses.items()},
        }


def _failed(out: Output, e: BaseException) -> int | None:
    """One line (or the failed step's log tail) for a build that stopped; its exit code, or
    None for an error that is not the build's (raised again)."""
    from aishell.builder.backends import BuildError
    from aishell.builder.registry import RegistryError, Tampered
    from aishell.builder.volume import ResolveError

    if isinstance(e, BuildError):
        out.console.print(f"[bold red]aishell build failed[/] at {e.step or 'an unknown step'}; last log lines:")
        for line in e.tail[-15:]:
            out.console.out(line, highlight=False)
        _tls_hint(out, e.tail)
        return EXIT_FINDINGS
    if isinstance(e, (InputError, ResolveError)):
        out.console.print(f"aishell: {e}", markup=False)
        _tls_hint(out, [str(e)])
        return EXIT_INPUT
    if isinstance(e, Tampered):
        out.console.print(f"aishell: {e}", markup=False)
        return EXIT_INPUT
    if isinstance(e, RegistryError):
        out.console.print(f"aishell: {e} (--require-registry)", markup=False)
        return EXIT_DOCKER
    if isinstance(e, KeyboardInterrupt):
        # Written past the console: a Ctrl-C that lands inside one of its prints (--verbose
        # prints every line of the build's log) can leave it buffering for good, so that this
        # line was never shown (rich's thread-local buffer index stays raised).
        sys.stderr.write("aishell: interrupted; images, volumes and state are as they were before this build\n")
        sys.stderr.flush()
        return EXIT_INTERRUPTED
    if isinstance(e, Exception):  # the daemon went away mid-build, or answered with an error
        import docker.errors

        if isinstance(e, (docker.errors.DockerException, ConnectionError)):
            out.console.print(f"aishell: Docker error: {str(e).splitlines()[0][:300]}")
            return EXIT_DOCKER
    return None


TLS_ERRORS = (
    "SELF_SIGNED_CERT_IN_CHAIN",
    "CERTIFICATE_VERIFY_FAILED",
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "unable to get local issuer certificate",
    "certificate verify failed",
    "self-signed certificate in certificate chain",
    "x509: certificate signed by unknown authority",
)


def _tls_hint(out: Output, lines: list[str]) -> None:
    """A TLS verification failure: usually a proxy whose CA the foundation does not trust yet."""
    if any(marker.lower() in line.lower() for line in lines for marker in TLS_ERRORS):
        out.console.print(
            "aishell: hint: TLS verification failed, as behind a TLS-intercepting proxy. Point AISHELL_CA_CERTS "
            "(or build.ca_certificates) at its CA certificate (a PEM file or a folder of .crt files) and build again; "
            "aishell never switches verification off.",
            markup=False,
        )


def _finish(t: Tier, how: str, res, t0: float, detail: str) -> None:
    t.status = how  # "built", "reused" or "pulled"
    t.seconds = time.monotonic() - t0
    t.detail = detail
    if res is not None:
        t.steps, t.cached = res.total, res.cached


def _parse(path: str):
    from aishell.errors import read_text
    from aishell.model import parse

    return parse(read_text(path), path)


def tiers_changed(tiers: list[Tier]) -> bool:
    return any(t.status in ("built", "pulled") for t in tiers)


def _differs(pstate: dict, ext, harness) -> bool:
    return (ext is not None and pstate.get("extension") != ext) or (
        harness is not None and pstate.get("harness") != harness
    )
