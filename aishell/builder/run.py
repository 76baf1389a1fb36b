"""``aishell build``: gate, then foundation -> extension -> harness volume, then state."""

from __future__ import annotations

import os
import sys
import time

from aishell.errors import EXIT_DOCKER, EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, InputError


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
                self.status.update(f"[bold]{self.tier.name}[/]: step {self.step_count} {'cached' if cached else 'ran'}: {text[:70]}")
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
    from aishell.lint import LintResult, lint_file
    from aishell.reporters import report

    if not plan.has_extension:
        return None, None
    try:
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
    from aishell import labels, state
    from aishell.builder import backends, extension, foundation, volume
    from aishell.builder.backends import BuildError
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

    chosen = []

    def backend():
        if not chosen:
            chosen.append(backends.choose(client))
        return chosen[0]

    tiers = [Tier("foundation"), Tier("extension"), Tier("harness volume")]
    from aishell.builder.registry import RegistryError, Tampered, from_plan

    reg = from_plan(plan)
    try:
        with state.locked():
            prev = state.load()
            project = os.path.realpath(plan.root)
            pstate = state.project(prev, project)
            df = None
            if plan.has_extension:
                df = linted if linted is not None else _parse(plan.dockerfile)  # the gate's parse
                needs = df.uses_buildkit_syntax
                if needs:  # refuse before any build what this backend and engine cannot build
                    own = any(d.name == "syntax" for d in df.directives)
                    backends.require(backend(), plan.dockerfile, needs, client.version().get("Version", ""), own)

            t = tiers[0]
            out.start(t, "checking")
            t0 = time.monotonic()
            fimg, fhash, built, res = foundation.ensure(plan, client, backend, out.on_step, reg)
            _finish(t, built, res, t0, f"{fimg.short_id}")
            out.stop()
            fref = labels.foundation_tag(fhash)

            ext = None
            if df is not None:
                t = tiers[1]
                out.start(t, "checking")
                t0 = time.monotonic()
                eimg, ehash, built, res = extension.ensure(plan, df, client, fimg, backend, out.on_step, reg)
                _finish(t, built, res, t0, f"{plan.extension_tag} {eimg.short_id}")
                out.stop()
                ext = {"tag": plan.extension_tag, "hash": ehash, "image_id": eimg.id, "foundation_id": fimg.id}
            else:
                tiers[1].detail = "no .aishell/Dockerfile"

            harness = None
            if plan.harnesses:
                t = tiers[2]
                out.start(t, "resolving versions")
                t0 = time.monotonic()
                versions = volume.resolve(client, fref, plan.harnesses, state.harness_specs(pstate), plan.update)
                name, vhash, built, res = volume.ensure(client, fimg, fref, versions, backend, out.on_step, plan.force, reg)
                _finish(t, built, res, t0, f"{name} ({', '.join(f'{k}={v}' for k, v in sorted(versions.items()))})")
                out.stop()
                harness = {
                    "volume": name,
                    "hash": vhash,
                    "versions": versions,
                    "specs": {n: {"spec": s, "version": versions[n]} for n, s in plan.harnesses.items()},
                }
            else:
                tiers[2].detail = "no harness selected"

            if tiers_changed(tiers) or state.foundation_id(prev) != fimg.id or _differs(pstate, ext, harness):
                state.update(lambda data: state.record_build(data, project, {"hash": fhash, "image_id": fimg.id}, ext, harness))
    except BuildError as e:
        out.stop()
        out.console.print(f"[bold red]aishell build failed[/] at {e.step or 'an unknown step'}; last log lines:")
        for line in e.tail[-15:]:
            out.console.out(line, highlight=False)
        _tls_hint(out, e.tail)
        return EXIT_FINDINGS
    except (InputError, volume.ResolveError) as e:
        out.stop()
        out.console.print(f"aishell: {e}", markup=False)
        _tls_hint(out, [str(e)])
        return EXIT_INPUT
    except Tampered as e:
        out.stop()
        out.console.print(f"aishell: {e}", markup=False)
        return EXIT_INPUT
    except RegistryError as e:
        out.stop()
        out.console.print(f"aishell: {e} (--require-registry)", markup=False)
        return EXIT_DOCKER
    except KeyboardInterrupt:
        out.stop()
        out.console.print("aishell: interrupted; images, volumes and state are as they were before this build")
        return 130
    except Exception as e:  # the daemon went away mid-build, or answered with an error
        out.stop()
        import docker.errors

        if isinstance(e, (docker.errors.DockerException, ConnectionError)):
            out.console.print(f"aishell: Docker error: {str(e).splitlines()[0][:300]}")
            return EXIT_DOCKER
        raise
    if reg is not None:
        for warning in reg.warnings:
            out.console.print(f"aishell: warning: {warning}", markup=False)
    out.summary(tiers, chosen[0].name if chosen else None)
    return EXIT_OK


TLS_ERRORS = ("SELF_SIGNED_CERT_IN_CHAIN", "CERTIFICATE_VERIFY_FAILED", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
              "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "unable to get local issuer certificate", "certificate verify failed",
              "self-signed certificate in certificate chain", "x509: certificate signed by unknown authority")


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
    return (ext is not None and pstate.get("extension") != ext) or (harness is not None and pstate.get("harness") != harness)
