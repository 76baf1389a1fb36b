"""A Ctrl-C during `aishell build` always says so (exit 130 and one line): the line does not go
through the build's rich console, which a Ctrl-C landing inside one of its prints can leave
buffering for good (CI, engine 28: exit 130 and nothing after the kill, 2026-12-07)."""

from aishell.builder.run import Output, _failed
from aishell.errors import EXIT_INTERRUPTED


def test_the_interrupted_line_is_written_when_the_console_is_left_buffering(capsys):
    out = Output(verbose=True, quiet=False)
    # What a KeyboardInterrupt between rich's Console.__enter__ and __exit__ leaves: its buffer
    # entered and never left, so every later print is kept in the buffer and never written.
    out.console._enter_buffer()
    out.console.print("kept in the buffer")
    assert _failed(out, KeyboardInterrupt()) == EXIT_INTERRUPTED
    err = capsys.readouterr().err
    assert "kept in the buffer" not in err  # (the state the line must not depend on)
    assert err.splitlines() == ["aishell: interrupted; images, volumes and state are as they were before this build"]


def test_the_interrupted_line_is_written_once_in_the_usual_state(capsys):
    out = Output(verbose=False, quiet=False)
    assert _failed(out, KeyboardInterrupt()) == EXIT_INTERRUPTED
    assert capsys.readouterr().err.count("aishell: interrupted;") == 1
